// Teams: each alert (or a batch, as one digest card) POSTed to the channel's Workflows webhook.
// The Workflows trigger answers 202 when it took the message; the dispatcher owns retries.
import type { Adapter, DeliveryItem, DeliveryProgress, SendOutcome } from '../../src/delivery/adapter.js';
import { retryAfterMs } from '../webhook/webhook-adapter.js';
import { alertCard, digestCard, type TeamsMessage } from './cards.js';
import { teamsUrlVariable } from './config.js';

/** From this many alerts at once, one digest card (Teams has no threads for the details). */
export const DIGEST_AT = 4;

export interface TeamsOptions {
  fetch?: typeof fetch;
  userAgent: string;
  timeoutMs?: number;
}

export function createTeamsAdapter(targets: Map<string, string>, o: TeamsOptions): Adapter {
  const post = o.fetch ?? fetch;
  const send = async (name: string, url: string, message: TeamsMessage): Promise<SendOutcome> => {
    let res: Response;
    try {
      res = await post(url, {
        method: 'POST', body: JSON.stringify(message), redirect: 'manual', signal: AbortSignal.timeout(o.timeoutMs ?? 15_000),
        headers: { 'content-type': 'application/json', 'user-agent': o.userAgent },
      });
    } catch (err) {
      const e = err as Error & { cause?: { code?: string } };
      return { ok: false, kind: 'retry', error: `teams ${name}: ${e.name === 'TimeoutError' ? 'no answer in time' : (e.cause?.code ?? e.message)}` };
    }
    // The URL is a secret (it carries its signature): errors name the channel, never the address.
    const answer = (await res.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 300);
    if (res.status >= 200 && res.status < 300) return { ok: true };
    const said = `teams ${name}: the workflow answered HTTP ${res.status}${answer ? `: ${answer}` : ''}`;
    if (res.status === 429 || res.status >= 500) {
      const wait = retryAfterMs(res.headers.get('retry-after'));
      return { ok: false, kind: 'retry', error: said, ...(wait !== undefined ? { retryAfterMs: wait } : {}) };
    }
    // The workflow deleted or turned off, or its signature no longer valid: a person must fix it.
    if (res.status === 401 || res.status === 403 || res.status === 404 || res.status === 410) return { ok: false, kind: 'pause', error: `${said} (is the workflow still on? its URL is ${teamsUrlVariable(name)})` };
    return { ok: false, kind: 'fail', error: said };
  };

  return {
    platform: 'teams',
    async deliver(channelId: string, items: DeliveryItem[], progress?: DeliveryProgress): Promise<SendOutcome> {
      const url = targets.get(channelId);
      if (!url) return { ok: false, kind: 'pause', error: `no Teams channel "${channelId}": set ${teamsUrlVariable(channelId)}` };
      if (items.length >= DIGEST_AT) return send(channelId, url, digestCard(items));
      for (let i = 0; i < items.length; i++) {
        const outcome = await send(channelId, url, alertCard(items[i]!));
        if (!outcome.ok) return { ...outcome, delivered: i };
        progress?.({ delivered: i + 1 });
      }
      return { ok: true };
    },
  };
}
