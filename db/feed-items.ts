// Items already seen per feed, so a feed item is announced once.
import type { FeedItem } from '../src/domain.js';
import { stmt, type Db } from './database.js';

export function knownGuids(db: Db, sourceId: string, guids: string[]): Set<string> {
  const seen = stmt(db, 'SELECT 1 FROM feed_items WHERE source_id = ? AND guid = ?').pluck();
  return new Set(guids.filter((g) => seen.get(sourceId, g) !== undefined));
}

export function countFeedItems(db: Db, sourceId: string): number {
  return (stmt(db, 'SELECT count(*) AS n FROM feed_items WHERE source_id = ?').get(sourceId) as { n: number }).n;
}

export function insertFeedItems(db: Db, sourceId: string, items: FeedItem[], at: string): void {
  const insert = stmt(db, 
    `INSERT OR IGNORE INTO feed_items (source_id, guid, title, link, published_at, summary, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const i of items) insert.run(sourceId, i.guid, i.title, i.link, i.publishedAt, i.summary, at);
}
