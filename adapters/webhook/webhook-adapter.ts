// Webhooks: each alert POSTed as JSON (the shape `poll --json` prints) to the receiver a channel
// names, signed with its secret. Timestamp and signature headers let the receiver check who sent
// it and when; an Idempotency-Key per delivery, the same on every retry, lets it drop a repeat.
// The dispatcher owns retries: this only says what became of each POST.
import { createHmac } from 'node:crypto';
import { alertJson } from '../../src/alerts/format-text.js';
import type { Adapter, DeliveryItem, DeliveryProgress, SendOutcome } from '../../src/delivery/adapter.js';
import type { Logger } from '../../src/log.js';
import { cleanDeep } from '../../src/text/clean.js';
import { urlVariable, type WebhookTarget } from './config.js';

export interface WebhookOptions {
  fetch?: typeof fetch;
  log: Logger;
  userAgent: string;
  /** How long one POST may take (10 s). */
  timeoutMs?: number;
}

/** "v1=<hex>": HMAC-SHA256 of "v1:<timestamp>:<body>" with the channel's secret. */
export function signature(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`v1:${timestamp}:${body}`).digest('hex')}`;
}

/** Retry-After as seconds or an HTTP date, in ms; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const s = Number(value);
  if (Number.isFinite(s) && s >= 0) return Math.min(s * 1000, 3_600_000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.min(Math.max(0, at - now), 3_600_000) : undefined;
}

export function createWebhookAdapter(targets: Map<string, WebhookTarget>, o: WebhookOptions): Adapter {
  const post = o.fetch ?? fetch;
  const send = async (name: string, target: WebhookTarget, item: DeliveryItem): Promise<SendOutcome> => {
    const body = JSON.stringify(cleanDeep({ ...alertJson(item.alert), reason: item.reason, ...(item.redelivered ? { redelivered: true } : {}) }));
    const timestamp = String(Math.floor(Date.now() / 1000));
    let res: Response;
    try {
      res = await post(target.url, {
        method: 'POST', body, redirect: 'manual', signal: AbortSignal.timeout(o.timeoutMs ?? 10_000),
        headers: {
          'content-type': 'application/json', 'user-agent': o.userAgent,
          'x-sanctions-radar-timestamp': timestamp, 'x-sanctions-radar-signature': signature(target.secret, timestamp, body),
          // One per delivery: a retry after a lost answer carries the same, and the receiver drops the repeat.
          'idempotency-key': `sanctions-radar-${item.alert.id}-${name}`,
        },
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      const why = e.name === 'TimeoutError' ? `no answer within ${(o.timeoutMs ?? 10_000) / 1000} s` : (e.cause?.code ?? e.message);
      return { ok: false, kind: 'retry', error: `webhook ${name}: ${why}` };
    }
    // What the receiver said, kept with a refused delivery (never our request, which holds the signature).
    const answer = (await res.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 300);
    if (res.status >= 200 && res.status < 300) return { ok: true };
    const said = `webhook ${name} answered HTTP ${res.status}${answer ? `: ${answer}` : ''}`;
    if (res.status === 410) return { ok: false, kind: 'pause', error: `${said} (the receiver is gone; alerts wait until it takes them again)` };
    if (res.status === 429 || res.status >= 500) {
      const wait = retryAfterMs(res.headers.get('retry-after'));
      return { ok: false, kind: 'retry', error: said, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
    }
    if (res.status >= 300 && res.status < 400) return { ok: false, kind: 'fail', error: `${said} (a redirect: set the final address in ${urlVariable(name)})` };
    return { ok: false, kind: 'fail', error: said };
  };

  return {
    platform: 'webhook',
    // Machines read it: every change of a large update, not a changeset.
    everyChange: true,
    async deliver(channelId: string, items: DeliveryItem[], progress?: DeliveryProgress): Promise<SendOutcome> {
      const target = targets.get(channelId);
      if (!target) return { ok: false, kind: 'pause', error: `no webhook "${channelId}": set ${urlVariable(channelId)} and its _SECRET` };
      for (let i = 0; i < items.length; i++) {
        const outcome = await send(channelId, target, items[i]!);
        if (!outcome.ok) return { ...outcome, delivered: i };
        progress?.({ delivered: i + 1 });
      }
      return { ok: true };
    },
  };
}
