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

/** Same list (the caller's), and the same OFAC number, or the same normalised name. */
export function sameEntry(list: string, a: EntryRef, b: EntryRef): boolean {
  const na = ofacNumber(list, a.key);
  const nb = ofacNumber(list, b.key);
  if (na && nb) return na === nb;
  return normalizeKeyName(a.name) === normalizeKeyName(b.name);
}
