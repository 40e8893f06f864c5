// Slack: alerts through the Web API, `/sanctions` through Bolt (Socket Mode, or HTTP on the
// daemon's port). The dispatcher owns retries, so the Web client rejects rate-limited calls
// instead of sleeping on them and never retries by itself.
import { App, LogLevel, SocketModeReceiver, webApi } from '@slack/bolt';
import { proxyDispatcher } from '../proxy.js';
import type { Adapter, AdapterContext, DeliveryItem, DeliveryProgress, SendOutcome } from '../../src/delivery/adapter.js';
import type { Logger } from '../../src/log.js';
import { alertMessage, DIGEST_AT, digestMessage, type SlackMessage } from './alert-blocks.js';
import { slackOutcome } from './errors.js';
import { CHECK_FAILED, managerCheck, readManagerRule, REFUSAL } from './managers.js';
import { replyMessage, SHARE_ACTION } from './reply-blocks.js';
import { SharedPortReceiver } from './shared-port-receiver.js';
import { cleanDeep } from '../../src/text/clean.js';

export { readSlackConfig, type SlackConfig } from './config.js';
import type { SlackConfig } from './config.js';
import { parseCommand, type Access } from '../../src/commands/run.js';


function boltLogger(log: Logger) {
  return {
    debug: (...m: unknown[]) => log.debug({ slack: m.map(String).join(' ') }),
    info: (...m: unknown[]) => log.debug({ slack: m.map(String).join(' ') }),
    warn: (...m: unknown[]) => log.warn({ slack: m.map(String).join(' ') }),
    error: (...m: unknown[]) => log.error({ slack: m.map(String).join(' ') }),
    setLevel: () => {},
    getLevel: () => LogLevel.INFO,
    setName: () => {},
  };
}

const USER = /^[UW][A-Z0-9]{2,}$/;


