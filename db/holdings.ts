// Holdings of a channel, and the identifier index of designations they are matched against.
import { insertRows } from './bulk.js';
import { stmt, type Db } from './database.js';
import { queueAllIndexing } from './index-queue.js';
import { rebuildIfStale } from './meta.js';

export interface HoldingInput {
  name: string | null;
  normalized: string | null;
  isin: string | null;
  ticker: string | null;
  exchange: string | null;
  lei: string | null;
  uscc: string | null;
}

export interface Holding extends HoldingInput {
  id: number;
  channel: string;
  createdAt: string;
}

const COLUMNS =
  'id, channel, name, normalized, isin, ticker, exchange, lei, uscc, created_at AS createdAt';

/** Adds holdings to a channel; one already there (same identifiers and name) is not added twice. */
/**
 * Adds what the channel does not hold yet. `max`: the most a channel may hold; an addition that
 * would pass it adds nothing and says how many the channel holds (`over`).
 */
export function addHoldings(
  db: Db,
  channel: string,
  holdings: HoldingInput[],
  at: string,
  max = Infinity,
): { added: number; existing: number; over?: { held: number; adding: number } } {
  const keyOf = (h: HoldingInput) =>
    JSON.stringify([h.name, h.isin, h.ticker, h.exchange, h.lei, h.uscc]);
  // What the channel holds already: read once for an import (5,000 rows are not 5,000 scans), asked
  // of the database for a few (one `portfolio add` does not read a portfolio of 50,000).
  const few = holdings.length <= 16;
  const held = new Set(
    few
      ? holdings.filter((h) => holdsAlready(db, channel, h)).map(keyOf)
      : channelHoldings(db, channel).map(keyOf),
  );
  const count = few
    ? (stmt(db, 'SELECT count(*) FROM holdings WHERE channel = ?').pluck().get(channel) as number)
    : held.size;
  const insert = stmt(
    db,
    'INSERT INTO holdings (channel, name, normalized, isin, ticker, exchange, lei, uscc, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  let added = 0;
  let existing = 0;
  const fresh = new Set(holdings.map(keyOf).filter((k) => !held.has(k))).size;
  if (count + fresh > max)
    return { added: 0, existing: holdings.length - fresh, over: { held: count, adding: fresh } };
  db.transaction(() => {
    for (const h of holdings) {
      const k = keyOf(h);
      if (held.has(k)) existing++;
      else {
        held.add(k);
        insert.run(channel, h.name, h.normalized, h.isin, h.ticker, h.exchange, h.lei, h.uscc, at);
        added++;
      }
    }
  }).immediate();
  return { added, existing };
}

function holdsAlready(db: Db, channel: string, h: HoldingInput): boolean {
  return (
    stmt(
      db,
      'SELECT EXISTS (SELECT 1 FROM holdings WHERE channel = ? AND name IS ? AND isin IS ? AND ticker IS ? AND exchange IS ? AND lei IS ? AND uscc IS ?)',
    )
      .pluck()
      .get(channel, h.name, h.isin, h.ticker, h.exchange, h.lei, h.uscc) === 1
  );
}

/** A channel's holdings after `afterId`, at most `limit`, in id order: a large portfolio read in pages. */
export function channelHoldingsPage(
  db: Db,
  channel: string,
  afterId: number,
  limit: number,
): Holding[] {
  return stmt(
    db,
    `SELECT ${COLUMNS} FROM holdings WHERE channel = ? AND id > ? ORDER BY id LIMIT ?`,
  ).all(channel, afterId, limit) as Holding[];
}

export function channelHoldings(db: Db, channel: string): Holding[] {
  return stmt(db, `SELECT ${COLUMNS} FROM holdings WHERE channel = ? ORDER BY id`).all(
    channel,
  ) as Holding[];
}

export function holdingsWithIds(db: Db, ids: readonly number[]): Holding[] {
  if (ids.length === 0) return [];
  return stmt(
    db,
    `SELECT ${COLUMNS} FROM holdings WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
  ).all(JSON.stringify(ids)) as Holding[];
}

export function allHoldings(db: Db): Holding[] {
  return stmt(db, `SELECT ${COLUMNS} FROM holdings ORDER BY id`).all() as Holding[];
}

/** Removes a channel's holdings named by id, ISIN, ticker or name (case-insensitive); how many went. */
export function removeHoldings(db: Db, channel: string, what: string, normalized: string): number {
  const id = /^#?\d+$/.test(what) ? Number(what.replace('#', '')) : -1;
  return stmt(
    db,
    `DELETE FROM holdings WHERE channel = ? AND (id = ? OR upper(isin) = upper(?) OR upper(ticker) = upper(?) OR lower(name) = lower(?) OR normalized = ?)`,
  ).run(channel, id, what, what, what, normalized).changes;
}

/** Replaces the indexed identifiers of the given designations. */
export function replaceIdentifiers(
  db: Db,
  designationIds: number[],
  identifiersOf: (index: number) => { type: string; value: string; exchange?: string | null }[],
): void {
  if (designationIds.length === 0) return;
  stmt(
    db,
    'DELETE FROM designation_identifiers WHERE designation_id IN (SELECT value FROM json_each(?))',
  ).run(JSON.stringify(designationIds));
  const rows: unknown[][] = [];
  designationIds.forEach((id, i) => {
    for (const x of identifiersOf(i)) rows.push([id, x.type, x.value, x.exchange ?? null]);
  });
  insertRows(
    db,
    'INSERT INTO designation_identifiers (designation_id, type, value, exchange)',
    rows,
  );
}

/**
 * For many values of one identifier type at once: value → designations. Tickers are asked for as
 * "SYMBOL EXCH" and matched on symbol and exchange.
 */
export function designationsByIdentifiers(
  db: Db,
  type: string,
  values: string[],
): Map<string, number[]> {
  const rows = stmt(
    db,
    `SELECT CASE WHEN type = 'Ticker' THEN value || ' ' || coalesce(exchange, '') ELSE value END AS v, designation_id AS id FROM designation_identifiers
     WHERE type = ? AND (CASE WHEN type = 'Ticker' THEN value || ' ' || coalesce(exchange, '') ELSE value END) IN (SELECT value FROM json_each(?))`,
  ).all(type, JSON.stringify(values)) as { v: string; id: number }[];
  const out = new Map<string, number[]>();
  for (const r of rows) {
    const list = out.get(r.v) ?? [];
    if (!list.includes(r.id)) list.push(r.id);
    out.set(r.v, list);
  }
  return out;
}

/** An identifier a lookup found: which designation, and the identifier as indexed. */
export interface IdentifierHit {
  designationId: number;
  type: string;
  value: string;
  exchange: string | null;
}

/**
 * Designations carrying any of the identifier keys (identifierKey's form), of every type but
 * tickers (designationsByIdentifiers asks for those) and Linked To names: a seek per type and key
 * over (type, value), the types found by a skip-scan of the same index.
 */
export function designationsWithIdentifier(db: Db, keys: string[]): IdentifierHit[] {
  if (keys.length === 0) return [];
  return stmt(
    db,
    `WITH RECURSIVE t(x) AS (
       SELECT (SELECT min(type) FROM designation_identifiers)
       UNION ALL
       SELECT (SELECT min(type) FROM designation_identifiers WHERE type > x) FROM t WHERE x IS NOT NULL)
     SELECT designation_id AS designationId, type, value, exchange FROM designation_identifiers
     WHERE type IN (SELECT x FROM t WHERE x IS NOT NULL AND x NOT IN ('LinkedTo', 'Ticker')) AND value IN (SELECT value FROM json_each(@keys))`,
  ).all({ keys: JSON.stringify(keys) }) as IdentifierHit[];
}

/** Empties the identifier index and queues every designation to be indexed again, when the code indexes them differently. */
export function reindexIdentifiers(db: Db, scheme: number): number {
  return rebuildIfStale(db, 'identifiers_scheme', scheme, () => {
    db.exec('DELETE FROM designation_identifiers');
    return queueAllIndexing(db, { names: false, identifiers: true });
  });
}

/** Every normalised Linked To name with the designations naming it. */
export function linkedToNames(db: Db): { value: string; ids: number[] }[] {
  const rows = stmt(
    db,
    "SELECT value, json_group_array(DISTINCT designation_id) AS ids FROM designation_identifiers WHERE type = 'LinkedTo' GROUP BY value",
  ).all() as { value: string; ids: string }[];
  return rows.map((r) => ({ value: r.value, ids: JSON.parse(r.ids) as number[] }));
}
