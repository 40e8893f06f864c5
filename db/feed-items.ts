// Items already seen per feed (announced once), stored whole with the companies they name.
import type { FeedItem, Mention } from '../src/domain.js';
import { stmt, type Db } from './database.js';

export function knownGuids(db: Db, sourceId: string, guids: string[]): Set<string> {
  if (guids.length === 0) return new Set();
  return new Set(
    stmt(
      db,
      'SELECT guid FROM feed_items WHERE source_id = ? AND guid IN (SELECT value FROM json_each(?))',
    )
      .pluck()
      .all(sourceId, JSON.stringify(guids)) as string[],
  );
}

export function countFeedItems(db: Db, sourceId: string): number {
  return (
    stmt(db, 'SELECT count(*) AS n FROM feed_items WHERE source_id = ?').get(sourceId) as {
      n: number;
    }
  ).n;
}

export interface StoredItem {
  item: FeedItem;
  mentions: Mention[];
  alerted: boolean;
  /** The docket number without office (Docket.core), for case timelines. */
  docketCore: string | null;
}

export function insertFeedItems(db: Db, sourceId: string, items: StoredItem[], at: string): void {
  const insert = stmt(
    db,
    `INSERT OR IGNORE INTO feed_items (source_id, guid, title, link, published_at, summary, first_seen, data, court, docket, alerted, last_seen)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const mention = stmt(
    db,
    'INSERT INTO feed_mentions (source_id, guid, normalized, name, list, entity_key) VALUES (?, ?, ?, ?, ?, ?)',
  );
  for (const { item: i, mentions, alerted, docketCore } of items) {
    const res = insert.run(
      sourceId,
      i.guid,
      i.title,
      i.link,
      i.publishedAt,
      i.summary,
      at,
      JSON.stringify(i),
      i.court ?? null,
      docketCore,
      alerted ? 1 : 0,
      at,
    );
    if (res.changes === 0) continue;
    for (const m of mentions)
      mention.run(sourceId, i.guid, m.matched, m.name, m.list, m.list === null ? null : m.key);
  }
}

export interface NamingItem {
  sourceId: string;
  item: FeedItem;
  firstSeen: string;
  /** The name as the item gave it. */
  matched: string;
}

/** Stored items that named any of the given normalised names, newest first. */
export function itemsNaming(db: Db, normalized: string[], limit = 50): NamingItem[] {
  if (normalized.length === 0) return [];
  const rows = stmt(
    db,
    `SELECT f.source_id AS sourceId, f.guid, f.title, f.link, f.published_at AS publishedAt, f.summary, f.data, f.first_seen AS firstSeen, min(m.normalized) AS matched
     FROM feed_mentions m JOIN feed_items f ON f.source_id = m.source_id AND f.guid = m.guid
     WHERE m.normalized IN (SELECT value FROM json_each(?))
     GROUP BY f.source_id, f.guid ORDER BY coalesce(f.published_at, f.first_seen) DESC LIMIT ?`,
  ).all(JSON.stringify(normalized), limit) as {
    sourceId: string;
    guid: string;
    title: string;
    link: string | null;
    publishedAt: string | null;
    summary: string;
    data: string | null;
    firstSeen: string;
    matched: string;
  }[];
  return rows.map((r) => ({
    sourceId: r.sourceId,
    firstSeen: r.firstSeen,
    matched: r.matched,
    item: r.data
      ? (JSON.parse(r.data) as FeedItem)
      : {
          guid: r.guid,
          title: r.title,
          link: r.link,
          publishedAt: r.publishedAt,
          summary: r.summary,
        },
  }));
}

export function hasWebhookEvent(db: Db, sourceId: string, key: string): boolean {
  return (
    stmt(db, 'SELECT 1 FROM webhook_events WHERE source_id = ? AND idempotency_key = ?').get(
      sourceId,
      key,
    ) !== undefined
  );
}

export function recordWebhookEvent(
  db: Db,
  sourceId: string,
  key: string,
  items: number,
  at: string,
): void {
  stmt(
    db,
    'INSERT INTO webhook_events (source_id, idempotency_key, received_at, items) VALUES (?, ?, ?, ?)',
  ).run(sourceId, key, at, items);
}

/** How many stored entries a case has (in one court, or in any). */
export function caseEntryCount(db: Db, docketCore: string, court: string | null): number {
  return stmt(db, 'SELECT count(*) FROM feed_items WHERE docket = ? AND (? IS NULL OR court = ?)')
    .pluck()
    .get(docketCore, court, court) as number;
}

/**
 * Stored items whose title or summary contains the text (case-insensitive), newest first: for
 * names followed after the items were stored, whose mentions were not recorded then. The caller
 * checks each hit as a whole-word mention.
 */
export function itemsContaining(db: Db, text: string, limit = 200): NamingItem[] {
  const rows = stmt(
    db,
    `SELECT source_id AS sourceId, guid, title, link, published_at AS publishedAt, summary, data, first_seen AS firstSeen FROM feed_items
     WHERE instr(lower(title || ' ' || summary), ?) > 0 ORDER BY coalesce(published_at, first_seen) DESC LIMIT ?`,
  ).all(text.toLowerCase(), limit) as {
    sourceId: string;
    guid: string;
    title: string;
    link: string | null;
    publishedAt: string | null;
    summary: string;
    data: string | null;
    firstSeen: string;
  }[];
  return rows.map((r) => ({
    sourceId: r.sourceId,
    firstSeen: r.firstSeen,
    matched: text,
    item: r.data
      ? (JSON.parse(r.data) as FeedItem)
      : {
          guid: r.guid,
          title: r.title,
          link: r.link,
          publishedAt: r.publishedAt,
          summary: r.summary,
        },
  }));
}

/** The feed listed these items again now. */
export function touchFeedItems(db: Db, sourceId: string, guids: string[], at: string): void {
  if (guids.length === 0) return;
  stmt(
    db,
    'UPDATE feed_items SET last_seen = ? WHERE source_id = ? AND guid IN (SELECT value FROM json_each(?))',
  ).run(at, sourceId, JSON.stringify(guids));
}

/** The feed answered with the same content as last time: what it listed then, it lists now. */
export function touchLastSeen(db: Db, sourceId: string, at: string): void {
  stmt(
    db,
    'UPDATE feed_items SET last_seen = ? WHERE source_id = ? AND last_seen = (SELECT max(last_seen) FROM feed_items WHERE source_id = ?)',
  ).run(at, sourceId, sourceId);
}

/** Entries stored without their alert (a flood's overflow). */
export function markUnalerted(db: Db, sourceId: string, guids: string[]): void {
  stmt(
    db,
    'UPDATE feed_items SET alerted = 0 WHERE source_id = ? AND guid IN (SELECT value FROM json_each(?))',
  ).run(sourceId, JSON.stringify(guids));
}

/**
 * Of these document numbers, those another source already alerted while they were on public
 * inspection, with that source and when: their publication is the same news.
 */
export function alertedOnInspection(
  db: Db,
  sourceId: string,
  guids: string[],
): Map<string, { source: string; at: string }> {
  if (guids.length === 0) return new Map();
  const rows = stmt(
    db,
    `SELECT guid, source_id AS source, first_seen AS at FROM feed_items
     WHERE guid IN (SELECT value FROM json_each(?)) AND source_id != ? AND alerted = 1 AND json_extract(data, '$.publicInspection') IS NOT NULL
     ORDER BY first_seen`,
  ).all(JSON.stringify(guids), sourceId) as { guid: string; source: string; at: string }[];
  const out = new Map<string, { source: string; at: string }>();
  for (const r of rows) if (!out.has(r.guid)) out.set(r.guid, { source: r.source, at: r.at });
  return out;
}
