// Inserts of many rows through one prepared statement, run once per row. Multi-row `VALUES (…),
// (…), …` statements were 25–50% faster per table, ~0.1 s of the three-year SDN catch-up, which
// no one waiting for an alert feels.
import type Database from 'better-sqlite3';
import { stmt, type Db } from './database.js';

/**
 * One row's tuple in a statement: `?` for each value of the row, in order, and `@name` for a value
 * that is the same in every row (the source and the time of a poll's new entries).
 */
export interface RowShape {
  tuple: string;
  shared: Record<string, unknown>;
}

/** Runs `f` once per row with the statement `head VALUES tuple tail` and the row's parameters. */
function each(
  db: Db,
  head: string,
  rows: readonly unknown[][],
  tail: string,
  shape: RowShape | undefined,
  f: (s: Database.Statement, p: unknown[]) => void,
): void {
  if (rows.length === 0) return;
  const width = rows[0]!.length;
  const tuple = shape?.tuple ?? `(${new Array(width).fill('?').join(', ')})`;
  if (tuple.split('?').length - 1 !== width)
    throw new Error(`a row of ${width} values does not fit ${tuple}`);
  const s = stmt(db, `${head} VALUES ${tuple}${tail ? ` ${tail}` : ''}`);
  const shared = shape && Object.keys(shape.shared).length ? shape.shared : null;
  for (const row of rows) f(s, shared ? [row, shared] : [row]);
}

/** `head VALUES (…) tail` for every row (each row an array of its values). */
export function insertRows(
  db: Db,
  head: string,
  rows: readonly unknown[][],
  tail = '',
  shape?: RowShape,
): void {
  each(db, head, rows, tail, shape, (s, p) => s.run(...p));
}

/** A plain INSERT into a rowid table: the new rows' ids, in the order of the rows. */
export function insertRowsWithIds(
  db: Db,
  head: string,
  rows: readonly unknown[][],
  shape?: RowShape,
): number[] {
  const ids: number[] = [];
  each(db, head, rows, '', shape, (s, p) => {
    const res = s.run(...p);
    if (res.changes !== 1) throw new Error(`an insert stored ${res.changes} rows (${head})`);
    ids.push(Number(res.lastInsertRowid));
  });
  return ids;
}

/** An insert with a RETURNING clause in `tail`: every row it returns. */
export function insertRowsReturning<T>(
  db: Db,
  head: string,
  rows: readonly unknown[][],
  tail: string,
  shape?: RowShape,
): T[] {
  const out: T[] = [];
  each(db, head, rows, tail, shape, (s, p) => {
    for (const r of s.all(...p) as T[]) out.push(r);
  });
  return out;
}
