// Name lookups over the SQLite name index: exact hits by B-tree, fuzzy candidates from the FTS5
// trigram index (only the query's rarest trigrams, so common ones like "chi" never fan out to
// thousands of rows), ranked by nameScore.
import type { Db } from '../../db/database.js';
import { namesByNormalized, namesByTrigrams, namesVersion, trigramCounts, type NameRow } from '../../db/name-index.js';
import { isDistinctive, normalizeName } from './normalize.js';
import { MATCH_THRESHOLD, nameScore } from './similarity.js';

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

const RARE_TRIGRAMS = 6;
const CANDIDATES = 120;

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

  match(query: string, limit = 50): MatchOutcome {
    const normalized = normalizeName(query);
    if (!normalized) return { ok: false, reason: 'empty', normalized };
    if (!isDistinctive(normalized) && namesByNormalized(this.db, normalized).length === 0) {
      return { ok: false, reason: 'generic', normalized };
    }
    const hits = new Map<number, NameHit>();
    const add = (row: NameRow, score: number, exact: boolean) => {
      const prior = hits.get(row.id);
      if (!prior || prior.score < score) {
        hits.set(row.id, { designationId: row.designationId, name: row.name, normalized: row.normalized, isAlias: row.isAlias === 1, score, exact });
      }
    };
    for (const row of namesByNormalized(this.db, normalized)) add(row, 1, true);

    const counts = this.trigramCounts();
    const rare = trigramsOf(normalized)
      .map((t) => [t, counts.get(t) ?? 0] as const)
      .filter(([, n]) => n > 0)
      .sort((a, b) => a[1] - b[1])
      .slice(0, RARE_TRIGRAMS)
      .map(([t]) => ftsPhrase(t));
    if (rare.length > 0) {
      for (const row of namesByTrigrams(this.db, rare.join(' OR '), CANDIDATES)) {
        const score = nameScore(normalized, row.normalized);
        if (score >= this.threshold) add(row, score, false);
      }
    }
    const sorted = [...hits.values()].sort((a, b) => Number(b.exact) - Number(a.exact) || b.score - a.score || Number(a.isAlias) - Number(b.isAlias));
    return { ok: true, normalized, hits: sorted.slice(0, limit) };
  }
}
