// Identifiers and CMIC dates out of OFAC remarks ("ISIN US16941M1099; alt. Equity Ticker 941 HK;
// Unified Social Credit Code (USCC) 9111... (China); Effective Date (CMIC) 02 Aug 2021; Linked
// To: CHINA MOBILE COMMUNICATIONS GROUP CO., LTD.") and out of the CSL `ids` column ("ISIN,
// US1694261033", "Equity Ticker, CHA US", "Tax ID No., 7702070139, RU"). Pure; the raw remark
// stays in `remarks`.
import type { Identifier } from '../domain.js';
import { toIsoDate } from './parse.js';

/** Remark labels of identifiers, as OFAC spells them → the type we give them. Longest first. */
const LABELS: [string, string][] = (
  [
    ['Unified Social Credit Code (USCC)', 'USCC'],
    ['Legal Entity Number', 'LEI'],
    ['Vessel Registration Identification IMO', 'IMO'],
    ['Vessel Registration Identification', 'IMO'],
    ['Equity Ticker', 'Ticker'],
    ['ISIN', 'ISIN'],
    ['SWIFT/BIC', 'SWIFT/BIC'],
    ['MMSI', 'MMSI'],
    ['Registration Number', 'Registration Number'],
    ['Business Registration Number', 'Registration Number'],
    ['Commercial Registry Number', 'Registration Number'],
    ['Company Number', 'Registration Number'],
    ['Registration ID', 'Registration Number'],
    ['Central Registration System Number', 'Registration Number'],
    ['Chamber of Commerce Number', 'Registration Number'],
    ['Government Gazette Number', 'Government Gazette Number'],
    ['Tax ID No.', 'Tax ID'],
    ['V.A.T. Number', 'VAT'],
    ['D-U-N-S Number', 'D-U-N-S'],
    ['Trade License No.', 'Trade License'],
    ['Identification Number', 'Identification Number'],
    ['Aircraft Tail Number', 'Aircraft Tail Number'],
  ] as [string, string][]
).sort((a, b) => b[0].length - a[0].length);

const TYPE_OF = new Map(LABELS);
const escape = (l: string) => l.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** One test per remark part: 15,000 SDN entries carry ~100,000 parts, most of them DOBs and places. */
const LABELLED = new RegExp(`^(${LABELS.map(([l]) => escape(l)).join('|')}) (.+)$`);

/** A remark with none of these words holds nothing parsed here (most of the SDN's people). */
const WORTH_SPLITTING =
  /Number|ISIN|Ticker|USCC|SWIFT|IMO|MMSI|Tax ID|V\.A\.T|D-U-N-S|License|Registration|CMIC|Linked To/;

/** An ISIN's check digit (Luhn over its letters as numbers, A=10 ... Z=35). */
export function isValidIsin(isin: string): boolean {
  if (!/^[A-Z]{2}[A-Z0-9]{9}\d$/.test(isin)) return false;
  const digits = [...isin.slice(0, 11)]
    .map((c) => (/\d/.test(c) ? c : String(c.charCodeAt(0) - 55)))
    .join('');
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return (10 - (sum % 10)) % 10 === Number(isin[11]);
}

export interface RemarkFacts {
  identifiers: Identifier[];
  /** CMIC: purchases barred from (Effective Date). */
  effectiveOn: string | null;
  /** CMIC: purchases and sales for divestment allowed until. */
  divestBy: string | null;
  /** Names the entry is linked to (parent, owner). */
  linkedTo: string[];
}

function identifier(type: string, raw: string, country: string | null): Identifier | null {
  let value = raw.trim().replace(/\.$/, '').trim();
  if (!value) return null;
  if (type === 'IMO') value = value.replace(/^IMO\s*/i, '');
  if (type === 'Ticker') {
    // "CHL US", "941 HK", "C1HL34 BR": the symbol and the exchange's country code.
    const m = /^(\S+)\s+([A-Z]{2})$/.exec(value);
    return m ? { type, value: m[1]!, exchange: m[2]! } : { type, value };
  }
  if (type === 'ISIN') {
    value = value.toUpperCase();
    return { type, value, ...(isValidIsin(value) ? {} : { valid: false }) };
  }
  return { type, value, ...(country ? { country } : {}) };
}

