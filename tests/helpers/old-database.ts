// A database as an older release left it: migrated only up to a version.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { loadMigrations, migrate } from '../../db/database.js';

export function openDbAt(path: string, version: number) {
  mkdirSync(join(path, '..'), { recursive: true });
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  migrate(db, loadMigrations().slice(0, version));
  return db;
}
