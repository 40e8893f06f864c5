// Inserts of many rows: every row stored once, in order, with the row ids the callers hand on (a
// change's id to its alert, an alert's to its deliveries, a name's to its acronyms).
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { insertRows, insertRowsReturning, insertRowsWithIds } from '../db/bulk.js';

const table = () => {
  const db = new Database(':memory:');
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, k TEXT UNIQUE, v INTEGER)');
  // Rows already there, and a gap: new ids start past the largest, not in the gap.
  db.exec("INSERT INTO t (id, k, v) VALUES (3, 'old-3', 0), (10, 'old-10', 0)");
  return db;
};

describe('bulk inserts', () => {
  it.each([1, 63, 64, 65, 200, 1000])('stores %i rows in order and returns their ids', (n) => {
    const db = table();
    const rows = Array.from({ length: n }, (_, i) => [`k${i}`, i]);
    const ids = insertRowsWithIds(db, 'INSERT INTO t (k, v)', rows);
    expect(ids).toHaveLength(n);
    const stored = db.prepare('SELECT id, k, v FROM t WHERE id > 10 ORDER BY id').all() as {
      id: number;
      k: string;
      v: number;
    }[];
    expect(stored.map((r) => r.id)).toEqual(ids);
    expect(stored.map((r) => r.v)).toEqual(rows.map((r) => r[1]));
    expect(ids[0]).toBe(11);
    db.close();
  });

  it('runs OR IGNORE and ON CONFLICT tails over every row; RETURNING gives every row', () => {
    const db = table();
    insertRows(
      db,
      'INSERT OR IGNORE INTO t (k, v)',
      Array.from({ length: 100 }, (_, i) => [`k${i % 70}`, i]),
    );
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(72);
    const back = insertRowsReturning<{ k: string; v: number }>(
      db,
      'INSERT INTO t (k, v)',
      Array.from({ length: 90 }, (_, i) => [`k${i}`, 1000 + i]),
      'ON CONFLICT (k) DO UPDATE SET v = excluded.v RETURNING k, v',
    );
    expect(back).toHaveLength(90);
    expect(new Map(back.map((r) => [r.k, r.v])).get('k5')).toBe(1005);
    expect(db.prepare("SELECT v FROM t WHERE k = 'k80'").pluck().get()).toBe(1080);
    db.close();
  });

  it('says so when a bulk insert with ids did not store every row', () => {
    const db = table();
    expect(() =>
      insertRowsWithIds(db, 'INSERT OR IGNORE INTO t (k, v)', [
        ['old-3', 1],
        ['new', 2],
      ]),
    ).toThrow(/an insert stored 0 rows/);
    db.close();
  });

  it('does nothing with no rows', () => {
    const db = table();
    expect(insertRowsWithIds(db, 'INSERT INTO t (k, v)', [])).toEqual([]);
    insertRows(db, 'INSERT INTO t (k, v)', []);
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(2);
    db.close();
  });
});
