// Teams: each alert (or a batch, as one digest card) POSTed to the channel's Workflows webhook.
// The Workflows trigger answers 202 when it took the message; the dispatcher owns retries.
import type {
  Adapter,
  DeliveryItem,
  DeliveryProgress,
  SendOutcome,
} from '../../src/delivery/adapter.js';
import { postJson } from '../http-post.js';
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
  // The URL is a secret (it carries its signature): errors name the channel, never the address.
  const send = (name: string, url: string, message: TeamsMessage): Promise<SendOutcome> =>
    postJson({
      fetch: o.fetch,
      url,
      body: JSON.stringify(message),
      headers: { 'user-agent': o.userAgent },
      timeoutMs: o.timeoutMs ?? 15_000,
      who: `teams ${name}: the workflow`,
      // The workflow deleted or turned off, or its signature no longer valid: a person must fix it.
      pauseOn: [401, 403, 404, 410],
      pauseHint: `is the workflow still on? its URL is ${teamsUrlVariable(name)}`,
    });

  return {
    platform: 'teams',
    async deliver(
      channelId: string,
      items: DeliveryItem[],
      progress?: DeliveryProgress,
    ): Promise<SendOutcome> {
      const url = targets.get(channelId);
      if (!url)
        return {
          ok: false,
          kind: 'pause',
          error: `no Teams channel "${channelId}": set ${teamsUrlVariable(channelId)}`,
        };
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
