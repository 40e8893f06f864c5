// The same designation event seen by another source of the same list (the CSL repeating OFAC's
// SDN and NS-CMIC rows), and the channels its alert already reached.
import { stmt, type Db } from './database.js';

export interface ListChange {
  key: string;
  name: string;
}

/**
 * Channels already sent an alert of another source's change of this list, of this type, since
 * `since`, that `same` says is this one.
 */
export function channelsAlreadyTold(db: Db, o: { list: string; type: string; sourceId: string; since: string; same: (other: ListChange) => boolean }): Set<string> {
  const candidates = stmt(db, 'SELECT id, key, name FROM changes WHERE list = ? AND type = ? AND detected_at >= ? AND source_id != ?').all(o.list, o.type, o.since, o.sourceId) as ({ id: number } & ListChange)[];
  const ids = candidates.filter(o.same).map((c) => c.id);
  if (ids.length === 0) return new Set();
  return new Set(
    stmt(db, 'SELECT DISTINCT d.channel FROM alerts a JOIN deliveries d ON d.alert_id = a.id WHERE a.change_id IN (SELECT value FROM json_each(?))').pluck().all(JSON.stringify(ids)) as string[],
  );
}

/**
 * Channels already sent the alert of a Federal Register document (on public inspection or
 * published) that named this entry: the document a list is read from (the 1260H list from its
 * notices) was news already to them.
 */
export function channelsToldByDocument(db: Db, documentNumber: string, entry: { key: string; normalizedNames: string[] }): Set<string> {
  return new Set(
    stmt(
      db,
      `SELECT DISTINCT d.channel FROM alerts a JOIN deliveries d ON d.alert_id = a.id
       WHERE a.type = 'feed.item' AND json_extract(a.payload, '$.item.documentNumber') = ?
         AND EXISTS (SELECT 1 FROM json_each(a.payload, '$.mentions') m
                     WHERE json_extract(m.value, '$.key') = ? OR json_extract(m.value, '$.matched') IN (SELECT value FROM json_each(?)))`,
    ).pluck().all(documentNumber, entry.key, JSON.stringify(entry.normalizedNames)) as string[],
  );
}
