// Any RSS 2.0 / Atom feed, read as plain items (title, link, date, summary).
import type { FeedItem, Snapshot } from '../domain.js';
import { readFeed } from './feed-read.js';
import { cleanTitle, plainText } from '../text/html.js';

export async function parseRss(body: Uint8Array): Promise<Snapshot> {
  const feed = await readFeed(body);
  const warnings: string[] = [];
  const byGuid = new Map<string, FeedItem>();
  for (const raw of feed.items) {
    const guid = raw.guid ?? raw.link;
    if (!guid) {
      warnings.push(
        `an item without guid or link was skipped ("${cleanTitle(raw.title).slice(0, 60)}")`,
      );
      continue;
    }
    const summary = plainText(raw.html);
    const prior = byGuid.get(guid);
    if (prior) {
      // One entry listed once per event type under one guid (PACER) is one item.
      if (summary && !prior.summary.includes(summary))
        prior.summary = `${prior.summary} ${summary}`.trim();
      continue;
    }
    byGuid.set(guid, {
      guid,
      title: cleanTitle(raw.title),
      link: raw.link,
      publishedAt: raw.published,
      summary,
    });
  }
  return { kind: 'feed', items: [...byGuid.values()], warnings };
}
