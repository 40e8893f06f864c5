// What of a record the holdings index keys on: its identifiers, and the names it is Linked To
// (normalised), so a holding of a parent or subsidiary is found as linked, not as listed.
import type { DesignationRecord } from '../domain.js';
import { normalizeName } from '../names/normalize.js';

/** Raise with any change to identifiersOfRecord: the index is rebuilt once at open. */
export const IDENTIFIERS_SCHEME = 1;

export function identifiersOfRecord(r: Pick<DesignationRecord, 'identifiers' | 'linkedTo'>): { type: string; value: string; exchange: string | null }[] {
  const out = (r.identifiers ?? []).map((i) => ({ type: i.type, value: i.value.toUpperCase(), exchange: i.exchange ?? null }));
  for (const l of r.linkedTo ?? []) {
    const n = normalizeName(l);
    if (n) out.push({ type: 'LinkedTo', value: n, exchange: null });
  }
  return out;
}
