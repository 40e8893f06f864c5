// Current state of every list and the history of changes to it.
import type { Change, DesignationRecord } from '../src/domain.js';
import type { StoredList } from '../src/poll/diff.js';
import { insertRowsReturning, insertRowsWithIds } from './bulk.js';
import { stmt, type Db } from './database.js';

/**
 * Active entries of one source: keys and fingerprints read at once, records on demand. Read as two
 * JSON arrays in one row: a row per entry took 24 ms for the 2021 SDN's 8,976 (14 ms with all()),
 * the arrays 8 ms.
 */
export function storedList(db: Db, sourceId: string): StoredList {
  const { keys, prints: values } = stmt(
    db,
    'SELECT json_group_array(key) AS keys, json_group_array(print) AS prints FROM designations WHERE source_id = ? AND removed_at IS NULL',
  ).get(sourceId) as { keys: string; prints: string };
  const k = JSON.parse(keys) as string[];
  const v = JSON.parse(values) as (number | null)[];
  const prints = new Map<string, number | null>();
  for (let i = 0; i < k.length; i++) prints.set(k[i]!, v[i]!);
  return { prints, json: (list) => recordsOf(db, sourceId, list) };
}

/** The stored records (JSON) of keys of one source, active or not, read at once. */
function recordsOf(db: Db, sourceId: string, keys: readonly string[]): Map<string, string> {
  if (keys.length === 0) return new Map();
  const rows = stmt(
    db,
    'SELECT key, record FROM designations WHERE source_id = ? AND key IN (SELECT value FROM json_each(?))',
  )
    .raw()
    .all(sourceId, JSON.stringify(keys));
  return new Map(rows as [string, string][]);
}

export function countActive(db: Db, sourceId: string): number {
  return (
    stmt(
      db,
      'SELECT count(*) AS n FROM designations WHERE source_id = ? AND removed_at IS NULL',
    ).get(sourceId) as { n: number }
  ).n;
}

const UPSERT_HEAD =
  'INSERT INTO designations (source_id, key, list, name, record, print, first_seen, last_changed, removed_at)';
const UPSERT_TAIL = `ON CONFLICT (source_id, key) DO UPDATE SET list = excluded.list, name = excluded.name, record = excluded.record,
    print = excluded.print, last_changed = excluded.last_changed, removed_at = NULL
  RETURNING key, id`;

/** Rows are built a slice at a time: a 100,000-entry baseline never holds all its JSON at once. */
const SLICE = 1024;

type JsonOf = (r: DesignationRecord, i: number) => string;
type PrintOf = (r: DesignationRecord, i: number) => number | null;

/**
 * Stores records (new, or again under their key: a relisting, an amendment); returns the row id
 * of each key. `replaced` gets the records the upsert overwrites (a relisted entry's last form).
 */
function store(
  db: Db,
  sourceId: string,
  records: readonly DesignationRecord[],
  json: JsonOf,
  print: PrintOf,
  at: string,
  replaced?: Map<string, string>,
): Map<string, number> {
  const ids = new Map<string, number>();
  for (let start = 0; start < records.length; start += SLICE) {
    const slice = records.slice(start, start + SLICE);
    if (replaced)
      for (const [key, record] of recordsOf(
        db,
        sourceId,
        slice.map((r) => r.key),
      ))
        replaced.set(key, record);
    const rows = slice.map((r, j) => [
      sourceId,
      r.key,
      r.list,
      r.name,
      json(r, start + j),
      print(r, start + j),
      at,
      at,
      null,
    ]);
    for (const { key, id } of insertRowsReturning<{ key: string; id: number }>(
      db,
      UPSERT_HEAD,
      rows,
      UPSERT_TAIL,
    ))
      ids.set(key, id);
  }
  return ids;
}

/** Writes a whole snapshot as the first state of a source; returns each record's row id. */
export function insertBaseline(
  db: Db,
  sourceId: string,
  records: DesignationRecord[],
  prints: number[] | undefined,
  at: string,
): number[] {
  const ids = store(
    db,
    sourceId,
    records,
    (r) => JSON.stringify(r),
    (_, i) => prints?.[i] ?? null,
    at,
  );
  return records.map((r) => ids.get(r.key)!);
}

