// Multi-row INSERTs. A statement call costs microseconds of its own (binding, stepping, resetting,
// the crossing between JavaScript and SQLite), paid once per row by a row-at-a-time insert: the
// three-year SDN catch-up made ~50,000 such calls. One `VALUES (…), (…), …` statement per 64 rows
// measured 25–50% faster per table (deliveries 82 → 42 ms for 8,467 rows). The B-tree work per row
// stays what it was; set-based `SELECT … FROM json_each(?)` inserts did not gain, their JSON
// parsing costing what the calls saved.
import type Database from 'better-sqlite3';
import { stmt, type Db } from './database.js';

const CHUNK = 64;

/**
 * Splits rows into statements of CHUNK rows, then the rest in powers of two (37 = 32 + 4 + 1), so
 * an insert shape prepares at most seven statements, each cached for the connection.
 */
function* pieces(count: number): Generator<[start: number, size: number]> {
  let start = 0;
  for (; start + CHUNK <= count; start += CHUNK) yield [start, CHUNK];
  for (let size = CHUNK / 2; size >= 1; size /= 2) {
    if (start + size <= count) {
      yield [start, size];
      start += size;
    }
  }
}

/**
 * Rows start..start+size as one flat parameter list. A plain loop: `rows.slice().flat()` cost 17 ms
 * per 8,467 nine-column rows against 0.4 ms, ~70 ms of the three-year catch-up.
 */
function flatten(
  rows: readonly unknown[][],
  start: number,
  size: number,
  width: number,
): unknown[] {
  const out = new Array<unknown>(size * width);
  let k = 0;
  for (let i = start; i < start + size; i++) {
    const row = rows[i]!;
    for (let j = 0; j < width; j++) out[k++] = row[j];
  }
  return out;
}

/**
 * One row's tuple in a statement: `?` for each value of the row, in order, and `@name` for a value
 * that is the same in every row, bound once per statement instead of once per row (the source and
 * the time of a poll's 7,000 new entries: 52 against 61 ms for their insert).
 */
export interface RowShape {
  tuple: string;
  shared: Record<string, unknown>;
}

const plain = (width: number): RowShape => ({
  tuple: `(${new Array(width).fill('?').join(', ')})`,
  shared: {},
});

/** The parameters of one statement: its rows' values, then the shared ones if it names any. */
const params = (values: unknown[], shared: Record<string, unknown>): unknown[] =>
  Object.keys(shared).length ? [values, shared] : [values];

function statement(
  db: Db,
  head: string,
  shape: RowShape,
  size: number,
  tail: string,
): Database.Statement {
  return stmt(
    db,
    `${head} VALUES ${new Array(size).fill(shape.tuple).join(', ')}${tail ? ` ${tail}` : ''}`,
  );
}

/** Runs `f` over the statements that insert the rows, with the parameters of each. */
function each(
  db: Db,
  head: string,
  rows: readonly unknown[][],
  tail: string,
  shape: RowShape | undefined,
  f: (s: Database.Statement, p: unknown[], size: number) => void,
): void {
  if (rows.length === 0) return;
  const width = rows[0]!.length;
  const s = shape ?? plain(width);
  if (s.tuple.split('?').length - 1 !== width)
    throw new Error(`a row of ${width} values does not fit ${s.tuple}`);
  for (const [start, size] of pieces(rows.length))
    f(
      statement(db, head, s, size, tail),
      params(flatten(rows, start, size, width), s.shared),
      size,
    );
}

/** `head VALUES (…), … tail` over every row (each row an array of its values). */
export function insertRows(
  db: Db,
  head: string,
  rows: readonly unknown[][],
  tail = '',
  shape?: RowShape,
): void {
  each(db, head, rows, tail, shape, (s, p) => s.run(...p));
}

/**
 * A plain INSERT into a rowid table: the new rows' ids, in the order of the rows. Within one
 * statement SQLite gives each new row the largest rowid so far plus one, so a statement's rows
 * hold consecutive ids ending at its last insert rowid (checked against the rows it inserted).
 */
export function insertRowsWithIds(
  db: Db,
  head: string,
  rows: readonly unknown[][],
  shape?: RowShape,
): number[] {
  const ids: number[] = [];
  each(db, head, rows, '', shape, (s, p, size) => {
    const res = s.run(...p);
    if (res.changes !== size)
      throw new Error(`a bulk insert stored ${res.changes} of ${size} rows (${head})`);
    const last = Number(res.lastInsertRowid);
    for (let i = size - 1; i >= 0; i--) ids.push(last - i);
  });
  return ids;
}

/** An insert with a RETURNING clause in `tail`: every row it returns (in no promised order). */
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
