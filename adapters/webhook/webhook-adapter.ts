// Webhooks: each alert POSTed as JSON (the shape `poll --json` prints) to the receiver a channel
// names, signed with its secret. Timestamp and signature headers let the receiver check who sent
// it and when; an Idempotency-Key per delivery, the same on every retry, lets it drop a repeat.
// The dispatcher owns retries: this only says what became of each POST.
import { createHmac } from 'node:crypto';
import { alertJson } from '../../src/alerts/format-text.js';
import type {
  Adapter,
  DeliveryItem,
  DeliveryProgress,
  SendOutcome,
} from '../../src/delivery/adapter.js';
import type { Logger } from '../../src/log.js';
import { cleanDeep } from '../../src/text/clean.js';
import { postJson } from '../http-post.js';
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

export function createWebhookAdapter(
  targets: Map<string, WebhookTarget>,
  o: WebhookOptions,
): Adapter {
  const send = async (
    name: string,
    target: WebhookTarget,
    item: DeliveryItem,
  ): Promise<SendOutcome> => {
    const body = JSON.stringify(
      cleanDeep({
        ...alertJson(item.alert),
        reason: item.reason,
        ...(item.redelivered ? { redelivered: true } : {}),
      }),
    );
    const timestamp = String(Math.floor(Date.now() / 1000));
    return postJson({
      fetch: o.fetch,
      url: target.url,
      body,
      timeoutMs: o.timeoutMs ?? 10_000,
      who: `webhook ${name}`,
      headers: {
        'user-agent': o.userAgent,
        'x-sanctions-radar-timestamp': timestamp,
        'x-sanctions-radar-signature': signature(target.secret, timestamp, body),
        // One per delivery: a retry after a lost answer carries the same, and the receiver drops the repeat.
        'idempotency-key': `sanctions-radar-${item.alert.id}-${name}`,
      },
      pauseOn: [410],
      pauseHint: 'the receiver is gone; alerts wait until it takes them again',
      redirectHint: `a redirect: set the final address in ${urlVariable(name)}`,
    });
  };

  return {
    platform: 'webhook',
    // Machines read it: every change of a large update, not a changeset.
    everyChange: true,
    async deliver(
      channelId: string,
      items: DeliveryItem[],
      progress?: DeliveryProgress,
    ): Promise<SendOutcome> {
      const target = targets.get(channelId);
      if (!target)
        return {
          ok: false,
          kind: 'pause',
          error: `no webhook "${channelId}": set ${urlVariable(channelId)} and its _SECRET`,
        };
      for (let i = 0; i < items.length; i++) {
        const outcome = await send(channelId, target, items[i]!);
        if (!outcome.ok) return { ...outcome, delivered: i };
        progress?.({ delivered: i + 1 });
      }
      return { ok: true };
    },
  };
}
