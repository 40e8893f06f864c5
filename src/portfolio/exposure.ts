// A channel's exposure: each holding matched to the tracked lists by identifier first (ISIN,
// ticker + exchange, USCC, LEI), then by name through the lookup's own matcher; a holding whose
// issuer a listing names only as "Linked To" is reported as linked, not as listed; a match by a
// weak name score is set apart for a person to check.
import type { Db } from '../../db/database.js';
import { designationsByIds, type DesignationRow } from '../../db/entities.js';
import { designationsByIdentifiers, linkedToNames, type Holding } from '../../db/holdings.js';
import { allIndexedNames, namesVersion } from '../../db/name-index.js';
import { drain, type Steps } from '../commands/steps.js';
import type { NameMatcher } from '../names/matcher.js';
import { isGenericWord } from '../names/normalize.js';
import {
  explainPrepared,
  MATCH_THRESHOLD,
  NEAR_MISS_FLOOR,
  prepareName,
  type PreparedName,
} from '../names/similarity.js';

export type MatchedBy = 'ISIN' | 'ticker' | 'USCC' | 'LEI' | 'name' | 'linked name';
/** listed: on a list now; linked: the issuer is named as Linked To of a listing; removed: was listed; check: a weak name match. */
export type Standing = 'listed' | 'linked' | 'removed' | 'check';

export interface ExposureEntry {
  holding: {
    id: number;
    name: string | null;
    isin: string | null;
    ticker: string | null;
    exchange: string | null;
  };
  entity: string;
  list: string;
  standing: Standing;
  matchedBy: MatchedBy;
  /** "holding US16941M1099 matched ISIN": the words a route or a reply uses. */
  because: string;
  listedOn: string | null;
  effectiveOn: string | null;
  divestBy: string | null;
  removedAt: string | null;
  citation: string | null;
  url: string | null;
}

/** Name matches this good count as listed; weaker ones above the threshold are for a person to check. */
const SURE_NAME = 0.95;

function label(h: Holding): string {
  return (
    h.isin ??
    (h.ticker ? `${h.ticker}${h.exchange ? ` ${h.exchange}` : ''}` : null) ??
    h.lei ??
    h.uscc ??
    `"${h.name}"`
  );
}

/** The designations each holding's identifiers name, with which identifier: one query per kind for the whole portfolio. */
function byIdentifiers(db: Db, holdings: Holding[]): Map<number, [number, MatchedBy][]> {
  const kinds: [string, MatchedBy, (h: Holding) => string | null][] = [
    ['ISIN', 'ISIN', (h) => h.isin],
    ['Ticker', 'ticker', (h) => (h.ticker && h.exchange ? `${h.ticker} ${h.exchange}` : null)],
    ['USCC', 'USCC', (h) => h.uscc],
    ['LEI', 'LEI', (h) => h.lei],
  ];
  const out = new Map<number, [number, MatchedBy][]>();
  for (const [type, by, valueOf] of kinds) {
    const values = [...new Set(holdings.map(valueOf).filter((v): v is string => !!v))];
    if (values.length === 0) continue;
    const found = designationsByIdentifiers(db, type, values);
    for (const h of holdings) {
      const v = valueOf(h);
      for (const id of v ? (found.get(v) ?? []) : [])
        out.set(h.id, [...(out.get(h.id) ?? []), [id, by]]);
    }
  }
  return out;
}

/**
 * Names by their distinctive words: a query is scored only against names under its rarest word
 * that hold all of its words. Names are indexed from their normalised text as it is (a split) and
 * prepared for scoring only when a query reaches them: a report of 5,000 holdings reaches a few
 * thousand of the 30,000 listed names, and preparing all of them was most of its time.
 */
class WordIndex<T> {
  private byWord = new Map<string, number[]>();
  private names: string[] = [];
  private values: T[] = [];
  private prepared: (PreparedName | undefined)[] = [];

  add(normalized: string, value: T): void {
    const i = this.names.length;
    this.names.push(normalized);
    this.values.push(value);
    let last = '';
    for (const w of normalized.split(' ')) {
      // Generic words are never a query's distinctive word; a word twice in a name is one entry.
      if (!w || w === last || isGenericWord(w)) continue;
      last = w;
      const list = this.byWord.get(w);
      if (list === undefined) this.byWord.set(w, [i]);
      else if (list[list.length - 1] !== i) list.push(i);
    }
  }

  /** Entries holding every distinctive word of the query (a name lacking one names something else). */
  candidates(q: PreparedName): { name: PreparedName; value: T }[] {
    const lists = q.distinctive.map((w) => this.byWord.get(w) ?? []);
    if (lists.length === 0 || lists.some((l) => l.length === 0)) return [];
    const rarest = lists.reduce((a, b) => (b.length < a.length ? b : a));
    const out: { name: PreparedName; value: T }[] = [];
    for (const i of rarest) {
      const name = (this.prepared[i] ??= prepareName(this.names[i]!));
      if (q.distinctive.every((w) => name.tokenSet.has(w)))
        out.push({ name, value: this.values[i]! });
    }
    return out;
  }
}

