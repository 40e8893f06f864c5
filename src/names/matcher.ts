// Name lookups over the SQLite name index. Candidates come from cheap, exact probes first (the
// whole name, the name without spaces, acronyms, three-letter words) and then from the FTS5
// trigram index over the spaceless names (only the query's rarest trigrams, so common ones like
// "chi" never fan out to thousands of rows); every candidate is scored by explainPrepared, which
// also says why.
import type { Db } from '../../db/database.js';
import {
  knownWords,
  namesByAcronym,
  namesByCompact,
  namesByNormalized,
  namesByTrigrams,
  namesContaining,
  namesLike,
  namesVersion,
  namesWithRarestShortWord,
  SHORT_WORD,
  trigramCounts,
  type NameRow,
} from '../../db/name-index.js';
import { designationTypes } from '../../db/entities.js';
import { acronymsOf, looksLikeAcronym } from './acronym.js';
import { normalizeKeyName } from './key.js';
import {
  hasCompanyForm,
  isDistinctive,
  isGeneric,
  isGenericWord,
  normalizeName,
} from './normalize.js';
import {
  companyNameHolds,
  explainPrepared,
  MATCH_THRESHOLD,
  NOT_COMPANIES,
  NEAR_MISS_FLOOR,
  nearWord,
  prepareName,
  type MatchReason,
  type PreparedName,
  type Scored,
} from './similarity.js';

/** How a hit was found: by the name scorer, or (lookups) by an identifier typed as the query. */
export type HitReason = MatchReason | 'identifier';

export interface NameHit {
  designationId: number;
  /** What matched: a name or alias, or the identifier ("IMO 9187629"). */
  name: string;
  normalized: string;
  isAlias: boolean;
  score: number;
  exact: boolean;
  reason: HitReason;
}

export type MatchOutcome =
  | { ok: true; normalized: string; hits: NameHit[]; nearMisses: NameHit[] }
  | { ok: false; reason: 'empty' | 'generic'; normalized: string };

const CANDIDATES = 120;
/** A hit this good means the query was written as listed: no typo search needed. */
const RECOGNISED = 0.95;

/** A name to score; names found through an acronym come with their score. */
export interface Candidate {
  row: NameRow;
  fixed?: Scored;
}
/** A query word this short is found only as a whole word of a name ("DJI", "ZTE"), never fuzzily. */
const SHORT = SHORT_WORD + 1;

/** Scores of names found through an acronym rather than through their words. */
const ACRONYM = {
  /** "SMIC" and a name whose initials spell it: a match when the acronym is long enough to be rare. */
  initials: 0.86,
  /** The same for three-letter acronyms, which many names spell: shown as a closest name only. */
  initials3: 0.7,
  /** "Semiconductor Manufacturing International Corp." and a listed alias "SMIC". */
  spelledOut: 0.9,
};

/** An FTS5 string literal: double quotes doubled, the whole wrapped in quotes. */
export function ftsPhrase(text: string): string {
  return `"${text.replace(/"/g, '""')}"`;
}

export function trigramsOf(s: string): string[] {
  const out = new Set<string>();
  for (let i = 0; i + 3 <= s.length; i++) out.add(s.slice(i, i + 3));
  return [...out];
}

/**
 * Normalising can lengthen a query a lot (NFKC spells "㎉" as "kcal"; transliteration "щ" as
 * "shch"): 200 typed characters became one 800-letter word whose search took 0.8 s on the real
 * lists. The longest word of any listed name is 24 letters and the longest name 299 characters,
 * so a query is cut to words of 48 letters and 320 characters in all: nothing real is lost.
 */
const MAX_WORD = 48;
const MAX_CHARS = 320;
function bounded(normalized: string): string {
  if (normalized.length <= MAX_WORD) return normalized;
  const words = normalized.split(' ').map((w) => (w.length > MAX_WORD ? w.slice(0, MAX_WORD) : w));
  let out = '';
  for (const w of words) {
    if (out.length + w.length + 1 > MAX_CHARS) break;
    out = out ? `${out} ${w}` : w;
  }
  return out;
}

export class NameMatcher {
  private counts = new Map<string, number>();
  private version = -1;

  constructor(
    private db: Db,
    private threshold = MATCH_THRESHOLD,
    private floor = NEAR_MISS_FLOOR,
  ) {}

  /**
   * Reads the trigram counts again if the names changed. Once per search, not per word: a
   * lookup weighs its words a dozen times (sorting by rarity among them), and each check is a query.
   */
  private refreshCounts(): void {
    const v = namesVersion(this.db);
    if (v !== this.version) {
      this.counts = trigramCounts(this.db);
      this.version = v;
    }
  }

