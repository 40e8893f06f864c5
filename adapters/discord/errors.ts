// Discord REST failures mapped once to what the dispatcher does about them.
import type { SendOutcome } from '../../src/delivery/adapter.js';

/** Missing Access, Unknown Channel, Missing Permissions: a person must fix the channel. */
const PAUSE: Record<number, string> = {
  50001: 'Missing Access: the bot cannot see this channel',
  10003: 'Unknown Channel: it was deleted or the id is wrong',
  50013: 'Missing Permissions: give the bot Send Messages and Embed Links here',
};

interface DiscordLikeError {
  name?: string;
  code?: number | string;
  status?: number;
  retryAfter?: number;
  message?: string;
}

export function discordOutcome(err: unknown): SendOutcome {
  const e = err as DiscordLikeError;
  if (e.name === 'RateLimitError' || e.retryAfter !== undefined) {
    return {
      ok: false,
      kind: 'retry',
      error: `rate limited by Discord (retry after ${e.retryAfter} ms)`,
      retryAfterMs: Math.max(0, e.retryAfter ?? 1000),
    };
  }
  if (typeof e.code === 'number' && PAUSE[e.code])
    return { ok: false, kind: 'pause', error: `Discord ${e.code}: ${PAUSE[e.code]}` };
  if (e.status === 401)
    return { ok: false, kind: 'retry', error: 'Discord 401: check DISCORD_TOKEN' };
  if (e.status !== undefined && e.status >= 500)
    return { ok: false, kind: 'retry', error: `Discord answered HTTP ${e.status}` };
  if (e.status !== undefined && e.status >= 400)
    return {
      ok: false,
      kind: 'fail',
      error: `Discord ${e.code ?? e.status}: ${e.message ?? ''}`.trim(),
    };
  return { ok: false, kind: 'retry', error: `cannot reach Discord: ${e.message ?? String(err)}` };
}