/** How a record is stored: its JSON, and the fingerprint of what it was built from (or null). */
export interface StoredForm {
  json(r: DesignationRecord): string;
  print(key: string): number | null;
  /** An amended record as it was stored, if the diff read it (spares serialising it again). */
  prior(key: string): string | undefined;
}

export interface AppliedChanges {
  /** History row id of each change, in order. */
  changeIds: number[];
  /** Row id of each added or amended designation, by key. */
  designationIds: Map<string, number>;
}

/**
 * Applies changes to state and appends them to history. A history row keeps, as its "before", the
 * version of the record it overwrote in the designation row (an amendment its previous version, a
 * relisting the record as removed), and no copy of its own version: the designation row holds that
 * until a later change overwrites it and keeps it in turn (db/history-record.ts reads it back). So
 * each version is stored once; the three-year SDN catch-up used to store ~7 MB of copies (1,752
 * pages of its ~4,000-page commit) for its 6,871 new entries alone.
 */
export function applyChanges(
  db: Db,
  sourceId: string,
  changes: Change[],
  stored: StoredForm,
  at: string,
): AppliedChanges {
  const removed = changes.filter((c) => c.type === 'designation.removed').map((c) => c.record.key);
  if (removed.length) {
    stmt(
      db,
      'UPDATE designations SET removed_at = ?, last_changed = ? WHERE source_id = ? AND key IN (SELECT value FROM json_each(?))',
    ).run(at, at, sourceId, JSON.stringify(removed));
  }
  const json = (r: DesignationRecord) => stored.json(r);
  const print = (r: DesignationRecord) => stored.print(r.key);
  const added = changes.filter((c) => c.type === 'designation.added').map((c) => c.record);
  const amended = changes.filter((c) => c.type === 'designation.amended').map((c) => c.record);
  const relisted = new Map<string, string>();
  const designationIds = store(db, sourceId, added, json, print, at, relisted);
  for (const [key, id] of store(db, sourceId, amended, json, print, at))
    designationIds.set(key, id);
  const changeIds: number[] = [];
  for (let start = 0; start < changes.length; start += SLICE) {
    const history = changes.slice(start, start + SLICE).map((c) => {
      const r = c.record;
      const amendment = c.type === 'designation.amended';
      const before = amendment
        ? (stored.prior(r.key) ?? JSON.stringify(c.before))
        : c.type === 'designation.added'
          ? (relisted.get(r.key) ?? null)
          : null;
      const fields = amendment ? JSON.stringify(c.fields) : null;
      return [sourceId, r.key, r.list, r.name, c.type, fields, before, at];
    });
    for (const id of insertRowsWithIds(
      db,
      'INSERT INTO changes (source_id, key, list, name, type, fields, before, detected_at)',
      history,
    ))
      changeIds.push(id);
  }
  return { changeIds, designationIds };
}

/** Stores records again without a change: same listing, a newer form (fields parsed since). Returns their row ids by key. */
export function refreshRecords(
  db: Db,
  sourceId: string,
  records: DesignationRecord[],
  stored: StoredForm,
): Map<string, number> {
  const update = stmt(
    db,
    'UPDATE designations SET record = ?, print = ? WHERE source_id = ? AND key = ? RETURNING id',
  ).pluck();
  const ids = new Map<string, number>();
  for (const r of records) {
    const id = update.get(stored.json(r), stored.print(r.key), sourceId, r.key) as
      number | undefined;
    if (id !== undefined) ids.set(r.key, id);
  }
  return ids;
}

/** Entries unchanged whose source text (or its reading) changed: only the fingerprint moves. */
export function setPrints(db: Db, sourceId: string, prints: Iterable<[string, number]>): void {
  const update = stmt(db, 'UPDATE designations SET print = ? WHERE source_id = ? AND key = ?');
  for (const [key, print] of prints) update.run(print, sourceId, key);
}
