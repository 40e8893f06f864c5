// A channel's exposure: each holding matched to the tracked lists by identifier first (ISIN,
// ticker + exchange, USCC, LEI), then by name through the lookup's own matcher; a holding whose
// issuer a listing names only as "Linked To" is reported as linked, not as listed; a match by a
// weak name score is set apart for a person to check.
import type { Db } from '../../db/database.js';
import { designationsByIds, type DesignationRow } from '../../db/entities.js';
import { designationsByIdentifier, linkedToNames, type Holding } from '../../db/holdings.js';
import type { NameMatcher } from '../names/matcher.js';
import { explainPrepared, MATCH_THRESHOLD, NEAR_MISS_FLOOR, prepareName, type PreparedName } from '../names/similarity.js';
import { TokenIndex } from '../names/token-index.js';

export type MatchedBy = 'ISIN' | 'ticker' | 'USCC' | 'LEI' | 'name' | 'linked name';
/** listed: on a list now; linked: the issuer is named as Linked To of a listing; removed: was listed; check: a weak name match. */
export type Standing = 'listed' | 'linked' | 'removed' | 'check';

export interface ExposureEntry {
  holding: { id: number; name: string | null; isin: string | null; ticker: string | null; exchange: string | null };
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
  return h.isin ?? (h.ticker ? `${h.ticker}${h.exchange ? ` ${h.exchange}` : ''}` : null) ?? h.lei ?? h.uscc ?? `"${h.name}"`;
}

/** The designations a holding's identifiers name, with which identifier. */
function byIdentifier(db: Db, h: Holding): [number, MatchedBy][] {
  const out: [number, MatchedBy][] = [];
  if (h.isin) for (const id of designationsByIdentifier(db, 'ISIN', h.isin)) out.push([id, 'ISIN']);
  if (h.ticker && h.exchange) for (const id of designationsByIdentifier(db, 'Ticker', h.ticker, h.exchange)) out.push([id, 'ticker']);
  if (h.uscc) for (const id of designationsByIdentifier(db, 'USCC', h.uscc)) out.push([id, 'USCC']);
  if (h.lei) for (const id of designationsByIdentifier(db, 'LEI', h.lei)) out.push([id, 'LEI']);
  return out;
}

/** The Linked To names of every listing, indexed by word, read once per report. */
function linkedIndex(db: Db): (normalized: string) => number[] {
  let index: TokenIndex<{ name: PreparedName; ids: number[] }> | null = null;
  return (normalized) => {
    if (!index) {
      index = new TokenIndex();
      for (const l of linkedToNames(db)) index.add(l.value, { name: prepareName(l.value), ids: l.ids });
    }
    const q = prepareName(normalized);
    // Linked To names are long legal names ("State Bank for Development and Foreign Economic
    // Affairs Vnesheconombank"): a holding's whole name inside one counts.
    return [...index.candidates(normalized)].filter((c) => {
      const s = explainPrepared(q, c.name);
      return s.score >= MATCH_THRESHOLD || ((s.reason === 'contains' || s.reason === 'subsidiary') && s.score >= NEAR_MISS_FLOOR);
    }).flatMap((c) => c.ids);
  };
}

export function exposureOf(db: Db, matcher: NameMatcher, holdings: Holding[]): ExposureEntry[] {
  const found: { h: Holding; id: number; by: MatchedBy; weak: boolean }[] = [];
  const linked = linkedIndex(db);
  for (const h of holdings) {
    const ids = byIdentifier(db, h);
    if (ids.length === 0 && h.normalized) {
      // Names as written: a typo search per holding would cost a report of thousands seconds.
      const m = matcher.match(h.name!, 10, { typos: false });
      if (m.ok) for (const hit of m.hits) ids.push([hit.designationId, 'name']);
      const weak = m.ok ? new Set(m.hits.filter((x) => x.score < SURE_NAME).map((x) => x.designationId)) : new Set<number>();
      for (const [id, by] of ids) found.push({ h, id, by, weak: weak.has(id) });
      if (ids.length === 0) for (const id of new Set(linked(h.normalized))) found.push({ h, id, by: 'linked name', weak: false });
      continue;
    }
    for (const [id, by] of ids) found.push({ h, id, by, weak: false });
  }
  const rows = new Map<number, DesignationRow>(designationsByIds(db, [...new Set(found.map((f) => f.id))]).map((r) => [r.id, r]));
  const seen = new Set<string>();
  const out: ExposureEntry[] = [];
  for (const f of found) {
    const row = rows.get(f.id);
    if (!row) continue;
    const r = row.record;
    const standing: Standing = f.by === 'linked name' ? 'linked' : row.removedAt ? 'removed' : f.weak ? 'check' : 'listed';
    // One line per holding, list and standing: the same listing arrives through two sources.
    const key = `${f.h.id}|${r.list}|${standing}|${r.name}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      holding: { id: f.h.id, name: f.h.name, isin: f.h.isin, ticker: f.h.ticker, exchange: f.h.exchange },
      entity: r.name, list: r.list, standing, matchedBy: f.by,
      because: f.by === 'linked name' ? `holding ${label(f.h)} is named as Linked To of ${r.name}` : `holding ${label(f.h)} matched ${f.by}`,
      listedOn: r.listedOn, effectiveOn: r.effectiveOn ?? null, divestBy: r.divestBy ?? null, removedAt: row.removedAt,
      citation: r.citation, url: r.url,
    });
  }
  const order: Record<Standing, number> = { listed: 0, linked: 1, check: 2, removed: 3 };
  return out.sort((a, b) => order[a.standing] - order[b.standing] || a.holding.id - b.holding.id);
}
