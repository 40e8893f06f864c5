// What makes a listed entry that entry, for a remembered false positive: its names, identifiers,
// addresses and programs. A clearance holds while they are as they were when someone said "not
// us"; when one of them changes, the channel hears of the entry again, told what changed since.
import type { DesignationRecord } from '../domain.js';

export interface Material {
  names: string[];
  identifiers: string[];
  addresses: string[];
  programs: string[];
}

const sortedUnique = (xs: readonly string[]) =>
  [...new Set(xs.map((x) => x.trim()).filter(Boolean))].sort();

export function materialOf(r: DesignationRecord): Material {
  return {
    names: sortedUnique([r.name, ...r.aliases]),
    identifiers: sortedUnique(
      (r.identifiers ?? []).map((i) => `${i.type} ${i.value}${i.exchange ? ` ${i.exchange}` : ''}`),
    ),
    addresses: sortedUnique(r.addresses),
    programs: sortedUnique(r.programs),
  };
}

const WORDS: Record<keyof Material, string> = {
  names: 'name',
  identifiers: 'identifier',
  addresses: 'address',
  programs: 'program',
};

/** What changed between two states of an entry, in words ("name added: HUAWEI DEVICE"); none: the same entry. */
export function materialChanges(before: Material, after: Material): string[] {
  const out: string[] = [];
  for (const k of Object.keys(WORDS) as (keyof Material)[]) {
    const was = new Set(before[k] ?? []);
    const now = new Set(after[k] ?? []);
    for (const x of now) if (!was.has(x)) out.push(`${WORDS[k]} added: ${x}`);
    for (const x of was) if (!now.has(x)) out.push(`${WORDS[k]} removed: ${x}`);
  }
  return out;
}