const dedupe = (ids: Identifier[]) => {
  const seen = new Set<string>();
  return ids.filter((i) => {
    const k = `${i.type}|${i.value}|${i.exchange ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
};

/**
 * The two letters a remark part read here can open with: a label's, "Linked To" (either case),
 * "Effective Date", "Purchase/Sales" and "alt." (any case).
 */
const OPENINGS = new Set(
  [...LABELS.map(([l]) => l), 'Li', 'LI', 'Ef', 'Pu', 'al', 'aL', 'Al', 'AL'].map(
    (l) => (l.charCodeAt(0) << 8) | l.charCodeAt(1),
  ),
);

/**
 * Where the part of `text` that starts at `start` opens, past the ASCII white space trim() drops; -1
 * if it opens with two ASCII characters no part read here opens with (a DOB, a gender, a website:
 * most of them), so it need not even be cut out. Text past other white space is always read.
 */
function opening(text: string, start: number, end: number): number {
  let i = start;
  // Tab, line feed, vertical tab, form feed, carriage return, space.
  for (
    let c = text.charCodeAt(i);
    i < end && (c === 32 || (c >= 9 && c <= 13));
    c = text.charCodeAt(++i)
  );
  if (i + 1 >= end) return i;
  const a = text.charCodeAt(i);
  const b = text.charCodeAt(i + 1);
  return a > 127 || b > 127 || OPENINGS.has((a << 8) | b) ? i : -1;
}

/** Identifiers, CMIC dates and links in an OFAC remark. */
export function parseRemarkFacts(remarks: string | null): RemarkFacts {
  const facts: RemarkFacts = { identifiers: [], effectiveOn: null, divestBy: null, linkedTo: [] };
  if (!remarks || !WORTH_SPLITTING.test(remarks)) return facts;
  // The parts between semicolons, cut out only when they may hold something read here: the 2024
  // SDN's remarks worth splitting have 38,000 parts, half of them genders, dates and websites.
  for (let start = 0, end = 0; start <= remarks.length; start = end + 1) {
    end = remarks.indexOf(';', start);
    if (end === -1) end = remarks.length;
    const from = opening(remarks, start, end);
    if (from === -1) continue;
    const part = remarks
      .slice(from, end)
      .trim()
      .replace(/^alt\.\s+/i, '');
    const c = part.charCodeAt(0);
    // Linked To, Effective Date, Purchase/Sales: the letters that open the three.
    const link = c === 76 ? /^Linked To:\s*(.+?)\.?$/i.exec(part) : null;
    if (link) {
      facts.linkedTo.push(link[1]!.trim());
      continue;
    }
    const date =
      c === 69 || c === 80
        ? /^(Effective Date|Purchase\/Sales For Divestment Date) \(CMIC\):? (\d{1,2} [A-Za-z]{3} \d{4})/.exec(
            part,
          )
        : null;
    if (date) {
      if (date[1] === 'Effective Date') facts.effectiveOn = toIsoDate(date[2]);
      else facts.divestBy = toIsoDate(date[2]);
      continue;
    }
    const labelled = LABELLED.exec(part);
    if (!labelled) continue;
    let rest = labelled[2]!;
    // "(China)" after the number is the issuing country.
    const country = /\s*\(([^)]+)\)\.?$/.exec(rest);
    if (country) rest = rest.slice(0, country.index);
    const id = identifier(TYPE_OF.get(labelled[1]!)!, rest, country ? country[1]!.trim() : null);
    if (id) facts.identifiers.push(id);
  }
  facts.identifiers = dedupe(facts.identifiers);
  return facts;
}

/** The same facts from the CSL `ids` entries ("type, number[, country]"). */
export function parseCslIds(ids: string[]): RemarkFacts {
  const facts: RemarkFacts = { identifiers: [], effectiveOn: null, divestBy: null, linkedTo: [] };
  for (const entry of ids) {
    const [type = '', value = '', country = ''] = entry.split(/,\s*/);
    if (type === 'Effective Date (CMIC)') facts.effectiveOn = toIsoDate(value);
    else if (type === 'Purchase/Sales For Divestment Date (CMIC)')
      facts.divestBy = toIsoDate(value);
    else if (/^Linked To/i.test(type)) facts.linkedTo.push(value.trim());
    else {
      const label = LABELS.find(([l]) => type === l);
      const id = label ? identifier(label[1], value, country.trim() || null) : null;
      if (id) facts.identifiers.push(id);
    }
  }
  facts.identifiers = dedupe(facts.identifiers);
  return facts;
}
