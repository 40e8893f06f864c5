// Items already seen per feed, so a feed item is announced once.
import type { FeedItem } from '../src/domain.js';
import type { Db } from './database.js';

export function knownGuids(db: Db, sourceId: string, guids: string[]): Set<string> {
  const stmt = db.prepare('SELECT 1 FROM feed_items WHERE source_id = ? AND guid = ?').pluck();
  return new Set(guids.filter((g) => stmt.get(sourceId, g) !== undefined));
}

export function countFeedItems(db: Db, sourceId: string): number {
  return (db.prepare('SELECT count(*) AS n FROM feed_items WHERE source_id = ?').get(sourceId) as { n: number }).n;
}

export function insertFeedItems(db: Db, sourceId: string, items: FeedItem[], at: string): void {
  const stmt = db.prepare(
    `INSERT OR IGNORE INTO feed_items (source_id, guid, title, link, published_at, summary, first_seen) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  for (const i of items) stmt.run(sourceId, i.guid, i.title, i.link, i.publishedAt, i.summary, at);
}
