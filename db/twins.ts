// The same designation event seen by another source of the same list (the CSL repeating OFAC's
// SDN and NS-CMIC rows), and the channels its alert already reached.
import { stmt, type Db } from './database.js';

export interface ListChange {
  id: number;
  key: string;
  name: string;
}

/** Other sources' changes of this list, of this type, since `since`. */
export function recentChangesElsewhere(
  db: Db,
  o: { list: string; type: string; sourceId: string; since: string },
): ListChange[] {
  return stmt(
    db,
    'SELECT id, key, name FROM changes WHERE list = ? AND type = ? AND detected_at >= ? AND source_id != ?',
  ).all(o.list, o.type, o.since, o.sourceId) as ListChange[];
}

/** The channels the alerts of these changes were sent to. */
export function channelsToldOfChanges(db: Db, changeIds: number[]): Set<string> {
  if (changeIds.length === 0) return new Set();
  return new Set(
    stmt(
      db,
      'SELECT DISTINCT d.channel FROM alerts a JOIN deliveries d ON d.alert_id = a.id WHERE a.change_id IN (SELECT value FROM json_each(?))',
    )
      .pluck()
      .all(JSON.stringify(changeIds)) as string[],
  );
}

/**
 * Channels already sent the alert of a Federal Register document (on public inspection or
 * published) that named this entry: the document a list is read from (the 1260H list from its
 * notices) was news already to them.
 */
export function channelsToldByDocument(
  db: Db,
  documentNumber: string,
  entry: { key: string; normalizedNames: string[] },
): Set<string> {
  return new Set(
    stmt(
      db,
      `SELECT DISTINCT d.channel FROM alerts a JOIN deliveries d ON d.alert_id = a.id
       WHERE a.type = 'feed.item' AND json_extract(a.payload, '$.item.documentNumber') = ?
         AND EXISTS (SELECT 1 FROM json_each(a.payload, '$.mentions') m
                     WHERE json_extract(m.value, '$.key') = ? OR json_extract(m.value, '$.matched') IN (SELECT value FROM json_each(?)))`,
    )
      .pluck()
      .all(documentNumber, entry.key, JSON.stringify(entry.normalizedNames)) as string[],
  );
}
