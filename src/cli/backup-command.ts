// `sanctions-radar backup FILE`: a consistent copy of the database through SQLite's online backup
// API, page by page, so `start` keeps polling and delivering while it runs.
import { existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { openStore } from '../store.js';
import type { Settings } from '../config/settings.js';
import type { CliIo } from './io.js';
import { existingDatabase, UsageError } from './io.js';

export async function backupCommand(io: CliIo, settings: Settings, file: string): Promise<number> {
  const source = existingDatabase(settings.dbPath);
  const target = resolve(file);
  if (target === resolve(source)) throw new UsageError('the backup file must not be the database itself');
  if (existsSync(target) && statSync(target).isDirectory()) throw new UsageError(`${file} is a directory; give a file name`);
  mkdirSync(dirname(target), { recursive: true });
  const { db } = openStore(source);
  // Written beside the target and renamed: a backup cut short never replaces a good one.
  const partial = `${target}.partial`;
  try {
    const started = performance.now();
    const { totalPages } = await db.backup(partial);
    renameSync(partial, target);
    io.err(`backed up ${settings.dbPath} to ${target} (${totalPages} pages, ${Math.round(performance.now() - started)} ms)`);
    return 0;
  } finally {
    rmSync(partial, { force: true });
    db.close();
  }
}
