// The queue of designations whose names or identifiers are still to be indexed (migration 012).
import type { Identifier } from '../src/domain.js';
import { stmt, type Db } from './database.js';

/** A queued designation: what of its record the indexes read (not the whole record). */
export interface QueuedIndexing {
  id: number;
  names: boolean;
  identifiers: boolean;
  name: string;
  type: string | undefined;
  aliases: string[];
  ids: Identifier[];
  linkedTo: string[];
}

/** Which indexes of a designation are to be written again. */
export interface IndexingNeed {
  names: boolean;
  identifiers: boolean;
}

/** Queues designations for indexing; one still queued (from an earlier poll) keeps what it was queued for too. */
export function queueIndexing(db: Db, needs: ReadonlyMap<number, IndexingNeed>): void {
  if (needs.size === 0) return;
  // One statement over a JSON array (multi-row VALUES measured no faster: ~18 ms for 7,600).
  const rows = JSON.stringify([...needs].map(([id, n]) => [id, n.names ? 1 : 0, n.identifiers ? 1 : 0]));
  stmt(
    db,
    `INSERT INTO index_queue (designation_id, names, identifiers) SELECT value ->> 0, value ->> 1, value ->> 2 FROM json_each(?) WHERE true
       ON CONFLICT (designation_id) DO UPDATE SET names = max(names, excluded.names), identifiers = max(identifiers, excluded.identifiers)`,
  ).run(rows);
}

/** Queues every stored designation (an index built differently by this build); returns how many. */
export function queueAllIndexing(db: Db, what: IndexingNeed): number {
  return stmt(
    db,
    `INSERT INTO index_queue (designation_id, names, identifiers) SELECT id, ?, ? FROM designations WHERE true
       ON CONFLICT (designation_id) DO UPDATE SET names = max(names, excluded.names), identifiers = max(identifiers, excluded.identifiers)`,
  ).run(what.names ? 1 : 0, what.identifiers ? 1 : 0).changes;
}

/** Whether anything waits: one probe of the primary key, paid by every reader of the indexes. */
export function indexingPending(db: Db): boolean {
  return stmt(db, 'SELECT EXISTS (SELECT 1 FROM index_queue)').pluck().get() === 1;
}

export function queuedIndexingCount(db: Db): number {
  return stmt(db, 'SELECT count(*) FROM index_queue').pluck().get() as number;
}

/**
 * Up to `limit` queued designations, oldest first. Only the fields the indexes read are taken
 * from the record: whole records (remarks, addresses, programs) are ~3.6 MB of JSON after the
 * three-year catch-up that indexing would parse for nothing, on top of the poll's own garbage.
 */
export function queuedIndexing(db: Db, limit: number): QueuedIndexing[] {
  const rows = stmt(
    db,
    `SELECT q.designation_id AS id, q.names, q.identifiers, d.name, json_extract(d.record, '$.type') AS type,
       json_extract(d.record, '$.aliases') AS aliases, json_extract(d.record, '$.identifiers') AS ids, json_extract(d.record, '$.linkedTo') AS linkedTo
     FROM index_queue q JOIN designations d ON d.id = q.designation_id ORDER BY q.designation_id LIMIT ?`,
  ).raw().all(limit) as [number, number, number, string, string | null, string | null, string | null, string | null][];
  const list = <T>(json: string | null): T[] => (json ? (JSON.parse(json) as T[]) : []);
  return rows.map(([id, names, identifiers, name, type, aliases, ids, linkedTo]) => ({
    id, names: names === 1, identifiers: identifiers === 1, name, type: type ?? undefined, aliases: list(aliases), ids: list(ids), linkedTo: list(linkedTo),
  }));
}

export function dequeueIndexing(db: Db, designationIds: number[]): void {
  if (designationIds.length === 0) return;
  stmt(db, 'DELETE FROM index_queue WHERE designation_id IN (SELECT value FROM json_each(?))').run(JSON.stringify(designationIds));
}
