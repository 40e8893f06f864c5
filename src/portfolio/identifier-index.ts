// What of a record the holdings index keys on: its identifiers, and the names it is Linked To
// (normalised), so a holding of a parent or subsidiary is found as linked, not as listed.
import type { DesignationRecord } from '../domain.js';
import { normalizeName } from '../names/normalize.js';

/** Raise with any change to identifiersOfRecord: the index is rebuilt once at open. */
export const IDENTIFIERS_SCHEME = 2;

/**
 * The identifiers a holding can carry (see holdings-file.ts). Registration and tax numbers, IMO
 * numbers and the like stay in the record: indexed, they were 8,900 of the SDN's 15,400 rows here,
 * written on every change and never read.
 */
const HOLDING_IDENTIFIER_TYPES: ReadonlySet<string> = new Set(['ISIN', 'Ticker', 'USCC', 'LEI']);

type Linked = Pick<DesignationRecord, 'identifiers' | 'linkedTo'>;

export interface IndexedIdentifier {
  type: string;
  value: string;
  exchange: string | null;
}

function identifiersOfRecord(r: Linked, normalize: (name: string) => string): IndexedIdentifier[] {
  const out = (r.identifiers ?? []).filter((i) => HOLDING_IDENTIFIER_TYPES.has(i.type)).map((i) => ({ type: i.type, value: i.value.toUpperCase(), exchange: i.exchange ?? null }));
  for (const l of r.linkedTo ?? []) {
    const n = normalize(l);
    if (n) out.push({ type: 'LinkedTo', value: n, exchange: null });
  }
  return out;
}

/**
 * What of each record to index, for a batch of records: a parent is Linked To by many entries
 * (the 2024 SDN's 6,374 links name 1,663 parents), so each of its names is normalised once.
 */
export function identifiersReader(): (r: Linked) => IndexedIdentifier[] {
  const normalized = new Map<string, string>();
  const normalize = (name: string) => {
    let n = normalized.get(name);
    if (n === undefined) normalized.set(name, (n = normalizeName(name)));
    return n;
  };
  return (r) => identifiersOfRecord(r, normalize);
}
