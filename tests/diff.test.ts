import { describe, expect, it } from 'vitest';
import { diffSnapshot } from '../src/poll/diff.js';
import type { ListSnapshot } from '../src/domain.js';
import { listSnapshot } from '../src/sources/list-snapshot.js';
import { parseOfacCsv } from '../src/sources/ofac-csv.js';
import { fixture } from './helpers/fixtures.js';
import { storedRecords } from './helpers/stored.js';

const snapshot = (path: string) => parseOfacCsv({ primary: fixture(path) });
const stored = (s: ListSnapshot) => storedRecords(s.records);

describe('diffSnapshot on two real SDN downloads (2024-04-04 → 2024-04-12)', () => {
  const before = snapshot('ofac/sdn_2024-04-04_trimmed.csv');
  const after = snapshot('ofac/sdn_2024-04-12_trimmed.csv');
  const { changes } = diffSnapshot(stored(before), after);

  it('finds exactly the real changes', () => {
    const of = (t: string) =>
      changes
        .filter((c) => c.type === t)
        .map((c) => c.record.key)
        .sort();
    expect(of('designation.removed')).toEqual(['39136', '39137']);
    expect(of('designation.added')).toEqual(['48239', '48240', '48241', '48242']);
    expect(of('designation.amended')).toEqual(['46788']);
  });

  it('names the changed field with before and after', () => {
    const amended = changes.find((c) => c.type === 'designation.amended');
    if (amended?.type !== 'designation.amended') throw new Error('no amendment');
    expect(amended.fields.map((f) => f.field)).toEqual(['remarks']);
    expect(String(amended.fields[0]!.before)).toContain('Passport 8708321052');
    expect(String(amended.fields[0]!.after)).toContain('Passport 8705080546');
  });

  it('keeps the stored JSON of amended entries, for their history rows, and of nothing else', () => {
    const storedForm = stored(before);
    const { priors, changes } = diffSnapshot(storedForm, after);
    expect([...priors.keys()]).toEqual(
      changes.filter((c) => c.type === 'designation.amended').map((c) => c.record.key),
    );
    expect(priors.size).toBe(1);
    for (const [key, json] of priors) expect(json).toBe(storedForm.json([key]).get(key));
  });

  it('finds nothing between a snapshot and itself', () => {
    expect(diffSnapshot(stored(after), after).changes).toEqual([]);
  });

  it('ignores a reordering inside multi-valued fields', () => {
    const r = { ...after.record(0), aliases: ['B', 'A'] };
    const reordered = { ...r, aliases: ['A', 'B'] };
    expect(diffSnapshot(storedRecords([r]), listSnapshot([reordered])).changes).toEqual([]);
  });
});

describe('diffSnapshot with entry fingerprints', () => {
  const before = snapshot('ofac/sdn_2024-04-04_trimmed.csv');
  const after = snapshot('ofac/sdn_2024-04-12_trimmed.csv');
  /** The same snapshot, counting the records the diff asks it to build. */
  const counting = (s: ListSnapshot) => {
    const built: string[] = [];
    const wrapped: ListSnapshot = {
      kind: 'list',
      keys: s.keys,
      prints: s.prints,
      warnings: [],
      records: [],
      record: (i) => (built.push(s.keys[i]!), s.record(i)),
    };
    return { wrapped, built };
  };

  it('builds only entries whose fingerprint moved, and finds the same changes as comparing every record', () => {
    const { wrapped, built } = counting(after);
    const withPrints = diffSnapshot(storedRecords(before.records, before.prints), wrapped);
    const full = diffSnapshot(stored(before), after);
    expect(withPrints.changes).toEqual(full.changes);
    // The 4 added and 1 amended entries; none of the other 120 is built.
    expect(built.sort()).toEqual(['46788', '48239', '48240', '48241', '48242']);
    expect([...withPrints.prints.keys()].sort()).toEqual(built);
    // Only the amended entry's JSON is made in the diff; added ones are serialised when stored.
    expect([...withPrints.json.keys()]).toEqual(['46788']);
    expect(withPrints.reprinted).toEqual([]);
  });

  it('an entry stored without a fingerprint is built once and compared; unchanged, only its fingerprint is kept', () => {
    const { wrapped, built } = counting(after);
    const d = diffSnapshot(storedRecords(after.records), wrapped);
    expect(d.changes).toEqual([]);
    expect(d.refreshed).toEqual([]);
    expect(built).toHaveLength(after.keys.length);
    expect(d.prints.size).toBe(after.keys.length);
    expect(d.json.size).toBe(0);
    expect(d.reprinted).toEqual(after.keys.map((key, i) => [key, after.prints![i]]));
  });
});
