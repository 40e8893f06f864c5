// A query that is an identifier: a compliance officer screens a vessel by its IMO number, a bank by
// its SWIFT/BIC, an issuer by its ISIN, as often as by a name. Names alone answered "not on any
// list" for the 857 IMO numbers of the 2024 SDN. Identifiers are matched exactly, in the compact
// form they are indexed in, beside the name search and ranked before it.
import type { Db } from '../../db/database.js';
import { designationsByIds } from '../../db/entities.js';
import { designationsByIdentifiers, designationsWithIdentifier } from '../../db/holdings.js';
import type { MatchOutcome, NameHit, NameMatcher } from '../names/matcher.js';
import { identifierKey } from '../portfolio/identifier-index.js';
import { identifierQuery } from '../portfolio/identifier-query.js';

/** The designations whose identifiers the query is, as hits that rank before any name. */
export function identifierHits(db: Db, text: string): NameHit[] {
  const { keys, tickers } = identifierQuery(text);
  if (keys.length === 0 && tickers.length === 0) return [];
  const found = designationsWithIdentifier(db, keys);
  // Shown as the source writes it ("Tax ID AABA 670850 Y"), not as compared (AABA670850Y).
  const records = new Map(
    designationsByIds(
      db,
      found.map((h) => h.designationId),
    ).map((d) => [d.id, d.record]),
  );
  const written = (h: (typeof found)[number]) =>
    records
      .get(h.designationId)
      ?.identifiers?.find((i) => i.type === h.type && identifierKey(i.value) === h.value)?.value ??
    h.value;
  const hits: NameHit[] = found.map((h) =>
    hit(h.designationId, `${h.type} ${written(h)}`, h.value),
  );
  for (const [v, ids] of tickers.length ? designationsByIdentifiers(db, 'Ticker', tickers) : []) {
    for (const id of ids) hits.push(hit(id, `Ticker ${v}`, v));
  }
  return hits;
}

/**
 * What a query finds: the entries whose identifiers it is, then those whose names match it.
 * `refused`: neither, and the name is too generic or empty to search (the outcome says which).
 */
export function queryHits(
  ctx: { db: Db; matcher: NameMatcher },
  text: string,
): { hits: NameHit[]; match: MatchOutcome; refused: boolean } {
  const byIdentifier = identifierHits(ctx.db, text);
  const match = ctx.matcher.match(text);
  return {
    hits: [...byIdentifier, ...(match.ok ? match.hits : [])],
    match,
    refused: !match.ok && byIdentifier.length === 0,
  };
}

const hit = (designationId: number, name: string, normalized: string): NameHit => ({
  designationId,
  name,
  normalized,
  isAlias: false,
  score: 1,
  exact: true,
  reason: 'identifier',
});
