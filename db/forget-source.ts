// Forgetting a source dropped from the configuration: its entries, their history and names, its
// feed entries and its alerts, in one transaction. Kept, they would be searched by every lookup
// and named in every answer as "not current" for good.
import { stmt, type Db } from './database.js';
import { replaceNames } from './name-index.js';

export interface Forgotten {
  entries: number;
  changes: number;
  feedItems: number;
  alerts: number;
}

/** null: no such source is stored. */
export function forgetSource(db: Db, id: string): Forgotten | null {
  return db
    .transaction((): Forgotten | null => {
      if (stmt(db, 'SELECT 1 FROM sources WHERE id = ?').get(id) === undefined) return null;
      const count = (sql: string) => stmt(db, sql).pluck().get(id) as number;
      const out: Forgotten = {
        entries: count('SELECT count(*) FROM designations WHERE source_id = ?'),
        changes: count('SELECT count(*) FROM changes WHERE source_id = ?'),
        feedItems: count('SELECT count(*) FROM feed_items WHERE source_id = ?'),
        alerts: count('SELECT count(*) FROM alerts WHERE source_id = ?'),
      };
      // The name index's full-text side does not follow a delete on its own (external content).
      replaceNames(
        db,
        stmt(db, 'SELECT id FROM designations WHERE source_id = ?').pluck().all(id) as number[],
        () => [],
      );
      // Alerts reference their change rows; deliveries go with their alerts.
      stmt(db, 'DELETE FROM alerts WHERE source_id = ?').run(id);
      // Designations (with their identifiers and queued indexing), changes, feed entries (with
      // their mentions) and validators follow the source row.
      stmt(db, 'DELETE FROM sources WHERE id = ?').run(id);
      return out;
    })
    .immediate();
}