export function createSlackAdapter(cfg: SlackConfig, ctx: AdapterContext): Adapter {
  const clientOptions = {
    ...(cfg.apiUrl ? { slackApiUrl: cfg.apiUrl } : {}),
    ...(cfg.fetch ? { fetch: cfg.fetch } : {}),
    rejectRateLimitedCalls: true,
    retryConfig: { retries: 0 },
    logger: boltLogger(ctx.log),
  };
  const client = new webApi.WebClient(cfg.botToken, clientOptions);
  let app: App | null = null;
  const mayManage = managerCheck(cfg.managers ?? readManagerRule(undefined), client);
  let retry: NodeJS.Timeout | null = null;
  let stopped = false;

  // Slack takes one message a second per channel (chat.postMessage); sending sooner only earns a
  // 429. The next message of a channel waits its turn in the outbox instead, and the daemon wakes
  // when it is due: a backlog goes out at Slack's pace, not one message per 429.
  const lastPost = new Map<string, number>();
  const paceMs = cfg.paceMs ?? 0;
  // Slack also limits the workspace as a whole. Channels are sent to at once, so a message takes
  // its turn of the workspace when it is let go, before its request is made.
  const workspacePaceMs = cfg.workspacePaceMs ?? 0;
  let workspaceFree = 0;
  const paceWait = (channel: string): { wait: number; why: string } | null => {
    const now = Date.now();
    const channelWait = paceMs ? (lastPost.get(channel) ?? 0) + paceMs - now : 0;
    if (channelWait > 0) return { wait: channelWait, why: 'Slack takes one message a second per channel' };
    if (workspaceFree > now) return { wait: workspaceFree - now, why: 'Slack takes a few hundred messages a minute per workspace' };
    workspaceFree = now + workspacePaceMs;
    return null;
  };

  // Message metadata names the alerts a message carries, for other apps in the workspace (and for
  // counting deliveries): Slack keeps it with the message, people do not see it.
  const post = async (channel: string, m: SlackMessage, alertIds: number[], threadTs?: string): Promise<string> => {
    const clean = cleanDeep(m);
    const res = await client.chat.postMessage({
      channel, text: clean.text, blocks: clean.blocks, unfurl_links: false, unfurl_media: false,
      metadata: { event_type: 'sanctions_radar_alert', event_payload: { alert_ids: alertIds.join(',') } },
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    lastPost.set(channel, Date.now());
    return String(res.ts ?? '');
  };

  return {
    platform: 'slack',

    async deliver(channelId: string, items: DeliveryItem[], progress?: DeliveryProgress): Promise<SendOutcome> {
      // Details of a digest posted earlier go into its thread; a digest of this batch is posted
      // first. Every detail is a delivery of its own: one refused or rate-limited is retried
      // (into the same thread, in order), never dropped.
      let thread = items[0]?.thread;
      let parent = '';
      const paced = (delivered: number): SendOutcome | null => {
        const turn = paceWait(channelId);
        return turn ? { ok: false, kind: 'retry', paced: true, error: `paced: ${turn.why}`, retryAfterMs: turn.wait, delivered, ...(thread ? { thread } : {}) } : null;
      };
      if (!thread && items.length >= DIGEST_AT) {
        const wait = paced(0);
        if (wait) return wait;
        try {
          thread = parent = await post(channelId, digestMessage(items), items.map((i) => i.alert.id));
        } catch (err) {
          return slackOutcome(err);
        }
        progress?.({ delivered: 0, thread });
      }
      let last = parent;
      for (let i = 0; i < items.length; i++) {
        const wait = paced(i);
        if (wait) return wait;
        try {
          const ts = await post(channelId, alertMessage(items[i]!), [items[i]!.alert.id], thread);
          last = parent || ts;
          progress?.({ delivered: i + 1, messageId: last });
        } catch (err) {
          const outcome = slackOutcome(err);
          return outcome.ok ? outcome : { ...outcome, delivered: i, ...(thread ? { thread } : {}) };
        }
      }
      return { ok: true, messageId: last };
    },

    async start() {
      if (ctx.mode !== 'start' || !ctx.commands) return;
      const commands = ctx.commands;
      const logger = boltLogger(ctx.log);
      if (cfg.appToken) {
        // The WebSocket (and its apps.connections.open) through the proxy the environment names, as every other call.
        const dispatcher = await proxyDispatcher(ctx.env);
        const receiver = new SocketModeReceiver({ appToken: cfg.appToken, logger, ...(dispatcher ? { dispatcher } : {}), installerOptions: { clientOptions } });
        app = new App({ token: cfg.botToken, receiver, clientOptions, logger, deferInitialization: true });
      } else {
        const receiver = new SharedPortReceiver(cfg.signingSecret!, ctx.log);
        app = new App({ token: cfg.botToken, receiver, clientOptions, logger, deferInitialization: true });
        ctx.http?.route('POST', '/slack/events', receiver.handle);
      }
      app.command('/sanctions', async ({ command, ack }) => {
        // Commands answer from SQLite in milliseconds, so the answer is the ack itself: well
        // inside Slack's 3 seconds, with no follow-up request that could fail. The command is
        // read once; who may run it is decided on that reading, not on the raw text.
        const cmd = parseCommand(command.text ?? '');
        let access: Access = { mayChangeChannel: false, refusal: REFUSAL };
        if (cmd.changesChannel) {
          const allowed = await mayManage(command.user_id).catch((err: unknown) => {
            ctx.log.warn({ err, user: command.user_id }, 'could not check who may change subscriptions (users:read, usergroups:read scopes? Slack slow?)');
            return null;
          });
          access = allowed === null ? { mayChangeChannel: false, refusal: CHECK_FAILED } : { mayChangeChannel: allowed, refusal: REFUSAL };
          if (!allowed) ctx.log.info({ user: command.user_id, channel: command.channel_id, verb: cmd.verb }, 'refused a command that changes a channel');
        }
        const reply = await commands(cmd, `slack:${command.channel_id}`, access);
        const share = !cmd.changesChannel && (cmd.verb === 'lookup' || cmd.verb === 'history' || cmd.verb === 'portfolio') ? command.text : undefined;
        await ack(replyMessage(reply, share));
      });
      app.action(SHARE_ACTION, async ({ ack, body, action, respond }) => {
        await ack();
        const text = (action as { value?: string }).value ?? '';
        const channel = (body as { channel?: { id?: string } }).channel?.id;
        const user = (body as { user?: { id?: string } }).user?.id;
        // The button only ever carries a reading command; whoever presses it changes nothing.
        const cmd = parseCommand(text);
        if (!channel || cmd.changesChannel) return;
        const reply = await commands(cmd, `slack:${channel}`, { mayChangeChannel: false, refusal: REFUSAL });
        const shared = replyMessage({ ...reply, visibility: 'channel' });
        if (user && USER.test(user)) shared.blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `Shared by <@${user}>` }] });
        await respond({ ...shared, response_type: 'in_channel', replace_original: false });
      });
      // Slack unreachable or a revoked token at start must not stop the daemon: polling and
      // queueing go on, /healthz says Slack is failing, and the connection is retried with backoff.
      const started = app;
      const connect = async (attempt: number): Promise<void> => {
        try {
          await started.init();
          await started.start();
          ctx.reportHealth?.('slack', null);
          ctx.log.info({ mode: cfg.appToken ? 'socket' : 'http', path: cfg.appToken ? undefined : '/slack/events' }, 'Slack adapter ready');
        } catch (err) {
          if (stopped) return;
          const outcome = slackOutcome(err);
          const reason = outcome.ok ? String(err) : outcome.error;
          const wait = Math.min(15_000 * 2 ** (attempt - 1), 15 * 60_000);
          ctx.reportHealth?.('slack', reason);
          ctx.log.warn({ err, reason, retryInMs: wait }, 'Slack is not reachable or refuses the token; alerts are queued, retrying');
          retry = setTimeout(() => void connect(attempt + 1), wait);
          retry.unref();
        }
      };
      await connect(1);
    },

    async stop() {
      stopped = true;
      if (retry) clearTimeout(retry);
      await app?.stop().catch(() => undefined);
      app = null;
    },
  };
}
