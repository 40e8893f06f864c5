// Current state of every list and the history of changes to it.
import type { Change, DesignationRecord } from '../src/domain.js';
import { stmt, type Db } from './database.js';

/** Active entries of one source as stored JSON, by key; parsed only by whoever needs it. */
export function activeDesignations(db: Db, sourceId: string): Map<string, string> {
  const rows = stmt(db, 'SELECT key, record FROM designations WHERE source_id = ? AND removed_at IS NULL').raw().all(sourceId) as [string, string][];
  return new Map(rows);
}

export function countActive(db: Db, sourceId: string): number {
  return (stmt(db, 'SELECT count(*) AS n FROM designations WHERE source_id = ? AND removed_at IS NULL').get(sourceId) as { n: number }).n;
}

const UPSERT = `INSERT INTO designations (source_id, key, list, name, record, first_seen, last_changed, removed_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, NULL)
  ON CONFLICT (source_id, key) DO UPDATE SET list = excluded.list, name = excluded.name, record = excluded.record,
    last_changed = excluded.last_changed, removed_at = NULL`;

/** Writes a whole snapshot as the first state of a source. */
export function insertBaseline(db: Db, sourceId: string, records: DesignationRecord[], at: string): void {
  const insert = stmt(db, UPSERT);
  for (const r of records) insert.run(sourceId, r.key, r.list, r.name, JSON.stringify(r), at, at);
}

/** Applies changes to state and appends them to history; returns the history row id of each. */
export function applyChanges(db: Db, sourceId: string, changes: Change[], jsonOf: (r: DesignationRecord) => string, at: string): number[] {
  const upsert = stmt(db, UPSERT);
  const remove = stmt(db, 'UPDATE designations SET removed_at = ?, last_changed = ? WHERE source_id = ? AND key = ?');
  const history = stmt(db, 
    `INSERT INTO changes (source_id, key, list, name, type, fields, before, after, detected_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const ids: number[] = [];
  for (const c of changes) {
    const r = c.record;
    if (c.type === 'designation.removed') remove.run(at, at, sourceId, r.key);
    else upsert.run(sourceId, r.key, r.list, r.name, jsonOf(r), at, at);
    const before = c.type === 'designation.amended' ? JSON.stringify(c.before) : c.type === 'designation.removed' ? JSON.stringify(r) : null;
    const after = c.type === 'designation.removed' ? null : jsonOf(r);
    const fields = c.type === 'designation.amended' ? JSON.stringify(c.fields) : null;
    const res = history.run(sourceId, r.key, r.list, r.name, c.type, fields, before, after, at);
    ids.push(Number(res.lastInsertRowid));
  }
  return ids;
}


export function allDesignationNames(db: Db): { sourceId: string; record: DesignationRecord }[] {
  const rows = stmt(db, 'SELECT source_id AS sourceId, record FROM designations WHERE removed_at IS NULL').all() as {
    sourceId: string;
    record: string;
  }[];
  return rows.map((r) => ({ sourceId: r.sourceId, record: JSON.parse(r.record) as DesignationRecord }));
}
