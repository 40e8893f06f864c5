// Opens the SQLite file and brings its schema up to date. Migrations are plain numbered .sql
// files; PRAGMA user_version holds how many have run.
import Database from 'better-sqlite3';
import { DbOpenError, storageProblem } from './errors.js';
import {
  accessSync,
  constants,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export type Db = Database.Database;

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), 'migrations');

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export function loadMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir)
    .filter((f) => /^\d+_.*\.sql$/.test(f))
    .sort();
  return files.map((name, i) => {
    const version = Number(name.split('_')[0]);
    if (version !== i + 1)
      throw new Error(`migration ${name} is out of sequence: expected number ${i + 1}`);
    return { version, name, sql: readFileSync(join(dir, name), 'utf8') };
  });
}

/** Runs pending migrations, each in its own transaction; returns how many ran. */
export function migrate(db: Db, migrations = loadMigrations()): number {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > migrations.length) {
    throw new DbOpenError(
      `the database is at schema version ${current}, newer than this build knows (${migrations.length}): upgrade sanctions-radar, or use a backup made by this version`,
    );
  }
  const pending = migrations.filter((m) => m.version > current);
  for (const m of pending) {
    // A migration that rebuilds a table others reference turns foreign keys off around its
    // transaction (they cannot change inside one) and checks them before it commits.
    const keysOff = m.sql.startsWith('-- foreign_keys: off');
    const keys = db.pragma('foreign_keys', { simple: true }) as number;
    if (keysOff) db.pragma('foreign_keys = OFF');
    try {
      db.transaction(() => {
        db.exec(m.sql);
        if (keysOff && (db.pragma('foreign_key_check') as unknown[]).length)
          throw new Error(`migration ${m.version} left rows whose references do not hold`);
        db.pragma(`user_version = ${m.version}`);
      }).immediate();
    } finally {
      if (keysOff) db.pragma(`foreign_keys = ${keys ? 'ON' : 'OFF'}`);
    }
  }
  return pending.length;
}

export { DbOpenError };

/** An operator's mistake in words: the path, what is wrong, what to do. */
function explain(path: string, err: unknown): DbOpenError {
  const e = err as NodeJS.ErrnoException & { code?: string };
  const fix = 'set SANCTIONS_RADAR_DB (or --db) to a writable file path';
  let what: string;
  if (existsSync(path) && statSync(path).isDirectory()) what = `is a directory, not a file; ${fix}`;
  else if (e.code === 'EACCES' || e.code === 'EPERM')
    what = `cannot be created or written here (${e.code}); ${fix}`;
  else if (e.code === 'ENOTDIR' || e.code === 'EEXIST')
    what = `has a file where a folder should be (${e.code}); ${fix}`;
  else if (e.code === 'SQLITE_READONLY' || e.code === 'SQLITE_READONLY_DIRECTORY')
    what = `is read-only; make it (and its folder) writable, or ${fix}`;
  else if (e.code === 'SQLITE_NOTADB')
    what =
      'is not a SQLite database (another file, or damaged); restore a backup (docs/operations.md: Backup and restore) or move it away to start afresh';
  else if (e.code === 'SQLITE_CORRUPT')
    what =
      'is damaged (truncated or corrupt); restore a backup (docs/operations.md: Backup and restore) or move it away to start afresh';
  else if (e.code === 'SQLITE_CANTOPEN' && !writable(dirname(path)))
    what = `cannot be created: its folder ${dirname(path)} is not writable; ${fix}`;
  else if (e.code === 'SQLITE_CANTOPEN') what = `cannot be opened; ${fix}`;
  else if (e.code === 'ENOENT')
    what = `cannot be created: a folder on its path cannot be made (${e.code}); ${fix}`;
  else if (e.code === 'SQLITE_FULL' || e.code === 'ENOSPC') what = 'cannot grow: the disk is full';
  else if (err instanceof DbOpenError) return err;
  else if (storageProblem(err, path)) return new DbOpenError(storageProblem(err, path)!);
  else return new DbOpenError(`the database ${path} cannot be used: ${e.message}`);
  return new DbOpenError(`the database ${path} ${what}`);
}

function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * mkdir -p one level at a time: Node 20's recursive mkdirSync spins forever on a path under a
 * filesystem that refuses new folders with ENOENT (`--db /proc/x/radar.db` hung the CLI).
 */
export function ensureFolder(dir: string): void {
  const missing: string[] = [];
  let at = dir;
  while (!existsSync(at)) {
    missing.unshift(at);
    const up = dirname(at);
    if (up === at) break;
    at = up;
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder);
    } catch (err) {
      // Another process (the daemon and a CLI call) may have made it a moment ago.
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !statSync(folder).isDirectory())
        throw err;
    }
  }
}

export function openDb(path: string): { db: Db; migrated: number } {
  let db: Db | null = null;
  try {
    if (path !== ':memory:') ensureFolder(dirname(path));
    // SQLite falls back to read-only without a word when the file is not writable, and the first
    // write fails deep inside a command; say it at open instead.
    if (path !== ':memory:' && existsSync(path) && statSync(path).isFile() && !writable(path)) {
      throw Object.assign(new Error('read-only'), { code: 'SQLITE_READONLY' });
    }
    db = new Database(path);
    if (path !== ':memory:') db.pragma('journal_mode = WAL');
    // The daemon and a CLI command (`sources accept`, `poll`) may share the file.
    db.pragma('busy_timeout = 5000');
    db.pragma('foreign_keys = ON');
    db.pragma('synchronous = NORMAL');
    const migrated = migrate(db);
    return { db, migrated };
  } catch (err) {
    db?.close();
    throw explain(path, err);
  }
}

const statements = new WeakMap<Db, Map<string, Database.Statement>>();

/** A prepared statement, prepared once per connection: hot paths run thousands of times a poll. */
export function stmt(db: Db, sql: string): Database.Statement {
  let cache = statements.get(db);
  if (!cache) statements.set(db, (cache = new Map<string, Database.Statement>()));
  let s = cache.get(sql);
  if (!s) cache.set(sql, (s = db.prepare(sql)));
  return s;
}
