// Slack Web API failures mapped once to what the dispatcher does about them.
import type { SendOutcome } from '../../src/delivery/adapter.js';

/** The bot cannot post there until a person fixes it: pause the channel, keep its alerts. */
const PAUSE = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
  'ekm_access_denied',
  'team_access_not_granted',
]);
/** The token is wrong for every channel: retrying later is all we can do, loudly. */
const AUTH = new Set([
  'invalid_auth',
  'not_authed',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'missing_scope',
]);

interface SlackLikeError {
  code?: string;
  retryAfter?: number;
  data?: { error?: string; needed?: string };
  statusCode?: number;
  original?: { message?: string; code?: string; cause?: { code?: string } };
  message?: string;
}

export function slackOutcome(err: unknown): SendOutcome {
  const e = err as SlackLikeError;
  switch (e.code) {
    case 'slack_webapi_rate_limited_error':
      return {
        ok: false,
        kind: 'retry',
        error: `rate limited by Slack (Retry-After ${e.retryAfter}s)`,
        retryAfterMs: (e.retryAfter ?? 1) * 1000,
      };
    case 'slack_webapi_platform_error': {
      const code = e.data?.error ?? 'unknown_error';
      if (PAUSE.has(code)) {
        const why =
          code === 'not_in_channel'
            ? 'the bot is not in this channel: invite it with /invite @sanctions-radar'
            : code === 'is_archived'
              ? 'the channel is archived'
              : code === 'channel_not_found'
                ? 'the channel does not exist or the bot cannot see it'
                : code;
        return { ok: false, kind: 'pause', error: `Slack: ${code} (${why})` };
      }
      if (AUTH.has(code))
        return {
          ok: false,
          kind: 'retry',
          error: `Slack: ${code}${e.data?.needed ? ` (needs ${e.data.needed})` : ''}: check SLACK_BOT_TOKEN and the app's scopes`,
        };
      return { ok: false, kind: 'fail', error: `Slack: ${code}` };
    }
    case 'slack_webapi_http_error':
      return { ok: false, kind: 'retry', error: `Slack answered HTTP ${e.statusCode}` };
    case 'slack_webapi_request_error':
      return {
        ok: false,
        kind: 'retry',
        error: `cannot reach Slack: ${e.original?.cause?.code ?? e.original?.code ?? e.original?.message ?? e.message}`,
      };
    default:
      return { ok: false, kind: 'retry', error: `Slack: ${e.message ?? String(err)}` };
  }
}
