// Small named values of the database (versions of derived indexes, counters).
import { stmt, type Db } from './database.js';

export function metaValue(db: Db, key: string): number | undefined {
  return stmt(db, 'SELECT value FROM meta WHERE key = ?').pluck().get(key) as number | undefined;
}

export function setMeta(db: Db, key: string, value: number): void {
  stmt(db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}
