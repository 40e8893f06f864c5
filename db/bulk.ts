// Inserts of many rows through one prepared statement, run once per row. Multi-row `VALUES (…),
// (…), …` statements were 25–50% faster per table, ~0.1 s of the three-year SDN catch-up, which
// no one waiting for an alert feels.
import type Database from 'better-sqlite3';
import { stmt, type Db } from './database.js';

/** Runs `f` once per row with the statement `head VALUES (?, …) tail`. */
function each(
  db: Db,
  head: string,
  rows: readonly unknown[][],
  tail: string,
  f: (s: Database.Statement, row: readonly unknown[]) => void,
): void {
  if (rows.length === 0) return;
  const tuple = `(${new Array(rows[0]!.length).fill('?').join(', ')})`;
  const s = stmt(db, `${head} VALUES ${tuple}${tail ? ` ${tail}` : ''}`);
  for (const row of rows) f(s, row);
}

/** `head VALUES (…) tail` for every row (each row an array of its values). */
export function insertRows(db: Db, head: string, rows: readonly unknown[][], tail = ''): void {
  each(db, head, rows, tail, (s, row) => s.run(row));
}

/** A plain INSERT into a rowid table: the new rows' ids, in the order of the rows. */
export function insertRowsWithIds(db: Db, head: string, rows: readonly unknown[][]): number[] {
  const ids: number[] = [];
  each(db, head, rows, '', (s, row) => {
    const res = s.run(row);
    if (res.changes !== 1) throw new Error(`an insert stored ${res.changes} rows (${head})`);
    ids.push(Number(res.lastInsertRowid));
  });
  return ids;
}

/** An insert with a RETURNING clause in `tail`: the row each insert returns (none if it was ignored). */
export function insertRowsReturning<T>(
  db: Db,
  head: string,
  rows: readonly unknown[][],
  tail: string,
): T[] {
  const out: T[] = [];
  each(db, head, rows, tail, (s, row) => {
    const r = s.get(row) as T | undefined;
    if (r) out.push(r);
  });
  return out;
}
