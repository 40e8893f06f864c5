// How alike two normalised names are, 0..1, and why. Words of the query are aligned with words
// of the candidate (as written, joined or split, or one typo apart); what is left over on each
// side decides the score. A candidate holding the whole query ranks by what it adds (generic
// words: the same company; other names: a subsidiary, shown below its parent); a query naming
// something the candidate lacks falls below the threshold. Where the words only partly align,
// fuzzywuzzy's token-set and token-sort shapes over Levenshtein (fastest-levenshtein) give the
// base. Weights and threshold are tuned on the development half of tests/fixtures/matching/ and
// reported on the held-out half (`npm run bench`).
import { distance } from 'fastest-levenshtein';
import { isGenericWord, PLACES } from './normalize.js';

/** Why a candidate matched, in the words a reply uses. */
export type MatchReason =
  | 'exact'
  | 'alias'
  | 'acronym'
  | 'spacing'
  | 'typo'
  | 'reordered'
  | 'contains'
  | 'subsidiary'
  | 'similar';

export interface Scored {
  score: number;
  reason: MatchReason;
}

/** 1 − edit distance / longer length. */
export function ratio(a: string, b: string): number {
  if (a === b) return 1;
  const max = Math.max(a.length, b.length);
  return max === 0 ? 1 : 1 - distance(a, b) / max;
}

/** Edit distance is at least the difference in length, so a ratio is at most short/long. */
function ratioBound(a: string, b: string): number {
  const max = Math.max(a.length, b.length);
  return max === 0 ? 1 : Math.min(a.length, b.length) / max;
}

/** fuzzywuzzy's token-set ratio on sorted, de-duplicated token lists. */
function tokenSet(ta: string[], tb: string[], setB: Set<string>, bound: boolean): number {
  const common = ta.filter((t) => setB.has(t));
  const setA = new Set(ta);
  const t0 = common.join(' ');
  const t1 = [t0, ...ta.filter((t) => !setB.has(t))].filter(Boolean).join(' ');
  const t2 = [t0, ...tb.filter((t) => !setA.has(t))].filter(Boolean).join(' ');
  const r = bound ? ratioBound : ratio;
  return Math.max(t0 ? r(t0, t1) : 0, t0 ? r(t0, t2) : 0, r(t1, t2));
}

export const SET_WEIGHT = 0.6;
/** At or above: a match. */
export const MATCH_THRESHOLD = 0.78;
/** At or above (and below the threshold): shown as "closest names" when nothing matches. */
export const NEAR_MISS_FLOOR = 0.5;

/** Scores of the cases decided by alignment rather than by edit distance. */
const SCORES = {
  spacing: 0.97,
  reordered: 0.99,
  /** The whole query and only generic words more: "Hesai" for "Hesai Technology Co., Ltd.". */
  contains: 0.9,
  /** The whole query and another name: "Sberbank" for "Sberbank Leasing" (a subsidiary, shown below the parent). */
  subsidiary: 0.82,
};
/** Each typo read through; each generic word the candidate adds; each extra name word after the first. */
const TYPO = 0.02;
const EXTRA_GENERIC = 0.015;
const EXTRA_NAME = 0.02;
/** A distinctive word of the query that the candidate lacks: the query names something else. */
const MISSING_NAME = 0.14;
/** A generic word of the query that the candidate lacks ("China" of "China Mobile" in "Mobile Zone"). */
const MISSING_GENERIC = 0.06;
/**
 * When the only distinctive word in common is one read through a typo: a one-letter difference
 * in the one word that matters is as often another company (UVICOM and Unicom, Narinco and
 * Norinco) as a misspelling, so such a match must be otherwise near-perfect.
 */
const TYPO_ONLY = 0.07;
const TYPO_ONLY_EXTRA = 0.1;
/**
 * A query that carries a number the candidate lacks, where the candidate carries numbers too,
 * names a numbered sibling: vessels (KUM SONG 3 and KUM SONG 5, BICENTENARIO XII and XIV), aircraft
 * (MSN 371 and MSN 391), research institutes (CASIC 3rd Academy 31, 33 and 35), army divisions
 * (the 77th and the 99th Light Infantry Division), each listed on its own. Such a pair is at most
 * a near miss: shown as a closest name when nothing matches, never a match. The 2024 SDN and the
 * CSL hold 2,948 sibling pairs that scored as matches before (0.79–0.93).
 */