  /**
   * Words of the index one edit away from `word` (a swap of two letters counts as one): every
   * variant one edit away is probed in the word index at once, a few hundred B-tree seeks, so a
   * one-shot CLI lookup reads nothing more.
   */
  private wordsNear(word: string): string[] {
    const variants = new Set<string>();
    const letters = 'abcdefghijklmnopqrstuvwxyz';
    for (let i = 0; i <= word.length; i++) {
      const head = word.slice(0, i);
      const tail = word.slice(i);
      for (const ch of letters) variants.add(head + ch + tail);
      if (i < word.length) {
        variants.add(head + tail.slice(1));
        for (const ch of letters) variants.add(head + ch + tail.slice(1));
        if (i + 1 < word.length) variants.add(head + tail[1] + tail[0] + tail.slice(2));
      }
    }
    variants.delete(word);
    return knownWords(this.db, [...variants]).filter((w) => nearWord(word, w));
  }

  /** How many names hold a word's rarest trigram: 0 when some trigram of it is in no name. */
  private cost(word: string): number {
    const counts = this.counts;
    let min = Infinity;
    for (const t of trigramsOf(word)) min = Math.min(min, counts.get(t) ?? 0);
    return min === Infinity ? 0 : min;
  }

  /** Distinctive words of a query that some name may hold as written, rarest first. */
  private rareWords(normalized: string): string[] {
    return [...new Set(normalized.split(' '))]
      .filter((w) => w.length >= SHORT && !isGenericWord(w))
      .map((w) => ({ w, cost: this.cost(w) }))
      .filter((x) => x.cost > 0)
      .sort((a, b) => a.cost - b.cost)
      .slice(0, 2)
      .map((x) => x.w);
  }

  /** A word's two rarest trigrams, ANDed: as selective as the whole word, at two posting lists' cost. */
  private wordExpr(word: string): string {
    const counts = this.counts;
    const tri = trigramsOf(word)
      .filter((t) => counts.has(t))
      .sort((a, b) => counts.get(a)! - counts.get(b)!)
      .slice(0, 2);
    return tri.map(ftsPhrase).join(' AND ');
  }

