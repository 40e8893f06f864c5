// PACER CM/ECF RSS: district and bankruptcy (cgi-bin/rss_outside.pl) and appellate
// (TransportRoom?servlet=RSSGenerator) feeds, read into court entries. The patterns follow
// juriscraper's pacer/rss_feeds.py; the quirks are those of the real feeds in tests/fixtures.
import type { FeedItem, Snapshot } from '../domain.js';
import { splitCaseTitle } from '../feeds/docket.js';
import { readFeed, type RawItem } from './feed-read.js';
import { cleanTitle, plainText, unescapeText } from '../text/html.js';

export interface PacerOptions {
  /** PACER court id; read from the feed's ecf.<court>.uscourts.gov links when not given. */
  court?: string;
}

const COURT_HOST = /\becf\.([a-z0-9]+)\.uscourts\.gov\b/i;
/** "[Memorandum & Opinion]": the short event label. Labels may hold parentheses, never "]". */
const LABEL = /\[([^\]]*)\]/g;
/** The document anchor: district /doc1/, appellate /docs1/; its text is the document number. */
const ANCHOR = /<a\s[^>]*href\s*=\s*["']([^"']+)["'][^>]*>\s*([^<]*?)\s*<\/a>/i;

export function courtOf(...urls: (string | null | undefined)[]): string | null {
  for (const u of urls) {
    const m = u ? COURT_HOST.exec(u) : null;
    if (m) return m[1]!.toLowerCase();
  }
  return null;
}

function entryOf(raw: RawItem, court: string | null): FeedItem | null {
  const guid = raw.guid ?? raw.link;
  if (!guid) return null;
  const title = cleanTitle(raw.title);
  const { docket, caseName } = splitCaseTitle(title);
  // One more decoding layer: descriptions are escaped HTML inside XML, sometimes twice.
  const html = unescapeText(raw.html);
  const entryTypes = [...html.matchAll(LABEL)].map((m) => cleanTitle(m[1]!)).filter(Boolean);
  // The link is read before the extra decoding, which is for text: "&para=" in a URL is no "¶".
  const anchor = ANCHOR.exec(raw.html) ?? ANCHOR.exec(html);
  const href = anchor?.[1]?.trim().replace(/&amp;/g, '&') ?? '';
  const documentUrl = /^https?:\/\/[^\s"'<>]+\/docs?1\//i.test(href) ? href : null;
  const text = anchor?.[2] ?? '';
  // District feeds show the entry number; appellate feeds say "Document", and the docs1 id is
  // the only number the document has (as juriscraper records it).
  const documentNumber = /^\d+$/.test(text)
    ? text
    : documentUrl
      ? (/\/docs1\/(\d+)/.exec(documentUrl)?.[1] ?? null)
      : null;
  return {
    guid,
    title,
    link: raw.link,
    publishedAt: raw.published,
    // The label is the text; the "(21)" anchor after it is the document, kept as fields.
    summary: plainText(html.replace(/\(\s*<a\s[^>]*>[^<]*<\/a>\s*\)/gi, ' ')),
    court: court ?? courtOf(raw.link, raw.guid, documentUrl),
    docket: docket?.number ?? null,
    caseName: caseName || null,
    entryTypes,
    documentNumber,
    documentUrl,
  };
}

export async function parsePacer(body: Uint8Array, opts: PacerOptions = {}): Promise<Snapshot> {
  const feed = await readFeed(body);
  const court = opts.court?.toLowerCase() ?? courtOf(feed.link);
  const warnings: string[] = [];
  const byGuid = new Map<string, FeedItem>();
  let undocketed = 0;
  for (const raw of feed.items) {
    const entry = entryOf(raw, court);
    if (!entry) {
      warnings.push(
        `an entry without guid or link was skipped ("${cleanTitle(raw.title).slice(0, 60)}")`,
      );
      continue;
    }
    if (!entry.docket) undocketed++;
    const prior = byGuid.get(entry.guid);
    if (prior) {
      // CM/ECF lists a filing once per event type under one guid: one entry, every label kept.
      for (const t of entry.entryTypes ?? [])
        if (!prior.entryTypes!.includes(t)) prior.entryTypes!.push(t);
      if (entry.summary && !prior.summary.includes(entry.summary))
        prior.summary = `${prior.summary} ${entry.summary}`.trim();
      prior.documentUrl ??= entry.documentUrl ?? null;
      prior.documentNumber ??= entry.documentNumber ?? null;
      continue;
    }
    byGuid.set(entry.guid, entry);
  }
  if (undocketed)
    warnings.push(
      `${undocketed} entr${undocketed === 1 ? 'y has' : 'ies have'} no docket number PACER's way (kept, matched by caption only)`,
    );
  return { kind: 'feed', items: [...byGuid.values()], warnings };
}
