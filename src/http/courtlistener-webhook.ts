// POST /courtlistener/webhook: CourtListener docket-alert webhooks, pushed rather than polled.
// CourtListener signs nothing, so the URL carries a shared secret; each delivery is handled once
// by its Idempotency-Key, and its entries are committed as a polled court feed's are: a plan
// ('pushed') that commitPlan writes in one transaction (store → judge → route → outbox).
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '../../db/database.js';
import { ensureSource, getSource } from '../../db/source-state.js';
import type { Logger } from '../log.js';
import type { StorageHealth } from '../store/health.js';
import { commitPlan } from '../poll/commit.js';
import type { FeedCaps } from '../poll/feed-ingest.js';
import { WEBHOOK_SOURCE } from './webhook-source.js';
import { parseCourtListenerWebhook } from '../sources/courtlistener.js';
import { ParseError } from '../sources/parse.js';

export { WEBHOOK_PATH, WEBHOOK_SOURCE } from './webhook-source.js';

const MAX_BODY = 1024 * 1024;
/** CourtListener's webhook event type of docket alerts. */
const DOCKET_ALERT = 1;

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function answer(res: ServerResponse, status: number, body: Record<string, unknown>): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<Buffer | null> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export interface WebhookDeps {
  db: Db;
  log: Logger;
  secret: string;
  defaultChannels: string[];
  /** The polled feeds' caps (SANCTIONS_RADAR_MAX_FEED_ITEMS, _ALERTS), per delivery. */
  caps: FeedCaps;
  /** Told of a storage failure (a full disk), which is answered 503 for CourtListener to retry. */
  storage?: StorageHealth;
  now?: () => Date;
}

export function courtListenerWebhook(deps: WebhookDeps) {
  return async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const given = new URL(req.url ?? '/', 'http://localhost').searchParams.get('secret') ?? '';
    if (!same(given, deps.secret)) {
      // Never the secret given: a near miss would leak most of the real one into the log.
      deps.log.warn(
        { from: req.socket.remoteAddress, secretGiven: given.length > 0 },
        "refused a CourtListener webhook: the URL's secret is missing or wrong (compare the URL given to CourtListener with COURTLISTENER_WEBHOOK_SECRET)",
      );
      return answer(res, 401, { error: 'unknown or missing secret' });
    }
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY)
      return answer(res, 413, { error: `body over ${MAX_BODY} bytes` });
    const body = await readBody(req);
    if (!body) return answer(res, 413, { error: `body over ${MAX_BODY} bytes` });
    let parsed;
    try {
      parsed = parseCourtListenerWebhook(JSON.parse(body.toString('utf8')));
    } catch (err) {
      const why = err instanceof ParseError ? err.message : 'the body is not JSON';
      return answer(res, 400, { error: why });
    }
    if (parsed.eventType !== null && parsed.eventType !== DOCKET_ALERT)
      return answer(res, 200, { ok: true, ignored: `event type ${parsed.eventType}` });
    const key = String(req.headers['idempotency-key'] ?? '').slice(0, 200);
    const at = (deps.now?.() ?? new Date()).toISOString();
    const { db } = deps;
    const cfg = WEBHOOK_SOURCE;
    let outcome;
    try {
      ensureSource(db, cfg.id, cfg.kind, cfg.label ?? null);
      const r = commitPlan(
        {
          db,
          defaultChannels: deps.defaultChannels,
          maxFeedItems: deps.caps.maxItems,
          maxFeedAlerts: deps.caps.maxAlerts,
        },
        cfg,
        getSource(db, cfg.id)!,
        { step: 'pushed', items: parsed.items, requestKey: key },
        at,
      );
      outcome = { duplicate: r.duplicate === true, alerts: r.alerts.length, fresh: r.items };
    } catch (err) {
      // Nothing was stored (the transaction rolled back): CourtListener retries a 5xx later.
      if (deps.storage?.note(err, 'courtlistener webhook')) {
        res.setHeader('retry-after', '300');
        return answer(res, 503, { error: 'the entries cannot be stored now; retry later' });
      }
      deps.log.error(
        { err, idempotencyKey: key || null },
        'courtlistener webhook could not be stored',
      );
      return answer(res, 500, { error: 'the entries could not be stored; retry later' });
    }
    deps.storage?.wrote();
    deps.log.info(
      { source: cfg.id, idempotencyKey: key || null, entries: parsed.items.length, ...outcome },
      'courtlistener webhook',
    );
    answer(res, 200, { ok: true, ...outcome });
  };
}
