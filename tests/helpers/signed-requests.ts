// Requests as Slack and Discord send them to the daemon's port, signed: a Slack interaction
// (form-encoded `payload`, v0 HMAC over "v0:<ts>:<body>") and a Discord interaction (JSON,
// Ed25519 over "<ts><body>"); and the click on an alert's review button Slack sends.
import { createHmac, sign, type KeyObject } from 'node:crypto';

export async function postSlackInteraction(
  port: number,
  secret: string,
  payload: unknown,
  opts: { signature?: string; retry?: number } = {},
): Promise<{ status: number; body: unknown }> {
  const body = new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      'x-slack-request-timestamp': String(ts),
      'x-slack-signature':
        opts.signature ??
        `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`,
      ...(opts.retry
        ? { 'x-slack-retry-num': String(opts.retry), 'x-slack-retry-reason': 'http_timeout' }
        : {}),
    },
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** A block_actions click on a review button of the alert's message in a channel. */
export function reviewClick(o: {
  alertId: number;
  actionId?: string;
  user?: string;
  userName?: string;
  actionTs: string;
  responseUrl: string;
  channel?: string;
  messageTs?: string;
  blocks?: unknown;
  triggerId?: string;
}) {
  const ts = o.messageTs ?? '1700000000.000100';
  return {
    type: 'block_actions',
    team: { id: 'T0001' },
    user: { id: o.user ?? 'U0002', name: o.userName ?? 'ana' },
    api_app_id: 'A0001',
    token: 'legacy',
    trigger_id: o.triggerId ?? '1.2.3',
    channel: { id: o.channel ?? 'C0123', name: 'compliance' },
    response_url: o.responseUrl,
    container: { type: 'message', message_ts: ts },
    message: { type: 'message', ts, text: 'x', blocks: o.blocks ?? [] },
    actions: [
      {
        type: 'button',
        action_id: o.actionId ?? 'sanctions_review_ack',
        block_id: 'sanctions_review',
        value: String(o.alertId),
        action_ts: o.actionTs,
      },
    ],
  };
}

export async function postDiscordInteraction<T = unknown>(
  port: number,
  privateKey: KeyObject,
  payload: unknown,
): Promise<{ status: number; body: T }> {
  const body = JSON.stringify(payload);
  const ts = String(Math.floor(Date.now() / 1000));
  const res = await fetch(`http://127.0.0.1:${port}/discord/interactions`, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-signature-timestamp': ts,
      'x-signature-ed25519': sign(null, Buffer.from(ts + body), privateKey).toString('hex'),
    },
  });
  return { status: res.status, body: (await res.json()) as T };
}
