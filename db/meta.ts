// Small named values of the database (versions of derived indexes, counters).
import { stmt, type Db } from './database.js';

export function metaValue(db: Db, key: string): number | undefined {
  return stmt(db, 'SELECT value FROM meta WHERE key = ?').pluck().get(key) as number | undefined;
}

export function setMeta(db: Db, key: string, value: number): void {
  stmt(db, 'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(key, value);
}

/**
 * Rebuilds an index derived from the stored records when the code builds it differently from the
 * code that built it (`scheme` under `key`): once after an upgrade, in one transaction. `rebuild`
 * gets every designation's id and record JSON; returns how many records were read (0: up to date).
 */
export function rebuildIfStale(db: Db, key: string, scheme: number, rebuild: (rows: { id: number; record: string }[]) => void): number {
  if (metaValue(db, key) === scheme) return 0;
  let count = 0;
  db.transaction(() => {
    const rows = stmt(db, 'SELECT id, record FROM designations ORDER BY id').all() as { id: number; record: string }[];
    count = rows.length;
    rebuild(rows);
    setMeta(db, key, scheme);
  })();
  return count;
}
