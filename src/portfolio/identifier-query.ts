// What a typed text is as an identifier: the compact keys it may be (an IMO number, a SWIFT/BIC
// code, an ISIN, with or without its label) and the ticker it may be. Pure, so the lookup (against
// the identifier index) and the router (against a changed record's identifiers) read a text alike.
import type { Identifier } from '../domain.js';
import { identifierKey } from './identifier-index.js';

/** Shorter keys are words and numbers of names, not identifiers (the shortest, tickers, go apart). */
const MIN_KEY = 5;
const MAX_KEY = 40;
/** OFAC's longest labels: "Unified Social Credit Code (USCC)", "Vessel Registration Identification IMO". */
const MAX_LABEL_WORDS = 5;
/** The labels of the identifier types that may hold no digit. */
const LETTER_ID_LABEL = /SWIFT|BIC|TAIL|AIRCRAFT/i;

/** "CHL US": a ticker typed in capitals with its exchange, as holdings give it. */
export function tickerOf(text: string): { symbol: string; exchange: string } | null {
  const t = text.trim();
  const m = t === t.toUpperCase() ? /^([A-Z0-9.]{1,10})\s+([A-Z]{2})$/.exec(t) : null;
  return m ? { symbol: m[1]!, exchange: m[2]! } : null;
}

/**
 * The keys a query may be an identifier as: the whole, and without up to five leading words
 * that hold no digit, since people type the label too ("IMO 9187629", "Tax ID No. 7702070139").
 * A ticker is typed in capitals with its exchange ("CHL US"), as holdings give it. Pure.
 */
export function identifierQuery(text: string): { keys: string[]; tickers: string[] } {
  // Full-width digits and letters (typed with an East Asian input method) read as ASCII.
  const t = text.normalize('NFKC').trim();
  // Most texts are names of several words with no digit, label or ticker's shape: nothing to take apart.
  if (t.length > 80 || (!/\d/.test(t) && /\s/.test(t) && !LETTER_ID_LABEL.test(t) && !tickerOf(t)))
    return { keys: [], tickers: [] };
  const words = t.split(/\s+/);
  const keys = new Set<string>();
  for (let drop = 0; drop <= Math.min(MAX_LABEL_WORDS, words.length - 1); drop++) {
    if (drop > 0 && /\d/.test(words[drop - 1]!)) break;
    const raw = words.slice(drop).join(' ');
    const key = identifierKey(raw);
    const label = words.slice(0, drop).join(' ');
    if (key.length >= MIN_KEY && key.length <= MAX_KEY && mayBeIdentifier(key, raw, label))
      keys.add(key);
  }
  const ticker = tickerOf(t);
  return { keys: [...keys], tickers: ticker ? [`${ticker.symbol} ${ticker.exchange}`] : [] };
}

/**
 * Whether a text that is generic as a name ("9187629", "HOLDINGS") still names something as an
 * identifier: one with a digit, or a ticker. A SWIFT/BIC code's shape alone does not count: eight
 * letters are as often a generic word ("SERVICES", "HOLDINGS").
 */
export function isSpecificIdentifier(q: { keys: string[]; tickers: string[] }): boolean {
  return q.tickers.length > 0 || q.keys.some((k) => /\d/.test(k));
}

/**
 * Every identifier type holds a digit but SWIFT/BIC codes (DEUTDEFF, SBERRUMM: six letters, then
 * two letters or digits, then maybe three more) and aircraft tail numbers (EP-MMH, YK-ATA). Those
 * two are looked for only as the whole query or after their label: a name's last word so often has
 * their shape ("ADVANCED WEB SERVICES", "ABU AL-JUD") that most lookups would search for nothing.
 */
function mayBeIdentifier(key: string, raw: string, label: string): boolean {
  if (/\d/.test(key)) return true;
  if (label !== '' && !LETTER_ID_LABEL.test(label)) return false;
  return (
    /^[A-Z]{6}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$/i.test(raw) || /^[A-Z0-9]{1,2}-[A-Z0-9]{2,5}$/i.test(raw)
  );
}

/**
 * A listed identifier as a followed one is compared with it: compact ("IMO 7406784" → 7406784,
 * as identifierQuery reads a typed one), a ticker with its exchange ("Ticker CHL US").
 */
export function routeKey(i: Pick<Identifier, 'type' | 'value' | 'exchange'>): string | null {
  if (i.type === 'Ticker')
    return i.exchange ? `Ticker ${`${i.value} ${i.exchange}`.toUpperCase()}` : null;
  return identifierKey(i.value) || null;
}

/**
 * Whether two texts name one identifier: the same compact key with a digit ("imo 7406784" and
 * "IMO 7406784"), or one is the bare number the other gives after its label ("111601632100" and
 * "Tax ID No. 111 601 632 100"). Two labels before one number ("Alpha 12345", "Beta 12345") are not.
 */
export function sharesIdentifier(a: string, b: string): boolean {
  const bare = (t: string) =>
    t
      .trim()
      .split(/\s+/)
      .every((w) => /\d/.test(w));
  const digitKeys = (t: string) => identifierQuery(t).keys.filter((k) => /\d/.test(k));
  const ka = identifierKey(a);
  const kb = identifierKey(b);
  if (!/\d/.test(ka) || !/\d/.test(kb)) return false;
  if (ka === kb) return true;
  if (bare(a)) return digitKeys(b).includes(ka);
  if (bare(b)) return digitKeys(a).includes(kb);
  return false;
}
