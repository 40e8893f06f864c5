// Name lookups over the SQLite name index: exact hits by B-tree, fuzzy candidates from the FTS5
// trigram index (only the query's rarest trigrams, so common ones like "chi" never fan out to
// thousands of rows), ranked by nameScore.
import type { Db } from '../../db/database.js';
import { namesByNormalized, namesByTrigrams, namesLike, namesVersion, trigramCounts, type NameRow } from '../../db/name-index.js';
import { normalizeKeyName } from './key.js';
import { isDistinctive, isGeneric, isGenericWord, normalizeName } from './normalize.js';
import { MATCH_THRESHOLD, scorer } from './similarity.js';

export interface NameHit {
  designationId: number;
  name: string;
  normalized: string;
  isAlias: boolean;
  score: number;
  exact: boolean;
}

export type MatchOutcome =
  | { ok: true; normalized: string; hits: NameHit[] }
  | { ok: false; reason: 'empty' | 'generic'; normalized: string };

const CANDIDATES = 120;
/** Hits from the narrowest search that make the wider one unnecessary. */
const ENOUGH = 5;

/** An FTS5 string literal: double quotes doubled, the whole wrapped in quotes. */
export function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

export function trigramsOf(s: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i + 3 <= s.length; i++) out.add(s.slice(i, i + 3));
  return [...out];
}

export class NameMatcher {
  private counts = new Map<string, number>();
  private version = -1;

  constructor(private db: Db, private threshold = MATCH_THRESHOLD) {}

  private trigramCounts(): Map<string, number> {
    const v = namesVersion(this.db);
    if (v !== this.version) {
      this.counts = trigramCounts(this.db);
      this.version = v;
    }
    return this.counts;
  }

  /** Distinctive words of a query, rarest first (by the count of their rarest trigram). */
  private rareWords(normalized: string): string[] {
    const counts = this.trigramCounts();
    // A word with a typo has trigrams no name has; rank it by the ones that exist.
    const cost = (w: string) => Math.min(Infinity, ...trigramsOf(w).map((t) => counts.get(t) ?? 0).filter((n) => n > 0));
    return [...new Set(normalized.split(' '))]
      .filter((w) => w.length >= 3 && !isGenericWord(w) && cost(w) < Infinity)
      .sort((a, b) => cost(a) - cost(b))
      .slice(0, 2);
  }

  /** A word's two rarest trigrams, ANDed: as selective as the whole word, at two posting lists' cost. */
  private wordExpr(word: string): string {
    const counts = this.trigramCounts();
    const tri = trigramsOf(word).filter((t) => counts.has(t)).sort((a, b) => counts.get(a)! - counts.get(b)!).slice(0, 2);
    return tri.map(ftsPhrase).join(' AND ');
  }

  /**
   * Names holding the query's two rarest words (all), or its rarest word alone: enough without
   * typos, since nameScore needs a shared distinctive word and the rarest is the likeliest.
   */
  private exactWordQuery(normalized: string, all: boolean): string | null {
    const words = this.rareWords(normalized);
    if (all) return words.length < 2 ? null : words.map((w) => `(${this.wordExpr(w)})`).join(' AND ');
    return words.length ? this.wordExpr(words[0]!) : null;
  }

  /**
   * For typos: nameScore accepts a word one edit away, and one edit leaves one half of a word
   * intact, so each rare word is sought as (its first half) OR (its second half).
   */
  private typoQuery(normalized: string): string | null {
    const parts: string[] = [];
    for (const w of this.rareWords(normalized)) {
      if (w.length < 6) continue;
      const mid = w.length >> 1;
      for (const half of [w.slice(0, mid), w.slice(mid)]) {
        const expr = this.wordExpr(half);
        if (expr) parts.push(`(${expr})`);
      }
    }
    return parts.length ? parts.join(' OR ') : null;
  }

  /** Names to offer while a user is still typing (autocomplete): prefix, then substring. */
  suggest(partial: string, limit = 25): string[] {
    const normalized = normalizeKeyName(partial.slice(0, 200));
    return normalized ? namesLike(this.db, normalized, limit) : [];
  }

  match(query: string, limit = 50): MatchOutcome {
    const normalized = normalizeName(query);
    if (!normalized) return { ok: false, reason: 'empty', normalized };
    // A generic word never matches on its own. Several generic words ("Aviation Industry
    // Corporation of China", "Sichuan Airlines") match a listed name only exactly.
    if (isGeneric(normalized) && !normalized.includes(' ')) return { ok: false, reason: 'generic', normalized };
    const hits = new Map<number, NameHit>();
    const add = (row: NameRow, score: number, exact: boolean) => {
      const prior = hits.get(row.id);
      if (!prior || prior.score < score) {
        hits.set(row.id, { designationId: row.designationId, name: row.name, normalized: row.normalized, isAlias: row.isAlias === 1, score, exact });
      }
    };
    for (const row of namesByNormalized(this.db, normalized)) add(row, 1, true);

    // A short acronym matches exactly or not at all: "CEC" must not fuzzily become "CETC".
    if (!isDistinctive(normalized) || isGeneric(normalized)) return { ok: true, normalized, hits: [...hits.values()] };
    const score = scorer(normalized, this.threshold);
    const search = (expr: string | null, ranked = false) => {
      if (!expr) return;
      for (const row of namesByTrigrams(this.db, expr, CANDIDATES, ranked)) {
        const value = score(row.normalized);
        if (value >= this.threshold) add(row, value, false);
      }
    };
    // Names holding both rare words are few and usually the answer; then the rarest; then typos.
    search(this.exactWordQuery(normalized, true));
    if (hits.size < ENOUGH) search(this.exactWordQuery(normalized, false));
    // Half-words are common: rank by bm25 so the rarest halves' names come first.
    if (hits.size === 0) search(this.typoQuery(normalized), true);
    const sorted = [...hits.values()].sort((a, b) => Number(b.exact) - Number(a.exact) || b.score - a.score || Number(a.isAlias) - Number(b.isAlias));
    return { ok: true, normalized, hits: sorted.slice(0, limit) };
  }
}
