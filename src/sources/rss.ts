// Any RSS 2.0 / Atom feed: PACER court feeds, CourtListener, Federal Register agency feeds.
import Parser from 'rss-parser';
import type { FeedItem, Snapshot } from '../domain.js';
import { assertLooksLikeData, decodeText, ParseError, stripEofMarker } from './text.js';

const parser = new Parser();
const latin1 = new TextDecoder('latin1');

/** PACER declares ISO-8859-1; honour a declared single-byte charset, default to UTF-8. */
function decodeFeed(body: Uint8Array): string {
  const prolog = new TextDecoder('latin1').decode(body.subarray(0, 200));
  const declared = /encoding=["']([\w-]+)["']/i.exec(prolog)?.[1]?.toLowerCase();
  if (declared && /^(iso-8859-1|latin1|windows-1252|us-ascii)$/.test(declared)) return stripEofMarker(latin1.decode(body));
  return decodeText(body);
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ' };

function unescapeOnce(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (whole, ent: string) => {
    if (ent[0] === '#') {
      const code = ent[1] === 'x' || ent[1] === 'X' ? parseInt(ent.slice(2), 16) : parseInt(ent.slice(1), 10);
      return Number.isFinite(code) && code > 0 && code < 0x110000 ? String.fromCodePoint(code) : whole;
    }
    return NAMED[ent.toLowerCase()] ?? whole;
  });
}

/** PACER and the Federal Register escape twice ("Food &amp;amp; Water"): undo both layers. */
export function unescapeText(s: string): string {
  return unescapeOnce(unescapeOnce(s));
}

export function plainText(html: string): string {
  return unescapeText(html.replace(/<[^>]*>/g, ' ').replace(/&lt;[^&]*?&gt;/g, ' '))
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

function iso(date: string | undefined): string | null {
  if (!date) return null;
  const t = Date.parse(date);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export async function parseRss(body: Uint8Array): Promise<Snapshot> {
  const xml = decodeFeed(body);
  assertLooksLikeData(xml, 'the feed');
  let feed: Awaited<ReturnType<typeof parser.parseString>>;
  try {
    feed = await parser.parseString(xml);
  } catch (err) {
    throw new ParseError(`the feed is not valid RSS or Atom: ${(err as Error).message.split('\n')[0]}`);
  }
  const warnings: string[] = [];
  const byGuid = new Map<string, FeedItem>();
  for (const raw of feed.items ?? []) {
    const link = raw.link?.trim() || null;
    const guid = (typeof raw.guid === 'string' ? raw.guid.trim() : '') || raw.id?.trim() || link;
    if (!guid) {
      warnings.push(`an item without guid or link was skipped ("${(raw.title ?? '').slice(0, 60)}")`);
      continue;
    }
    const summary = plainText(raw.content ?? raw.contentSnippet ?? raw.summary ?? '');
    const prior = byGuid.get(guid);
    if (prior) {
      // PACER lists an entry filed under several event types once per type, same guid.
      if (summary && !prior.summary.includes(summary)) prior.summary = `${prior.summary} ${summary}`.trim();
      continue;
    }
    byGuid.set(guid, {
      guid,
      title: unescapeText(raw.title ?? '').replace(/\s+/g, ' ').trim(),
      link,
      publishedAt: iso(raw.isoDate ?? raw.pubDate),
      summary,
    });
  }
  return { kind: 'feed', items: [...byGuid.values()], warnings };
}
