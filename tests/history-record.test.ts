// History rows written before each version was stored once (2026-11-27) carry their own version:
// an added or amended row in "after", a removal in "before". They read back as before, next to
// rows of the new form in one entity's history.
import { describe, expect, it } from 'vitest';
import { openDb } from '../db/database.js';
import { RECORD_AS_OF } from '../db/history-record.js';

describe('the record as of a history row', () => {
  it('reads rows of the old form, then of the new, in one history', () => {
    const { db } = openDb(':memory:');
    const v = (programs: string) =>
      JSON.stringify({
        key: '39136',
        name: 'STANKOVIC, Slobodan',
        list: 'SDN',
        programs: [programs],
      });
    db.prepare("INSERT INTO sources (id, kind) VALUES ('ofac-sdn', 'ofac-csv')").run();
    db.prepare(
      "INSERT INTO designations (source_id, key, list, name, record, first_seen, last_changed) VALUES ('ofac-sdn', '39136', 'SDN', 'STANKOVIC, Slobodan', ?, 'x', 'x')",
    ).run(v('v4'));
    const change = db.prepare(
      "INSERT INTO changes (source_id, key, list, name, type, before, after, detected_at) VALUES ('ofac-sdn', '39136', 'SDN', 'STANKOVIC, Slobodan', ?, ?, ?, 'x')",
    );
    // Old form: each row its own version.
    change.run('designation.added', null, v('v1'));
    change.run('designation.amended', v('v1'), v('v2'));
    change.run('designation.removed', v('v2'), null);
    // New form: a relisting keeps what it overwrote (v2), an amendment its previous version (v3).
    change.run('designation.added', v('v2'), null);
    change.run('designation.amended', v('v3'), null);
    const asOf = db
      .prepare(`SELECT ${RECORD_AS_OF} FROM changes c ORDER BY c.id`)
      .pluck()
      .all() as string[];
    expect(asOf.map((r) => (JSON.parse(r) as { programs: string[] }).programs[0])).toEqual([
      'v1',
      'v2',
      'v2',
      'v3',
      'v4',
    ]);
    db.close();
  });
});
