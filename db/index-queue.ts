// The queue of designations whose names or identifiers are still to be indexed (migration 012).
import { stmt, type Db } from './database.js';

export interface QueuedIndexing {
  id: number;
  record: string;
  names: boolean;
  identifiers: boolean;
}

/** Queues designations for indexing; a designation queued twice keeps every index it was queued for. */
export function queueIndexing(db: Db, designationIds: number[], what: { names: boolean; identifiers: boolean }): void {
  if (designationIds.length === 0) return;
  stmt(
    db,
    `INSERT INTO index_queue (designation_id, names, identifiers) SELECT value, ?, ? FROM json_each(?) WHERE true
       ON CONFLICT (designation_id) DO UPDATE SET names = max(names, excluded.names), identifiers = max(identifiers, excluded.identifiers)`,
  ).run(what.names ? 1 : 0, what.identifiers ? 1 : 0, JSON.stringify(designationIds));
}

/** Whether anything waits: one probe of the primary key, paid by every reader of the indexes. */
export function indexingPending(db: Db): boolean {
  return stmt(db, 'SELECT EXISTS (SELECT 1 FROM index_queue)').pluck().get() === 1;
}

export function queuedIndexingCount(db: Db): number {
  return stmt(db, 'SELECT count(*) FROM index_queue').pluck().get() as number;
}

/** Up to `limit` queued designations with their records, oldest designation first. */
export function queuedIndexing(db: Db, limit: number): QueuedIndexing[] {
  const rows = stmt(
    db,
    'SELECT q.designation_id AS id, d.record, q.names, q.identifiers FROM index_queue q JOIN designations d ON d.id = q.designation_id ORDER BY q.designation_id LIMIT ?',
  ).all(limit) as { id: number; record: string; names: number; identifiers: number }[];
  return rows.map((r) => ({ id: r.id, record: r.record, names: r.names === 1, identifiers: r.identifiers === 1 }));
}

export function dequeueIndexing(db: Db, designationIds: number[]): void {
  if (designationIds.length === 0) return;
  stmt(db, 'DELETE FROM index_queue WHERE designation_id IN (SELECT value FROM json_each(?))').run(JSON.stringify(designationIds));
}
