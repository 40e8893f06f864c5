// Remembered false positives (migration 026).
import { stmt, type Db } from './database.js';
import type { Material } from '../src/review/cleared.js';

export interface Clearance {
  id: number;
  channel: string;
  list: string;
  entryKey: string;
  entryName: string;
  material: Material;
  decisionId: number;
  clearedAt: string;
  clearedBy: string;
}

type Row = Omit<Clearance, 'material'> & { material: string };
const COLUMNS =
  'id, channel, list, entry_key AS entryKey, entry_name AS entryName, material, decision_id AS decisionId, cleared_at AS clearedAt, cleared_by AS clearedBy';
const toClearance = (r: Row): Clearance => ({ ...r, material: JSON.parse(r.material) as Material });

export function addClearance(db: Db, c: Omit<Clearance, 'id'>): void {
  stmt(
    db,
    'INSERT OR IGNORE INTO clearances (channel, list, entry_key, entry_name, material, decision_id, cleared_at, cleared_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(
    c.channel,
    c.list,
    c.entryKey,
    c.entryName,
    JSON.stringify(c.material),
    c.decisionId,
    c.clearedAt,
    c.clearedBy,
  );
}

export function anyClearance(db: Db): boolean {
  return (
    stmt(db, 'SELECT EXISTS (SELECT 1 FROM clearances WHERE undone_by IS NULL)').pluck().get() === 1
  );
}

/** The standing clearances of the entries, by "list\0key", the latest first. */
export function clearancesOf(
  db: Db,
  entries: { list: string; key: string }[],
): Map<string, Clearance[]> {
  const out = new Map<string, Clearance[]>();
  if (entries.length === 0) return out;
  const rows = stmt(
    db,
    `SELECT ${COLUMNS} FROM clearances WHERE undone_by IS NULL
       AND (list, entry_key) IN (SELECT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(?)) ORDER BY id DESC`,
  ).all(JSON.stringify(entries.map((e) => [e.list, e.key]))) as Row[];
  for (const r of rows) {
    const k = `${r.list}\u0000${r.entryKey}`;
    out.set(k, [...(out.get(k) ?? []), toClearance(r)]);
  }
  return out;
}

/** A channel's standing clearances (or every channel's), the latest first. */
export function standingClearances(db: Db, channel: string | null): Clearance[] {
  return (
    stmt(
      db,
      `SELECT ${COLUMNS} FROM clearances WHERE undone_by IS NULL AND (? IS NULL OR channel = ?) ORDER BY id DESC`,
    ).all(channel, channel) as Row[]
  ).map(toClearance);
}

export function clearanceById(
  db: Db,
  id: number,
): (Clearance & { undoneBy: number | null }) | undefined {
  const r = stmt(db, `SELECT ${COLUMNS}, undone_by AS undoneBy FROM clearances WHERE id = ?`).get(
    id,
  ) as (Row & { undoneBy: number | null }) | undefined;
  return r && { ...toClearance(r), undoneBy: r.undoneBy };
}

/** Marks a clearance undone by a decision (the decision is the record; this column finds it). */
export function undoClearance(db: Db, id: number, decisionId: number): void {
  stmt(db, 'UPDATE clearances SET undone_by = ? WHERE id = ? AND undone_by IS NULL').run(
    decisionId,
    id,
  );
}
