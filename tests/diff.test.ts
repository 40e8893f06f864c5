import { describe, expect, it } from 'vitest';
import { diffSnapshot } from '../src/diff.js';
import type { DesignationRecord } from '../src/domain.js';
import { parseOfacCsv } from '../src/sources/ofac-csv.js';
import { fixture } from './helpers/fixtures.js';

function snapshot(path: string): DesignationRecord[] {
  const s = parseOfacCsv({ primary: fixture(path) });
  if (s.kind !== 'list') throw new Error('list');
  return s.records;
}
const stored = (rs: DesignationRecord[]) => new Map(rs.map((r) => [r.key, JSON.stringify(r)]));

describe('diffSnapshot on two real SDN downloads (2024-04-04 → 2024-04-12)', () => {
  const before = snapshot('ofac/sdn_2024-04-04_trimmed.csv');
  const after = snapshot('ofac/sdn_2024-04-12_trimmed.csv');
  const { changes } = diffSnapshot(stored(before), after);

  it('finds exactly the real changes', () => {
    const of = (t: string) => changes.filter((c) => c.type === t).map((c) => c.record.key).sort();
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

  it('finds nothing between a snapshot and itself', () => {
    expect(diffSnapshot(stored(after), after).changes).toEqual([]);
  });

  it('ignores a reordering inside multi-valued fields', () => {
    const r = { ...after[0]!, aliases: ['B', 'A'] };
    const reordered = { ...r, aliases: ['A', 'B'] };
    expect(diffSnapshot(stored([r]), [reordered]).changes).toEqual([]);
  });
});
