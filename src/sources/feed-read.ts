// Reads any RSS 2.0 / Atom body into raw items; the kinds (rss, pacer, courtlistener) decide what
// an item means. rss-parser does the XML; this adds the charset PACER declares and the checks.
import type Parser from 'rss-parser';
import { assertLooksLikeData, decodeText, ParseError, stripEofMarker } from './parse.js';

type FeedParser = Parser<
  Record<string, unknown>,
  { atomLinks?: { $?: { href?: string; rel?: string } }[]; id?: string }
>;
let parser: FeedParser | null = null;

/**
 * rss-parser and its XML stack (~50 modules) load with the first feed, not with every command:
 * a list poll or a lookup never needs them. Atom entries may carry several links; the PDF is the
 * one with rel="enclosure" (CourtListener).
 */
async function feedParser(): Promise<FeedParser> {
  if (!parser) {
    const { default: RssParser } = await import('rss-parser');
    parser = new RssParser({
      customFields: { item: [['link', 'atomLinks', { keepArray: true }]] },
    });
  }
  return parser;
}

function atomEnclosure(
  links: { $?: { href?: string; rel?: string } }[] | undefined,
): string | null {
  return links?.find((l) => l?.$?.rel === 'enclosure')?.$?.href?.trim() || null;
}
const latin1 = new TextDecoder('latin1');

/** PACER declares ISO-8859-1; honour a declared single-byte charset, default to UTF-8. */
function decodeFeed(body: Uint8Array): string {
  const prolog = latin1.decode(body.subarray(0, 200));
  const declared = /encoding=["']([\w-]+)["']/i.exec(prolog)?.[1]?.toLowerCase();
  if (declared && /^(iso-8859-1|latin1|windows-1252|us-ascii)$/.test(declared))
    return stripEofMarker(latin1.decode(body));
  return decodeText(body);
}

export interface RawItem {
  /** As the XML parser left it: one layer of escaping may remain. */
  title: string;
  link: string | null;
  guid: string | null;
  /** The description / content, XML-decoded but still HTML. */
  html: string;
  published: string | null;
  /** An enclosure's URL (CourtListener attaches the entry's PDF). */
  enclosure: string | null;
}

export interface RawFeed {
  title: string;
  link: string | null;
  items: RawItem[];
}

export function isoDate(date: string | null | undefined): string | null {
  if (!date) return null;
  const t = Date.parse(date);
  return Number.isNaN(t) ? null : new Date(t).toISOString();
}

export async function readFeed(body: Uint8Array): Promise<RawFeed> {
  const xml = decodeFeed(body);
  assertLooksLikeData(xml, 'the feed');
  const p = await feedParser();
  let feed: Awaited<ReturnType<FeedParser['parseString']>>;
  try {
    feed = await p.parseString(xml);
  } catch (err) {
    throw new ParseError(
      `the feed is not valid RSS or Atom: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  return {
    title: feed.title ?? '',
    link: feed.link?.trim() || null,
    items: (feed.items ?? []).map((raw) => ({
      title: raw.title ?? '',
      link: raw.link?.trim() || null,
      guid: (typeof raw.guid === 'string' ? raw.guid.trim() : '') || raw.id?.trim() || null,
      html: raw.content ?? raw.contentSnippet ?? raw.summary ?? '',
      published: isoDate(raw.isoDate ?? raw.pubDate),
      enclosure:
        raw.enclosure?.url?.trim() ||
        atomEnclosure(Array.isArray(raw.atomLinks) ? raw.atomLinks : undefined),
    })),
  };
}
