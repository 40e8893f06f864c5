// How alike two normalised names are, 0..1. Built on Levenshtein distance (fastest-levenshtein)
// in the token-set / token-sort shapes of fuzzywuzzy, weighted and thresholded on the evaluation
// set in tests/fixtures/matching/ (see `npm run bench`, which prints the sweep).
import { distance } from 'fastest-levenshtein';
import { GENERIC_WORDS } from './normalize.js';

/** 1 − edit distance / longer length. */
export function ratio(a: string, b: string): number {
  if (a === b) return 1;
  const max = Math.max(a.length, b.length);
  return max === 0 ? 1 : 1 - distance(a, b) / max;
}

function tokens(s: string): string[] {
  return [...new Set(s.split(' ').filter(Boolean))].sort();
}

/** Order-free comparison: "technologies huawei" is "huawei technologies". */
export function tokenSortRatio(a: string, b: string): number {
  return ratio(tokens(a).join(' '), tokens(b).join(' '));
}

/**
 * fuzzywuzzy's token-set ratio: shared tokens compared with each side's shared + own tokens, so a
 * name that is a subset of the other ("hesai" / "hesai technology") scores 1.
 */
export function tokenSetRatio(a: string, b: string): number {
  const ta = tokens(a);
  const tb = new Set(tokens(b));
  const common = ta.filter((t) => tb.has(t));
  const onlyA = ta.filter((t) => !tb.has(t));
  const onlyB = [...tb].filter((t) => !common.includes(t));
  const t0 = common.join(' ');
  const t1 = [t0, ...onlyA].filter(Boolean).join(' ');
  const t2 = [t0, ...onlyB].filter(Boolean).join(' ');
  return Math.max(t0 ? ratio(t0, t1) : 0, t0 ? ratio(t0, t2) : 0, ratio(t1, t2));
}

/** Weights and threshold chosen by the sweep over the evaluation set (bench/matching.ts). */
export const SET_WEIGHT = 0.6;
export const MATCH_THRESHOLD = 0.78;

/** True when a query token appears in the candidate, allowing one typo in a long token. */
function tokenPresent(token: string, candidateTokens: string[]): boolean {
  for (const c of candidateTokens) {
    if (c === token) return true;
    if (token.length >= 5 && Math.abs(c.length - token.length) <= 1 && distance(c, token) <= 1) return true;
  }
  return false;
}

/**
 * Similarity of a query to a candidate name, both normalised. Zero unless the two share a word
 * that is not generic: "china" or "technology" alone never makes a match.
 */
export function nameScore(query: string, candidate: string): number {
  if (query === candidate) return 1;
  const qt = tokens(query);
  const ct = tokens(candidate);
  const distinctive = qt.filter((t) => !GENERIC_WORDS.has(t));
  if (distinctive.length === 0 || !distinctive.some((t) => tokenPresent(t, ct))) return 0;
  return SET_WEIGHT * tokenSetRatio(query, candidate) + (1 - SET_WEIGHT) * tokenSortRatio(query, candidate);
}
