// `sanctions-radar backup FILE`: a consistent copy of the database through SQLite's online backup
// API, page by page, so `start` keeps polling and delivering while it runs.
import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { ensureFolder } from '../../db/database.js';
import { openStore } from '../store/open.js';
import type { Settings } from '../config/settings.js';
import type { CliIo } from './io.js';
import { existingDatabase, UsageError } from './io.js';

/** Why a backup cannot be written there, in a line: the code names it, the message says more. */
function cannotWrite(file: string, err: unknown): UsageError {
  const e = err as NodeJS.ErrnoException;
  const why: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'not permitted',
    EROFS: 'the file system is read-only',
    ENOSPC: 'the disk is full',
    SQLITE_FULL: 'the disk is full',
    ENOENT: 'a folder on its path cannot be made',
    ENOTDIR: 'a file stands where a folder should be',
    SQLITE_CANTOPEN: 'the file cannot be created there (its folder is missing or not writable)',
    SQLITE_READONLY: 'the file or its folder is read-only',
  };
  return new UsageError(
    `cannot write the backup to ${file}: ${why[e.code ?? ''] ?? e.message}${e.code ? ` (${e.code})` : ''}; choose a writable folder with free space`,
  );
}

export async function backupCommand(io: CliIo, settings: Settings, file: string): Promise<number> {
  const source = existingDatabase(settings.dbPath);
  const target = resolve(file);
  if (target === resolve(source))
    throw new UsageError('the backup file must not be the database itself');
  // A backup is written beside the target and renamed over it: only ever over a regular file,
  // never a directory, a device (/dev/full) or a pipe.
  if (existsSync(target) && !statSync(target).isFile())
    throw new UsageError(`${file} is not a regular file; give the name of a file to write`);
  try {
    ensureFolder(dirname(target));
  } catch (err) {
    throw cannotWrite(file, err);
  }
  const { db } = openStore(source);
  const partial = `${target}.partial`;
  try {
    const started = performance.now();
    const { totalPages } = await db.backup(partial).catch((err: unknown) => {
      throw cannotWrite(file, err);
    });
    try {
      renameSync(partial, target);
    } catch (err) {
      throw cannotWrite(file, err);
    }
    io.err(
      `backed up ${settings.dbPath} to ${target} (${totalPages} pages, ${Math.round(performance.now() - started)} ms)`,
    );
    return 0;
  } finally {
    rmSync(partial, { force: true });
    db.close();
  }
}
