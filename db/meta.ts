// Small named values of the database (versions of derived indexes, counters).
import { stmt, type Db } from './database.js';

export function metaValue(db: Db, key: string): number | undefined {
  return stmt(db, 'SELECT value FROM meta WHERE key = ?').pluck().get(key) as number | undefined;
}

export function setMeta(db: Db, key: string, value: number): void {
  stmt(
    db,
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  ).run(key, value);
}

/**
 * Rebuilds an index derived from the stored records when the code builds it differently from the
 * code that built it (`scheme` under `key`): once after an upgrade, in one transaction with the
 * new scheme. `rebuild` returns how many records it took on (0 from here: up to date).
 */
export function rebuildIfStale(db: Db, key: string, scheme: number, rebuild: () => number): number {
  if (metaValue(db, key) === scheme) return 0;
  return db
    .transaction(() => {
      const count = rebuild();
      setMeta(db, key, scheme);
      return count;
    })
    .immediate();
}
