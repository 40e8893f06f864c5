// CourtListener: the Atom feed of one docket (/docket/<id>/feed/) and the bodies of its docket-
// alert webhooks. Shapes from freelawproject/courtlistener (cl/search/feeds.py and
// cl/users/templates/includes/docket_alert_webhook_dummy.txt).
import type { FeedItem, Snapshot } from '../domain.js';
import { parseDocket } from '../feeds/docket.js';
import { docketIdOf } from './courtlistener-ids.js';
import { readFeed } from './feed-read.js';
import { cleanTitle, plainText } from '../text/html.js';
import { ParseError } from './parse.js';

const SITE = 'https://www.courtlistener.com';

export interface CourtListenerOptions {
  court?: string;
  /** Docket number and caption, when the feed's titles do not carry them. */
  docket?: string;
  caseName?: string;
}

/** "Entry #21 in Xiaomi Corporation v. Department of Defense, 1:21-cv-00280" */
const ENTRY_TITLE = /^Entry #\s*(\d+)\s+in\s+(.+)$/i;

function captionAndDocket(text: string): { caseName: string; docket: string | null } {
  const comma = text.lastIndexOf(',');
  const d = comma > 0 ? parseDocket(text.slice(comma + 1)) : null;
  return d
    ? { caseName: text.slice(0, comma).trim(), docket: d.number }
    : { caseName: text.trim(), docket: null };
}

export async function parseCourtListenerFeed(
  body: Uint8Array,
  opts: CourtListenerOptions = {},
): Promise<Snapshot> {
  const feed = await readFeed(body);
  const warnings: string[] = [];
  const items: FeedItem[] = [];
  const configured = opts.docket ? (parseDocket(opts.docket)?.number ?? opts.docket) : null;
  // The feed's own title names its docket ("Docket updates for <case>, <docket>", as
  // cl/search/feeds.py writes it): a minute entry, whose title does not, takes it from there.
  const feedDocketId = docketIdOf(feed.link ?? null);
  const ofFeed = captionAndDocket(
    cleanTitle(feed.title).replace(
      /^(?:Docket updates for|CourtListener\.com: Docket for)\s+/i,
      '',
    ),
  );
  for (const raw of feed.items) {
    const guid = raw.guid ?? raw.link;
    if (!guid) {
      warnings.push('an entry without id or link was skipped');
      continue;
    }
    const title = cleanTitle(raw.title);
    const m = ENTRY_TITLE.exec(title);
    const cap = m ? captionAndDocket(m[2]!) : null;
    const summary = plainText(raw.html);
    items.push({
      guid,
      title,
      link: raw.link,
      publishedAt: raw.published,
      summary,
      court: opts.court?.toLowerCase() ?? null,
      docket: configured ?? cap?.docket ?? ofFeed.docket,
      caseName: opts.caseName ?? cap?.caseName ?? (ofFeed.caseName || null),
      entryTypes: [],
      documentNumber: m?.[1] ?? null,
      documentUrl: raw.enclosure,
      courtListenerDocket: docketIdOf(raw.link) ?? feedDocketId,
    });
  }
  return { kind: 'feed', items, warnings };
}

interface RecapDocument {
  absolute_url?: string;
  document_number?: string | number;
  description?: string;
  filepath_local?: string;
}

interface WebhookEntry {
  id?: number | string;
  docket?: number | string;
  docket_number?: string;
  case_name?: string;
  date_filed?: string;
  description?: string;
  entry_number?: number | string | null;
  recap_documents?: RecapDocument[];
}

/** "/docket/4302575/221/united-states-v-hinds-county/" → docket 4302575, "United States v. Hinds County". */
function fromAbsoluteUrl(url: string | undefined): {
  docketId: string | null;
  caption: string | null;
} {
  const m = url ? /\/docket\/(\d+)\/(?:[^/]+\/)?([a-z0-9-]+)\/?$/i.exec(url) : null;
  if (!m) return { docketId: null, caption: null };
  const caption = m[2]!
    .split('-')
    .map((w) => (w === 'v' ? 'v.' : w.charAt(0).toUpperCase() + w.slice(1)))
    .join(' ');
  return { docketId: m[1]!, caption };
}

/** "recap/gov.uscourts.mssd.92593/..." → "mssd" */
function courtOfPath(path: string | undefined): string | null {
  return (path && /gov\.uscourts\.([a-z0-9]+)\.\d+/i.exec(path)?.[1]?.toLowerCase()) || null;
}

export interface WebhookBody {
  eventType: number | null;
  items: FeedItem[];
}

/**
 * A docket-alert webhook body: `{payload: {results: [...]}, webhook: {event_type, version}}`
 * (the dummy on CourtListener's help page shows `results` at the top; both are read).
 */
export function parseCourtListenerWebhook(json: unknown): WebhookBody {
  const body = json as {
    payload?: { results?: unknown };
    results?: unknown;
    webhook?: { event_type?: unknown };
  } | null;
  if (!body || typeof body !== 'object')
    throw new ParseError('the webhook body is not a JSON object');
  const results = body.payload?.results ?? body.results;
  if (!Array.isArray(results)) throw new ParseError('the webhook body has no payload.results list');
  const eventType = typeof body.webhook?.event_type === 'number' ? body.webhook.event_type : null;
  const items: FeedItem[] = [];
  for (const r of results as WebhookEntry[]) {
    if (!r || typeof r !== 'object' || r.id === undefined || r.id === null) continue;
    const doc = r.recap_documents?.[0];
    const fromUrl = fromAbsoluteUrl(doc?.absolute_url);
    const docketId =
      typeof r.docket === 'number' || /^\d+$/.test(String(r.docket ?? ''))
        ? String(r.docket)
        : (/\/dockets?\/(\d+)/.exec(String(r.docket ?? ''))?.[1] ?? fromUrl.docketId);
    const caseName = r.case_name ? cleanTitle(r.case_name) : fromUrl.caption;
    const number = r.entry_number ?? doc?.document_number ?? null;
    const description = plainText(String(r.description ?? ''));
    items.push({
      guid: `courtlistener:docket-entry:${r.id}`,
      title: `${number !== null ? `Entry #${number}` : 'Entry'}${caseName ? ` in ${caseName}` : ''}`,
      link: docketId ? `${SITE}/docket/${docketId}/` : null,
      publishedAt:
        r.date_filed && !Number.isNaN(Date.parse(r.date_filed))
          ? new Date(r.date_filed).toISOString()
          : null,
      summary: description,
      court: courtOfPath(doc?.filepath_local),
      docket: r.docket_number ? (parseDocket(r.docket_number)?.number ?? r.docket_number) : null,
      caseName,
      entryTypes: [],
      documentNumber: number !== null ? String(number) : null,
      documentUrl: doc?.absolute_url ? `${SITE}${doc.absolute_url}` : null,
      courtListenerDocket: docketId ?? null,
    });
  }
  return { eventType, items };
}
