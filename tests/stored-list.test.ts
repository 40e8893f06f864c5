// What a poll reads of a source's active entries before it diffs: every key with its fingerprint,
// read as two JSON arrays in one row. Keys are the source's own text (CSL ids, OFAC numbers), so
// quotes, backslashes and letters beyond ASCII must come back as they went in, and each print with
// its own key.
import { describe, expect, it } from 'vitest';
import { openDb } from '../db/database.js';
import { storedList } from '../db/designations.js';

describe('storedList', () => {
  it('reads every active key with its own print, removed and other sources left out', () => {
    const { db } = openDb(':memory:');
    db.prepare("INSERT INTO sources (id, kind) VALUES ('csl', 'csl'), ('other', 'csl')").run();
    const add = db.prepare(
      "INSERT INTO designations (source_id, key, list, name, record, print, first_seen, last_changed, removed_at) VALUES (?, ?, 'Entity List', 'x', '{}', ?, 'x', 'x', ?)",
    );
    const entries: [string, number | null][] = [
      ['36', 4503599627370495],
      ['a "quoted" \\ key', 0],
      ['Ümlaut-Ω-北京', -7],
      ['line\nbreak', null],
      ['[1,2]', 12],
    ];
    for (const [key, print] of entries) add.run('csl', key, print, null);
    add.run('csl', 'gone', 1, '2024-01-01');
    add.run('other', 'elsewhere', 2, null);
    const stored = storedList(db, 'csl');
    expect(new Map(stored.prints)).toEqual(new Map(entries));
    expect(stored.json(['36', 'gone'])).toEqual(
      new Map([
        ['36', '{}'],
        ['gone', '{}'],
      ]),
    );
    expect(storedList(db, 'none').prints.size).toBe(0);
    db.close();
  });
});
