// Whether two sources' entries of one list are the same designation: OFAC's files key an entry by
// its ent_num ("36233"), the CSL keys Treasury rows "<list>:<ent_num>" ("NS-CMIC:36233") and
// other rows "<list>:<normalised name>". Pure.
import { normalizeKeyName } from '../names/key.js';

export interface EntryRef {
  key: string;
  name: string;
}

/** The OFAC number an entry key carries, if any. */
function ofacNumber(list: string, key: string): string | null {
  const bare = key.startsWith(`${list}:`) ? key.slice(list.length + 1) : key;
  return /^\d+$/.test(bare) ? bare : null;
}

/** Same list (the caller's), and the same OFAC number, or, where either has none, the same normalised name. */
export function sameEntry(list: string, a: EntryRef, b: EntryRef): boolean {
  const na = ofacNumber(list, a.key);
  const nb = ofacNumber(list, b.key);
  if (na && nb) return na === nb;
  return normalizeKeyName(a.name) === normalizeKeyName(b.name);
}

/**
 * Entries of one list (another source's recent changes) found by `sameEntry` in constant time: a
 * catch-up of thousands of changes compares each once, not with every other.
 */
export class SameEntryIndex<T extends EntryRef> {
  private byNumber = new Map<string, T[]>();
  /** By name, the entries without a number (any entry may match them by name). */
  private byNameUnnumbered = new Map<string, T[]>();
  /** By name, every entry (an entry without a number matches any of them by name). */
  private byName = new Map<string, T[]>();

  constructor(
    private list: string,
    entries: T[],
  ) {
    const push = (m: Map<string, T[]>, k: string, e: T) =>
      (m.get(k) ?? m.set(k, []).get(k)!).push(e);
    for (const e of entries) {
      const n = ofacNumber(list, e.key);
      const name = normalizeKeyName(e.name);
      if (n) push(this.byNumber, n, e);
      else push(this.byNameUnnumbered, name, e);
      push(this.byName, name, e);
    }
  }

  find(entry: EntryRef): T[] {
    const n = ofacNumber(this.list, entry.key);
    const name = normalizeKeyName(entry.name);
    return n
      ? [...(this.byNumber.get(n) ?? []), ...(this.byNameUnnumbered.get(name) ?? [])]
      : (this.byName.get(name) ?? []);
  }
}
