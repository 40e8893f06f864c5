// How alike two normalised names are, 0..1. Built on Levenshtein distance (fastest-levenshtein)
// in the token-set / token-sort shapes of fuzzywuzzy, weighted and thresholded on the evaluation
// set in tests/fixtures/matching/ (see `npm run bench`, which prints the sweep).
import { distance } from 'fastest-levenshtein';
import { isGenericWord } from './normalize.js';

/** 1 − edit distance / longer length. */
export function ratio(a: string, b: string): number {
  if (a === b) return 1;
  const max = Math.max(a.length, b.length);
  return max === 0 ? 1 : 1 - distance(a, b) / max;
}

function tokens(s: string): string[] {
  return [...new Set(s.split(' ').filter(Boolean))].sort();
}

/** Edit distance is at least the difference in length, so a ratio is at most short/long. */
function ratioBound(a: string, b: string): number {
  const max = Math.max(a.length, b.length);
  return max === 0 ? 1 : Math.min(a.length, b.length) / max;
}

interface TokenSetParts {
  t0: string;
  t1: string;
  t2: string;
}

function tokenSetParts(ta: string[], sortedB: string[], tb: Set<string>): TokenSetParts {
  const common = ta.filter((t) => tb.has(t));
  const onlyA = ta.filter((t) => !tb.has(t));
  const onlyB = sortedB.filter((t) => !common.includes(t));
  const t0 = common.join(' ');
  return { t0, t1: [t0, ...onlyA].filter(Boolean).join(' '), t2: [t0, ...onlyB].filter(Boolean).join(' ') };
}

function tokenSetBound({ t0, t1, t2 }: TokenSetParts): number {
  return Math.max(t0 ? ratioBound(t0, t1) : 0, t0 ? ratioBound(t0, t2) : 0, ratioBound(t1, t2));
}

function tokenSetValue({ t0, t1, t2 }: TokenSetParts): number {
  return Math.max(t0 ? ratio(t0, t1) : 0, t0 ? ratio(t0, t2) : 0, ratio(t1, t2));
}

/** fuzzywuzzy's token-set ratio on sorted, de-duplicated token lists (setB: the same words as sortedB). */
function tokenSetOf(ta: string[], sortedB: string[], setB: Set<string> = new Set(sortedB)): number {
  return tokenSetValue(tokenSetParts(ta, sortedB, setB));
}

/** Weights and threshold chosen by the sweep over the evaluation set (bench/matching.ts). */
export const SET_WEIGHT = 0.6;
export const MATCH_THRESHOLD = 0.78;

/** One edit apart, for words long enough that one edit is a typo rather than another word. */
function nearWord(a: string, b: string): boolean {
  return a.length >= 5 && Math.abs(a.length - b.length) <= 1 && distance(a, b) <= 1;
}

/**
 * How a query word appears in the candidate: as written, through a typo (and only onto a word
 * that is itself distinctive: "electronica" is not evidence for "electronics"), or not at all.
 */
function presence(token: string, candidateTokens: string[]): 'exact' | 'typo' | null {
  let typo = false;
  for (const c of candidateTokens) {
    if (c === token) return 'exact';
    if (!typo && nearWord(token, c) && !isGenericWord(c)) typo = true;
  }
  return typo ? 'typo' : null;
}

/**
 * The score of a candidate that holds every distinctive word of the query as written: a match,
 * ranked below exact names and above most fuzzy ones.
 */
const CONTAINED_SCORE = 0.85;

function fullScore(qSorted: string[], qs: string, c: PreparedName, penalty: number): number {
  return Math.max(0, SET_WEIGHT * tokenSetOf(qSorted, c.tokens, c.tokenSet) + (1 - SET_WEIGHT) * ratio(qs, c.sorted) - penalty);
}

/** What each typo costs once a query word has been read as the candidate's word. */
const TYPO_PENALTY = 0.02;
/**
 * What it costs when the only distinctive word in common is one read through a typo: a
 * one-letter difference in the one word that matters is as often another company (UVICOM and
 * Unicom, Narinco and Norinco) as a misspelling, so such a match must be otherwise near-perfect.
 */
const TYPO_ONLY_PENALTY = 0.07;

/**
 * Similarity of a query to a candidate name, both normalised. Zero unless the two share a word
 * that is not generic: "china" or "technology" alone never makes a match. A query word one edit
 * away from a candidate word counts as that word ("peretyatco" is "peretyatko"), less a penalty,
 * so a typo costs one letter, not the whole word.
 */
export function nameScore(query: string, candidate: string): number {
  return scorer(query)(candidate);
}

/** A normalised name split once, for scoring against many others. */
export interface PreparedName {
  text: string;
  /** Sorted, de-duplicated words. */
  tokens: string[];
  /** The same words as a set, and joined in sorted order. */
  tokenSet: Set<string>;
  sorted: string;
  /** Words that are not generic. */
  distinctive: string[];
}

export function prepareName(normalized: string): PreparedName {
  const t = tokens(normalized);
  return { text: normalized, tokens: t, tokenSet: new Set(t), sorted: t.join(' '), distinctive: t.filter((w) => !isGenericWord(w)) };
}

/** nameScore with the query's own work done once, for scoring many candidates. */
export function scorer(query: string, floor = 0): (candidate: string) => number {
  const q = prepareName(query);
  return (candidate) => scorePrepared(q, prepareName(candidate), floor);
}

/**
 * The score of a query against a candidate. With `floor`, a candidate that cannot reach it
 * (judged from lengths alone, before any edit distance) scores 0: most candidates of a busy
 * index are decided that way.
 */
export function scorePrepared(q: PreparedName, c: PreparedName, floor = 0): number {
  if (q.text === c.text) return 1;
  const ct = c.tokens;
  let evidence: 'exact' | 'typo' | null = null;
  for (const t of q.distinctive) {
    const p = presence(t, ct);
    if (p === 'exact') {
      evidence = 'exact';
      break;
    }
    evidence ??= p;
  }
  if (evidence === null) return 0;
  let typos = 0;
  let qSorted = q.tokens;
  if (!q.tokens.every((t) => c.tokenSet.has(t) || t.length < 5)) {
    const read = q.tokens.map((t) => {
      if (c.tokenSet.has(t) || t.length < 5) return t;
      const near = ct.find((x) => nearWord(t, x));
      if (!near) return t;
      typos++;
      return near;
    });
    if (typos) qSorted = [...new Set(read)].sort();
  }
  // "Hesai" followed before it is listed must catch "Hesai Technology Co., Ltd." when it is.
  const contained = typos === 0 && q.distinctive.length > 0 && q.distinctive.every((t) => c.tokenSet.has(t)) && q.distinctive.join('').length >= 4;
  if (contained) return Math.max(CONTAINED_SCORE, fullScore(qSorted, q.sorted, c, 0));
  const qs = typos ? qSorted.join(' ') : q.sorted;
  const parts = tokenSetParts(qSorted, ct, c.tokenSet);
  const penalty = TYPO_PENALTY * typos + (evidence === 'typo' ? TYPO_ONLY_PENALTY : 0);
  if (floor > 0 && SET_WEIGHT * tokenSetBound(parts) + (1 - SET_WEIGHT) * ratioBound(qs, c.sorted) - penalty < floor) return 0;
  const score = SET_WEIGHT * tokenSetValue(parts) + (1 - SET_WEIGHT) * ratio(qs, c.sorted);
  return Math.max(0, score - penalty);
}