/** The Linked To names of every listing, indexed by word, read once per report. */
function linkedIndex(db: Db): (normalized: string) => number[] {
  let index: WordIndex<number[]> | null = null;
  return (normalized) => {
    if (!index) {
      index = new WordIndex();
      for (const l of linkedToNames(db)) index.add(l.value, l.ids);
    }
    const q = prepareName(normalized);
    // Linked To names are long legal names ("State Bank for Development and Foreign Economic
    // Affairs Vnesheconombank"): a holding's whole name inside one counts.
    return index
      .candidates(q)
      .filter((c) => {
        const s = explainPrepared(q, c.name);
        return (
          s.score >= MATCH_THRESHOLD ||
          ((s.reason === 'contains' || s.reason === 'subsidiary') && s.score >= NEAR_MISS_FLOOR)
        );
      })
      .flatMap((c) => c.value);
  };
}

/** Above this many holdings to match by name, one in-memory index of every listed name is cheaper than a lookup each. */
const BULK = 100;

/**
 * Every indexed name by word, kept until the names change (the index counts its writes): a team's
 * second report, or the report an import answers with, does not read and index 30,000 names again.
 * Designation ids only: whether a listing is current is read fresh with each report.
 */
const nameIndexes = new WeakMap<Db, { version: number; index: WordIndex<number> }>();

function nameIndexOf(db: Db): WordIndex<number> {
  const version = namesVersion(db);
  const cached = nameIndexes.get(db);
  if (cached && cached.version === version) return cached.index;
  const index = new WordIndex<number>();
  for (const n of allIndexedNames(db)) index.add(n.normalized, n.designationId);
  nameIndexes.set(db, { version, index });
  return index;
}

/**
 * Names as written (no typo search), for thousands of holdings at once: every indexed name by its
 * distinctive words, read once, each holding scored against the names sharing a word with it.
 */
function bulkNameMatcher(
  db: Db,
): (normalized: string) => { designationId: number; score: number }[] {
  const index = nameIndexOf(db);
  return (normalized) => {
    const q = prepareName(normalized);
    const out = new Map<number, number>();
    for (const c of index.candidates(q)) {
      const score = explainPrepared(q, c.name, MATCH_THRESHOLD).score;
      if (score >= MATCH_THRESHOLD && score > (out.get(c.value) ?? 0)) out.set(c.value, score);
    }
    return [...out].map(([designationId, score]) => ({ designationId, score }));
  };
}

/** Holdings matched per step of a report: a step of 2,500 takes ~30 ms of the event loop. */
const STEP = 2500;

export function exposureOf(db: Db, matcher: NameMatcher, holdings: Holding[]): ExposureEntry[] {
  return drain(exposureSteps(db, matcher, holdings));
}

/** exposureOf in steps: the daemon answers other requests between them (50,000 holdings: ~0.6 s). */
export function* exposureSteps(
  db: Db,
  matcher: NameMatcher,
  holdings: Holding[],
): Steps<ExposureEntry[]> {
  const found: { h: Holding; id: number; by: MatchedBy; weak: boolean }[] = [];
  const linked = linkedIndex(db);
  const bulk = holdings.filter((h) => h.normalized).length > BULK ? bulkNameMatcher(db) : null;
  const byName = (h: Holding): { designationId: number; score: number }[] => {
    if (bulk) return bulk(h.normalized!);
    const m = matcher.match(h.name!, 10, { typos: false });
    return m.ok ? m.hits : [];
  };
  for (let start = 0; start < holdings.length; start += STEP) {
    if (start > 0) yield;
    const step = holdings.slice(start, start + STEP);
    const identified = byIdentifiers(db, step);
    for (const h of step) {
      const ids = identified.get(h.id) ?? [];
      if (ids.length === 0 && h.normalized) {
        // Names as written: a typo search per holding would cost a report of thousands seconds.
        const hits = byName(h);
        for (const hit of hits) ids.push([hit.designationId, 'name']);
        const weak = new Set(hits.filter((x) => x.score < SURE_NAME).map((x) => x.designationId));
        for (const [id, by] of ids) found.push({ h, id, by, weak: weak.has(id) });
        if (ids.length === 0)
          for (const id of new Set(linked(h.normalized)))
            found.push({ h, id, by: 'linked name', weak: false });
        continue;
      }
      for (const [id, by] of ids) found.push({ h, id, by, weak: false });
    }
  }
  const rows = new Map<number, DesignationRow>(
    designationsByIds(db, [...new Set(found.map((f) => f.id))]).map((r) => [r.id, r]),
  );
  const seen = new Set<string>();
  const out: ExposureEntry[] = [];
  for (const f of found) {
    const row = rows.get(f.id);
    if (!row) continue;
    const r = row.record;
    const standing: Standing =
      f.by === 'linked name' ? 'linked' : row.removedAt ? 'removed' : f.weak ? 'check' : 'listed';
    // One line per holding, list and standing: the same listing arrives through two sources.
    const key = `${f.h.id}|${r.list}|${standing}|${r.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      holding: {
        id: f.h.id,
        name: f.h.name,
        isin: f.h.isin,
        ticker: f.h.ticker,
        exchange: f.h.exchange,
      },
      entity: r.name,
      list: r.list,
      standing,
      matchedBy: f.by,
      because:
        f.by === 'linked name'
          ? `holding ${label(f.h)} is named as Linked To of ${r.name}`
          : `holding ${label(f.h)} matched ${f.by}`,
      listedOn: r.listedOn,
      effectiveOn: r.effectiveOn ?? null,
      divestBy: r.divestBy ?? null,
      removedAt: row.removedAt,
      citation: r.citation,
      url: r.url,
    });
  }
  const order: Record<Standing, number> = { listed: 0, linked: 1, check: 2, removed: 3 };
  return out.sort((a, b) => order[a.standing] - order[b.standing] || a.holding.id - b.holding.id);
}