const NUMBERED_SIBLING = 0.7;

/** One edit apart (a transposition counts as one), for words long enough that one edit is a typo. */
export function nearWord(a: string, b: string): boolean {
  if (a.length < 5 || b.length < 5 || Math.abs(a.length - b.length) > 1) return false;
  // A changed digit is another number, not a typo: "kuang12" is not "kuang13".
  if (!sameDigits(a, b)) return false;
  const d = distance(a, b);
  if (d <= 1) return true;
  if (d !== 2 || a.length !== b.length) return false;
  // Damerau: "cneter" is "center" with two letters swapped.
  let i = 0;
  while (a[i] === b[i]) i++;
  return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
}

/** The digits of two words, in order, are the same (both may have none). */
function sameDigits(a: string, b: string): boolean {
  let i = 0;
  let j = 0;
  for (;;) {
    while (i < a.length && !isDigit(a.charCodeAt(i))) i++;
    while (j < b.length && !isDigit(b.charCodeAt(j))) j++;
    if (i === a.length || j === b.length) return i === a.length && j === b.length;
    if (a[i] !== b[j]) return false;
    i++;
    j++;
  }
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** A normalised name split once, for scoring against many others. */
export interface PreparedName {
  text: string;
  /** Words in order, each once. */
  words: string[];
  /** Sorted, de-duplicated words, as a set and joined. */
  tokens: string[];
  tokenSet: Set<string>;
  sorted: string;
  /** Words that are not generic. */
  distinctive: string[];
  /** Without spaces. */
  compact: string;
  /** The numbers the name carries, as digits: "3", "701"; "12th" and "twelfth" are "12", "xiv" is "14". */
  numbers: string[];
  /** The countries, regions and cities it names ("china", "iran", "hong kong" as "hong" and "kong"). */
  places: string[];
}

export function prepareName(normalized: string): PreparedName {
  const words = [...new Set(normalized.split(' ').filter(Boolean))];
  const tokens = [...words].sort();
  return {
    text: normalized,
    words,
    tokens,
    tokenSet: new Set(tokens),
    sorted: tokens.join(' '),
    distinctive: tokens.filter((w) => !isGenericWord(w)),
    compact: normalized.replace(/ /g, ''),
    numbers: numbersOf(words),
    places: tokens.filter((w) => PLACES.has(w)),
  };
}

/** Spelled ordinals, as the digits they stand for. */
const SPELLED = new Map(
  [
    'first',
    'second',
    'third',
    'fourth',
    'fifth',
    'sixth',
    'seventh',
    'eighth',
    'ninth',
    'tenth',
    'eleventh',
    'twelfth',
  ].map((w, i) => [w, String(i + 1)]),
);
const ROMAN: Record<string, number> = { i: 1, v: 5, x: 10 };

/** XIV → 14; null for what is not a Roman numeral up to 39 written the usual way. */
function roman(w: string): number | null {
  if (!/^x{0,3}(ix|iv|v?i{0,3})$/.test(w)) return null;
  let n = 0;
  for (let i = 0; i < w.length; i++) {
    const v = ROMAN[w[i]!]!;
    n += i + 1 < w.length && v < ROMAN[w[i + 1]!]! ? -v : v;
  }
  return n;
}

/**
 * The numbers of a name's words. A Roman numeral counts only as the last word (vessels, funds:
 * "RIM INVESTMENTS II"); elsewhere "i", "vi" or "xi" is as likely a letter or a syllable.
 */
function numbersOf(words: string[]): string[] {
  const out: string[] = [];
  const last = words.length - 1;
  for (let i = 0; i <= last; i++) {
    const w = words[i]!;
    if (isDigit(w.charCodeAt(0))) {
      const m = /^(\d+)(?:st|nd|rd|th)?$/.exec(w);
      if (m) out.push(String(Number(m[1])));
      continue;
    }
    const spelled = SPELLED.get(w);
    if (spelled) out.push(spelled);
    else if (i === last) {
      const r = roman(w);
      if (r) out.push(String(r));
    }
  }
  return out;
}

interface Alignment {
  /** Query words read as a candidate word: the query as the candidate spells it. */
  read: string[];
  typos: number;
  spacing: number;
  missingNames: number;
  missingGeneric: number;
  extraNames: number;
  extraGeneric: number;
  /** A distinctive query word found as written, joined or split; or only through a typo. */
  evidence: 'exact' | 'typo' | null;
  /** Some typo read was in a word of six letters or more (either side). */
  longTypo: boolean;
}

function align(q: PreparedName, c: PreparedName): Alignment {
  const used = new Set<string>();
  const read: string[] = [];
  let typos = 0,
    spacing = 0,
    missingNames = 0,
    missingGeneric = 0;
  let evidence: Alignment['evidence'] = null;
  let longTypo = false;
  const found = (w: string, how: 'exact' | 'typo') => {
    if (isGenericWord(w)) return;
    if (how === 'exact') evidence = 'exact';
    else evidence ??= 'typo';
  };
  const qw = q.words;
  for (let i = 0; i < qw.length; i++) {
    const w = qw[i]!;
    if (c.tokenSet.has(w)) {
      used.add(w);
      read.push(w);
      found(w, 'exact');
      continue;
    }
    // "hik vision" for HIKVISION: two query words that are one candidate word.
    const next = qw[i + 1];
    if (next && c.tokenSet.has(w + next)) {
      used.add(w + next);
      read.push(w + next);
      spacing++;
      found(w + next, 'exact');
      i++;
      continue;
    }
    // "sberbank" for SBER BANK: one query word that is two adjacent candidate words.
    const split = splitInto(w, c.words);
    if (split) {
      for (const s of split) used.add(s);
      read.push(...split);
      spacing++;
      found(w, 'exact');
      continue;
    }
    const near = w.length >= 5 ? c.tokens.find((x) => !used.has(x) && nearWord(w, x)) : undefined;
    if (near) {
      used.add(near);
      read.push(near);
      typos++;
      if (Math.max(w.length, near.length) >= 6) longTypo = true;
      // A typo onto a generic word ("electronica" onto "electronics") is no evidence of a name.
      found(near, 'typo');
      continue;
    }
    read.push(w);
    if (isGenericWord(w)) missingGeneric++;
    else missingNames++;
  }
  let extraNames = 0,
    extraGeneric = 0;
  for (const t of c.tokens) {
    if (used.has(t)) continue;
    if (isGenericWord(t)) extraGeneric++;
    else extraNames++;
  }
  return {
    read,
    typos,
    spacing,
    missingNames,
    missingGeneric,
    extraNames,
    extraGeneric,
    evidence,
    longTypo,
  };
}

/** A distinctive query word in the candidate as written, joined, split, or one typo away. */
function mayShareName(q: PreparedName, c: PreparedName): boolean {
  for (const w of q.distinctive) {
    if (c.tokenSet.has(w) || c.compact.includes(w)) return true;
    if (w.length >= 5) for (const x of c.tokens) if (nearWord(w, x)) return true;
  }
  return false;
}

function splitInto(w: string, words: string[]): string[] | null {
  for (let j = 0; j + 1 < words.length; j++) {
    if (words[j]!.length + words[j + 1]!.length === w.length && w === words[j]! + words[j + 1]!)
      return [words[j]!, words[j + 1]!];
  }
  return null;
}

/**
 * The score of a query against a candidate, and why. With `floor`, a candidate that cannot reach
 * it (judged from lengths alone, before any edit distance) scores 0: most candidates of a busy
 * index are decided that way.
 */
export function explainPrepared(q: PreparedName, c: PreparedName, floor = 0): Scored {
  if (q.text === c.text) return { score: 1, reason: 'exact' };
  if (q.compact === c.compact) return { score: SCORES.spacing, reason: 'spacing' };
  if (
    q.numbers.length > 0 &&
    c.numbers.length > 0 &&
    q.numbers.some((n) => !c.numbers.includes(n))
  ) {
    // Decided before aligning when the caller wants matches only (routing a poll's alerts).
    if (floor > NUMBERED_SIBLING) return { score: 0, reason: 'similar' };
    const s = scoreWords(q, c, floor);
    return s.score > NUMBERED_SIBLING ? { score: NUMBERED_SIBLING, reason: 'similar' } : s;
  }
  return scoreWords(q, c, floor);
}

/** explainPrepared past the exact, spacing and number checks. */
function scoreWords(q: PreparedName, c: PreparedName, floor: number): Scored {
  // Most candidates of a busy index share no distinctive word at all: decided before aligning.
  if (!mayShareName(q, c)) return { score: 0, reason: 'similar' };
  const a = align(q, c);
  if (a.evidence === null) return { score: 0, reason: 'similar' };
  const s = alignedScore(q, c, a, floor);
  // Five letters one edit apart are as often two real words (INTEL and INTER) as a slip: a name
  // read only through such a typo is at most a near miss, shown when nothing matches ("Hesau").
  return a.evidence === 'typo' && !a.longTypo
    ? { score: Math.min(s.score, MATCH_THRESHOLD - 0.01), reason: s.reason }
    : s;
}

function alignedScore(q: PreparedName, c: PreparedName, a: Alignment, floor: number): Scored {
  // Read only through a typo, the name must be all there is: "Unicom" is in "China Unicom (Hong
  // Kong)", but "Uvicom" is another company.
  const typoOnly =
    a.evidence === 'typo'
      ? TYPO_ONLY + (a.extraNames + a.extraGeneric > 0 ? TYPO_ONLY_EXTRA : 0)
      : 0;
  const slips = TYPO * a.typos + typoOnly;
  if (a.missingNames === 0 && a.missingGeneric === 0) {
    const how: MatchReason = a.typos ? 'typo' : a.spacing ? 'spacing' : 'reordered';
    if (a.extraNames === 0 && a.extraGeneric === 0)
      return {
        score: (how === 'reordered' ? SCORES.reordered : 1 - 0.01 * a.spacing) - slips,
        reason: how,
      };
    if (a.extraNames === 0)
      return {
        score: SCORES.contains - EXTRA_GENERIC * a.extraGeneric - slips,
        reason: a.typos ? 'typo' : 'contains',
      };
    return {
      score:
        SCORES.subsidiary -
        EXTRA_NAME * (a.extraNames - 1) -
        EXTRA_GENERIC * a.extraGeneric -
        slips,
      reason: a.typos ? 'typo' : 'subsidiary',
    };
  }
  // Two places that differ name two companies: the Agricultural Bank of China is not the
  // Agricultural Bank of Iran, whatever else the names share.
  const elsewhere =
    q.places.length > 0 && c.places.length > 0 && !q.places.some((p) => c.places.includes(p))
      ? MISSING_NAME
      : 0;
  const penalty =
    slips + elsewhere + MISSING_NAME * a.missingNames + MISSING_GENERIC * a.missingGeneric;
  // No score is above 1: a penalty past 1 - floor decides it (most candidates a poll's keys find).
  if (floor > 0 && 1 - penalty < floor) return { score: 0, reason: 'similar' };
  const qt = a.typos || a.spacing ? [...new Set(a.read)].sort() : q.tokens;
  const qs = qt.join(' ');
  if (
    floor > 0 &&
    SET_WEIGHT * tokenSet(qt, c.tokens, c.tokenSet, true) +
      (1 - SET_WEIGHT) * ratioBound(qs, c.sorted) -
      penalty <
      floor
  ) {
    return { score: 0, reason: 'similar' };
  }
  const score =
    SET_WEIGHT * tokenSet(qt, c.tokens, c.tokenSet, false) +
    (1 - SET_WEIGHT) * ratio(qs, c.sorted) -
    penalty;
  return { score: Math.max(0, score), reason: 'similar' };
}

/** Entity types a company's name never names. */
export const NOT_COMPANIES: ReadonlySet<string> = new Set(['individual', 'vessel', 'aircraft']);

/**
 * Whether a match holds for a name given with a legal form ("Alphabet Inc."): the company's whole
 * name, so a candidate adding words to it other than places (ALPHABET INTERNATIONAL DMCC) is another
 * company, and a person, vessel or aircraft (`type`) is not one unless named exactly so. The lookup
 * and the router both ask it.
 */
export function companyNameHolds(
  q: PreparedName,
  c: PreparedName,
  s: Scored,
  type?: string | null,
): boolean {
  if (s.reason === 'exact') return true;
  if (type && NOT_COMPANIES.has(type)) return false;
  return !(
    (s.reason === 'contains' || s.reason === 'subsidiary') &&
    !c.tokens.every((t) => q.tokenSet.has(t) || PLACES.has(t))
  );
}

/** How a word is in a candidate: as written, in another form the alignment reads (joined, split, one typo away), or not. */
type Found = 'written' | 'read' | 'missing';

/**
 * A test of whether a normalised name can score `floor` against the candidate, judged without
 * preparing the name: from the words it lacks in every form the alignment reads them, whose
 * penalties are certain, and, when the candidate is one name (`whole`), from the lengths the two
 * sorted names can have (the edit-distance ratio is at most short/long). Routing asks it of the
 * thousands of followed names a poll's words reach, before preparing any; they share most of
 * their words, so each word is looked for in the candidate once. With `whole` false the candidate
 * may be several names run together, and only the missing words count.
 */
export function reachTest(c: PreparedName, floor: number, whole = true): (name: string) => boolean {
  const seen = new Map<string, Found>();
  const find = (w: string): Found => {
    let f = seen.get(w);
    if (f === undefined) {
      f = c.tokenSet.has(w)
        ? 'written'
        : c.compact.includes(w) || (w.length >= 5 && c.tokens.some((x) => nearWord(w, x)))
          ? 'read'
          : 'missing';
      seen.set(w, f);
    }
    return f;
  };
  return (name) => {
    if (floor <= 0) return true;
    const words = [...new Set(name.split(' ').filter(Boolean))];
    let penalty = 0;
    // The query as aligned holds the missing words, and each word found as written that the
    // word before it was not joined onto: their letters are a floor on its length.
    let certain = 0;
    let certainLetters = 0;
    // Any other word may be read one letter longer (a typo, a split).
    let letters = 0;
    let unsure = 0;
    let places: string[] | undefined;
    for (let i = 0; i < words.length; i++) {
      const w = words[i]!;
      letters += w.length;
      if (PLACES.has(w)) (places ??= []).push(w);
      const found = find(w);
      if (found === 'written') {
        const before = words[i - 1];
        if (!before || c.tokenSet.has(before) || !c.tokenSet.has(before + w)) {
          certain++;
          certainLetters += w.length;
        }
        continue;
      }
      unsure++;
      if (found === 'read') continue;
      penalty += isGenericWord(w) ? MISSING_GENERIC : MISSING_NAME;
      if (1 - penalty < floor) return false;
      certain++;
      certainLetters += w.length;
    }
    if (penalty === 0 || !whole) return true;
    if (places && c.places.length > 0 && !places.some((p) => c.places.includes(p)))
      penalty += MISSING_NAME;
    const shortest = certainLetters + certain - 1;
    const longest = letters + words.length - 1 + unsure;
    const length = c.sorted.length;
    const lengthRatio =
      length < shortest ? length / shortest : length > longest ? longest / length : 1;
    return SET_WEIGHT + (1 - SET_WEIGHT) * lengthRatio - penalty >= floor;
  };
}

export function scorePrepared(q: PreparedName, c: PreparedName, floor = 0): number {
  return explainPrepared(q, c, floor).score;
}

/** Similarity of a query to a candidate name, both normalised. */
export function nameScore(query: string, candidate: string): number {
  return scorePrepared(prepareName(query), prepareName(candidate));
}

/** nameScore with the query's own work done once, for scoring many candidates. */
export function scorer(query: string, floor = 0): (candidate: string) => Scored {
  const q = prepareName(query);
  return (candidate) => explainPrepared(q, prepareName(candidate), floor);
}