  /**
   * For typos: one edit leaves one half of a word intact, so each distinctive word is sought as
   * (its first half) OR (its second half).
   */
  private typoQuery(words: string[]): string | null {
    const parts: string[] = [];
    for (const w of words) {
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

  /** `typos: false` skips the typo search: bulk matching (a portfolio report) of names as written. */
  match(raw: string, limit = 50, opts: { typos?: boolean } = {}): MatchOutcome {
    const found = this.candidates(raw);
    if (!found.ok) return found;
    const q = prepareName(found.normalized);
    const company = hasCompanyForm(raw);
    const best = new Map<number, NameHit>();
    const score = (rows: Candidate[]) => {
      for (const { row, fixed } of rows) {
        const c = prepareName(row.normalized);
        let s = fixed ?? explainPrepared(q, c, this.floor);
        // A legal form typed makes the query a company's whole name: another company that adds
        // words to it is kept as a near miss (companyNameHolds).
        if (company && !companyNameHolds(q, c, s))
          s = { score: Math.min(s.score, this.threshold - 0.01), reason: s.reason };
        if (s.score < this.floor) continue;
        const prior = best.get(row.id);
        if (prior && prior.score >= s.score) continue;
        best.set(row.id, {
          designationId: row.designationId,
          name: row.name,
          normalized: row.normalized,
          isAlias: row.isAlias === 1,
          score: s.score,
          exact: s.reason === 'exact',
          reason: s.reason === 'exact' && row.isAlias ? 'alias' : s.reason,
        });
      }
    };
    score(found.rows);
    // Nothing recognised as written: a word may be a typo, looked up through the index of words.
    if (opts.typos !== false && ![...best.values()].some((h) => h.score >= RECOGNISED)) {
      const seen = new Set(found.rows.map((r) => r.row.id));
      score(this.typoCandidates(q).filter((r) => !seen.has(r.row.id)));
    }
    let all = [...best.values()].sort(
      (a, b) =>
        Number(b.exact) - Number(a.exact) ||
        b.score - a.score ||
        Number(a.isAlias) - Number(b.isAlias),
    );
    if (company) {
      // ... nor a person's, a vessel's or an aircraft's ("Leonardo S.p.A." is no Leonardo
      // GONZALEZ), unless the name is theirs exactly.
      const types = designationTypes(this.db, [
        ...new Set(all.filter((h) => !h.exact).map((h) => h.designationId)),
      ]);
      all = all.filter((h) => h.exact || !NOT_COMPANIES.has(types.get(h.designationId) ?? ''));
    }
    const hits = all.filter((h) => h.score >= this.threshold).slice(0, limit);
    return {
      ok: true,
      normalized: found.normalized,
      hits,
      nearMisses: hits.length ? [] : all.slice(0, limit),
    };
  }

  /**
   * Names holding a word of the index one edit away (a swap of two letters counts as one) from a
   * distinctive query word that no name holds. A typo of a generic word ("Indstries") is no lead:
   * the other words find the names.
   */
  typoCandidates(q: PreparedName): Candidate[] {
    if (!isDistinctive(q.text) || isGeneric(q.text)) return [];
    this.refreshCounts();
    const long = q.distinctive.filter((w) => w.length >= 5);
    const known = new Set(knownWords(this.db, long));
    const out: Candidate[] = [];
    for (const w of long) {
      if (known.has(w)) continue;
      for (const near of this.wordsNear(w)
        .filter((x) => !isGenericWord(x))
        .slice(0, 4)) {
        for (const row of namesContaining(this.db, this.wordExpr(near), near, CANDIDATES))
          out.push({ row });
      }
    }
    // No word of the index is one edit away (two typos in a word, or a word cut short): look for
    // every distinctive word by halves, since a slip leaves much of one half intact. Half-words
    // are common, so rank by bm25 and the rarest halves' names come first.
    const halves =
      out.length === 0 && !q.distinctive.some((w) => known.has(w))
        ? this.typoQuery(q.distinctive)
        : null;
    if (halves)
      for (const row of namesByTrigrams(this.db, halves, CANDIDATES, true)) out.push({ row });
    return out;
  }

  /**
   * The names a query is scored against: exact probes (the name, the name without spaces,
   * acronyms) and trigram searches. Names found through an acronym come with their score. Public
   * so the bench can score the same candidates with other scorers.
   */
  candidates(
    raw: string,
  ):
    | { ok: true; normalized: string; rows: Candidate[] }
    | { ok: false; reason: 'empty' | 'generic'; normalized: string } {
    // A listing pasted whole ("X Ltd., a.k.a. Y (Z)"): the name is what comes before the alias.
    const query =
      raw.replace(
        /,?\s+(?:a\.?k\.?a\.?|f\.?k\.?a\.?|n\.?k\.?a\.?|also known as|formerly known as)\s.*$/is,
        '',
      ) || raw;
    const normalized = bounded(normalizeName(query));
    if (!normalized) return { ok: false, reason: 'empty', normalized };
    // A generic word never matches on its own. Several generic words ("Aviation Industry
    // Corporation of China", "Sichuan Airlines") match a listed name only closely.
    if (isGeneric(normalized) && !normalized.includes(' '))
      return { ok: false, reason: 'generic', normalized };
    const q = prepareName(normalized);
    this.refreshCounts();
    const rows: Candidate[] = [];
    const seen = new Set<number>();
    const score = (found: NameRow[]) => {
      for (const row of found) {
        if (seen.has(row.id)) continue;
        seen.add(row.id);
        rows.push({ row });
      }
    };
    score(namesByNormalized(this.db, normalized));
    score(namesByCompact(this.db, q.compact));

    // Acronyms, both ways: "SMIC" for the names whose initials spell it, and a spelled-out name
    // for a listed acronym.
    if (looksLikeAcronym(normalized) && !isGenericWord(normalized)) {
      const s = normalized.length > 3 ? ACRONYM.initials : ACRONYM.initials3;
      for (const row of namesByAcronym(this.db, normalized, CANDIDATES))
        rows.push({ row, fixed: { score: s, reason: 'acronym' } });
    }
    for (const a of acronymsOf(query)) {
      if (a.length > 3)
        for (const row of namesByNormalized(this.db, a))
          rows.push({ row, fixed: { score: ACRONYM.spelledOut, reason: 'acronym' } });
    }

    // The names holding the rarest word of three letters as a whole word ("DJI", "SZ DJI",
    // "AL-TAF, Ali"). Trigrams find a short word inside longer ones too, which filled the limit
    // before the names holding it; a slip in one word ("bir JOK" of ABIR JOK) leaves the others
    // to find the name. Beside longer words it is often the name's only distinctive one ("OPG
    // GLOBAL GENERAL TRADIG", whose slip hides a generic word), but only a rare one is taken, and
    // whole: a common one ("ali", in 387 names) added an arbitrary 120 to score, which the other
    // words find if they should.
    const short = q.distinctive.filter((w) => w.length === SHORT_WORD);
    if (short.length) {
      const onlyShort = q.distinctive.every((w) => w.length < SHORT);
      const limit = onlyShort ? CANDIDATES * 4 : CANDIDATES;
      const holding = namesWithRarestShortWord(this.db, short, limit + 1);
      if (onlyShort || holding.length <= limit) score(holding.slice(0, limit));
    }
    if (!isDistinctive(normalized) || isGeneric(normalized)) return { ok: true, normalized, rows };

    // Names holding both rare words are few and usually the answer; then the rarest alone.
    const rare = this.rareWords(normalized);
    // The rarest alone adds names lacking the other word: near misses when nothing matches, or
    // the answer when the other word is a typo. Not needed when both words found plenty.
    const both =
      rare.length === 2
        ? namesByTrigrams(
            this.db,
            rare.map((w) => `(${this.wordExpr(w)})`).join(' AND '),
            CANDIDATES,
            false,
          )
        : [];
    score(both);
    // Each alone when few hold both: either may be the typo ("CORPORACOIN CIMEX").
    if (rare.length && both.length < 20)
      for (const w of rare) score(namesByTrigrams(this.db, this.wordExpr(w), CANDIDATES, false));
    return { ok: true, normalized, rows };
  }
}
