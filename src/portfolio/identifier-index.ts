// What of a record the holdings index keys on: its identifiers, and the names it is Linked To
// (normalised), so a holding of a parent or subsidiary is found as linked, not as listed.
import type { DesignationRecord } from '../domain.js';
import { normalizeName } from '../names/normalize.js';

/** Raise with any change to identifiersOfRecord: the index is rebuilt once at open. */
export const IDENTIFIERS_SCHEME = 3;

/**
 * The identifiers a holding can carry (see holdings-file.ts), stored as the source gives them. The
 * others (IMO and MMSI numbers, SWIFT/BIC codes, registration and tax numbers, ...) are looked up by
 * `lookup` as typed, with spacing and punctuation as the source does not write them consistently
 * ("AABA 670850 Y", "BE 454,419,759", "EP-MMH"): stored compact, as identifierKey gives them.
 */
const HOLDING_IDENTIFIER_TYPES: ReadonlySet<string> = new Set(['ISIN', 'Ticker', 'USCC', 'LEI']);

/**
 * An identifier as a lookup compares it: letters and digits only, in capitals, without a trailing
 * parenthesis ("AO 2879097 (Italy) expires 30 Oct 2012" → AO2879097).
 */
export function identifierKey(value: string): string {
  return value
    .replace(/\s*\(.*$/s, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]/g, '');
}

type Linked = Pick<DesignationRecord, 'identifiers' | 'linkedTo'>;

export interface IndexedIdentifier {
  type: string;
  value: string;
  exchange: string | null;
}

function identifiersOfRecord(r: Linked, normalize: (name: string) => string): IndexedIdentifier[] {
  const out: IndexedIdentifier[] = [];
  for (const i of r.identifiers ?? []) {
    const value = HOLDING_IDENTIFIER_TYPES.has(i.type)
      ? i.value.toUpperCase()
      : identifierKey(i.value);
    if (value) out.push({ type: i.type, value, exchange: i.exchange ?? null });
  }
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
