// Slack: alerts through the Web API, `/sanctions` through Bolt (Socket Mode, or HTTP on the
// daemon's port). The dispatcher owns retries, so the Web client rejects rate-limited calls
// instead of sleeping on them and never retries by itself.
import {
  App,
  LogLevel,
  SocketModeReceiver,
  webApi,
  type BlockAction,
  type RespondFn,
  type types,
} from '@slack/bolt';
import { proxyDispatcher } from '../proxy.js';
import type {
  Adapter,
  AdapterContext,
  DeliveryItem,
  DeliveryProgress,
  SendOutcome,
} from '../../src/delivery/adapter.js';
import type { Logger } from '../../src/log.js';
import {
  alertMessage,
  DIGEST_AT,
  digestMessage,
  type MessageLink,
  type SlackMessage,
} from './alert-blocks.js';
import { slackOutcome } from './errors.js';
import { CHECK_FAILED, managerCheck, readManagerRule, REFUSAL, reviewerRule } from './managers.js';
import { replyMessage, SHARE_ACTION } from './reply-blocks.js';
import { SharedPortReceiver } from './shared-port-receiver.js';
import { cleanDeep } from '../../src/text/clean.js';
import {
  checkDecision,
  reviewLine,
  type ReviewOutcome,
  type ReviewRunner,
} from '../../src/review/review.js';
import { escapeText } from './escape.js';
import { SLACK_SCOPES } from './scopes.js';
import type { DoctorCheck } from '../../src/doctor/check.js';
import {
  actionOf,
  REVIEW_ACTION_ID,
  REVIEW_MODAL,
  reviewModal,
  withReviewState,
  type ReviewContext,
} from './review-blocks.js';

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
  const managers = cfg.managers ?? readManagerRule(undefined);
  const mayManage = managerCheck(managers, client);
  const reviewers = reviewerRule(ctx.settings.reviewers, managers);
  const mayReview = reviewers.rule === managers ? mayManage : managerCheck(reviewers.rule, client);
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
    if (channelWait > 0)
      return { wait: channelWait, why: 'Slack takes one message a second per channel' };
    if (workspaceFree > now)
      return {
        wait: workspaceFree - now,
        why: 'Slack takes a few hundred messages a minute per workspace',
      };
    workspaceFree = now + workspacePaceMs;
    return null;
  };

  // A reminder links the alerts' messages: https://<workspace>.slack.com/archives/C.../p<ts>. The
  // workspace's address is asked once (auth.test); not known, the reminder goes without links.
  let workspaceUrl: string | null = null;
  const linksOf = async (channel: string, items: DeliveryItem[]): Promise<MessageLink> => {
    if (!items.some((i) => i.alert.type === 'review.reminder')) return () => null;
    if (!workspaceUrl) {
      const auth = await client.auth.test().catch((err: unknown) => {
        ctx.log.debug({ err }, "could not read the workspace address for a reminder's links");
        return null;
      });
      if (auth?.url && /^https:\/\//.test(auth.url))
        workspaceUrl = auth.url.endsWith('/') ? auth.url : `${auth.url}/`;
    }
    const base = workspaceUrl;
    return (ts) =>
      base && /^\d+\.\d+$/.test(ts) ? `${base}archives/${channel}/p${ts.replace('.', '')}` : null;
  };

  // Message metadata names the alerts a message carries, for other apps in the workspace (and for
  // counting deliveries): Slack keeps it with the message, people do not see it.
  const post = async (
    channel: string,
    m: SlackMessage,
    alertIds: number[],
    threadTs?: string,
  ): Promise<string> => {
    const clean = cleanDeep(m);
    const res = await client.chat.postMessage({
      channel,
      text: clean.text,
      blocks: clean.blocks,
      unfurl_links: false,
      unfurl_media: false,
      metadata: {
        event_type: 'sanctions_radar_alert',
        event_payload: { alert_ids: alertIds.join(',') },
      },
      ...(threadTs ? { thread_ts: threadTs } : {}),
    });
    lastPost.set(channel, Date.now());
    return String(res.ts ?? '');
  };

  // Review buttons. The click is acknowledged first (Slack's 3 seconds), then recorded, then the
  // message updated. Who may decide: the reviewers named, else whoever may change what the channel follows.
  const modalMessages = new Map<string, types.KnownBlock[]>();
  const registerReview = (app: App, review: ReviewRunner) => {
    const refuse = async (respond: RespondFn, text: string) =>
      respond({ response_type: 'ephemeral', replace_original: false, text });
    const mayDecide = (user: string) =>
      mayReview(user).catch((err: unknown) => {
        ctx.log.warn(
          { err, user },
          'could not check who may decide on alerts (users:read, usergroups:read scopes? Slack slow?)',
        );
        return null;
      });
    const show = async (
      channel: string,
      ts: string,
      blocks: types.KnownBlock[] | undefined,
      { decisions, fourEyes, digest }: Extract<ReviewOutcome, { ok: true }>,
    ) => {
      // The fallback text notifies: what reviewers typed must not ping anyone there either.
      const text =
        reviewLine(decisions, (d) => escapeText(d.userName ?? d.userId), escapeText, fourEyes) ??
        '';
      if (blocks)
        await client.chat.update({
          channel,
          ts,
          blocks: withReviewState(blocks, decisions, fourEyes),
          text,
        });
      // The message's blocks are not at hand (the daemon restarted while the modal was open): the decision in its thread.
      else await client.chat.postMessage({ channel, thread_ts: ts, text });
      // A detail of a digest: the digest counts it ("3 of 7 reviewed").
      if (digest && digest.thread !== ts) {
        const m = cleanDeep(digestMessage(digest.items, digest));
        await client.chat.update({ channel, ts: digest.thread, blocks: m.blocks, text: m.text });
      }
    };
    app.action(REVIEW_ACTION_ID, async ({ ack, body, action, respond }) => {
      await ack();
      const b = body as BlockAction;
      const act = action as { action_id: string; value?: string; action_ts?: string };
      const channel = b.channel?.id;
      const ts = b.message?.ts;
      const alertId = Number(act.value);
      if (!channel || !ts || !Number.isSafeInteger(alertId)) return;
      const allowed = await mayDecide(b.user.id);
      if (!allowed)
        return void (await refuse(respond, allowed === null ? CHECK_FAILED : reviewers.refusal));
      const which = actionOf(act.action_id);
      if (which !== 'ack') {
        const opened = await client.views.open({
          trigger_id: b.trigger_id,
          view: reviewModal({ alertId, channel, ts, action: which }),
        });
        if (opened.view?.id && b.message?.blocks) {
          modalMessages.set(opened.view.id, b.message.blocks as types.KnownBlock[]);
          // A modal left open for good must not keep its message's blocks for ever.
          if (modalMessages.size > 500) modalMessages.delete(modalMessages.keys().next().value!);
        }
        return;
      }
      const outcome = await review({
        alertId,
        channel: `slack:${channel}`,
        userId: b.user.id,
        userName: b.user.name ?? b.user.username ?? null,
        action: 'ack',
        requestKey: `slack:${channel}:${ts}:${act.action_ts ?? ''}:${b.user.id}`,
      });
      if (!outcome.ok) return void (await refuse(respond, outcome.error));
      await show(channel, ts, b.message?.blocks as types.KnownBlock[] | undefined, outcome);
    });
    app.view(REVIEW_MODAL, async ({ ack, body, view }) => {
      let c: ReviewContext;
      try {
        c = JSON.parse(view.private_metadata) as ReviewContext;
      } catch {
        return void (await ack());
      }
      const values = view.state.values as Record<string, Record<string, { value?: string | null }>>;
      const reason = values.reason?.reason?.value ?? null;
      const note = values.note?.note?.value ?? null;
      const problem = checkDecision({ action: c.action, reason, note });
      if (problem)
        return void (await ack({
          response_action: 'errors',
          errors: { [problem.field === 'reason' ? 'reason' : 'note']: problem.error },
        }));
      const allowed = await mayDecide(body.user.id);
      if (!allowed)
        return void (await ack({
          response_action: 'errors',
          errors: {
            [c.action === 'not-us' ? 'reason' : 'note']:
              allowed === null ? CHECK_FAILED : reviewers.refusal,
          },
        }));
      await ack();
      const outcome = await review({
        alertId: c.alertId,
        channel: `slack:${c.channel}`,
        userId: body.user.id,
        userName: body.user.name ?? null,
        action: c.action,
        reason,
        note,
        requestKey: `slack:view:${view.id}`,
      });
      if (!outcome.ok) {
        await client.chat.postEphemeral({
          channel: c.channel,
          user: body.user.id,
          text: outcome.error,
        });
        return;
      }
      await show(c.channel, c.ts, modalMessages.get(view.id), outcome);
      modalMessages.delete(view.id);
    });
  };

  // A changeset's whole change list, as Slack takes files now: an upload address, the bytes to it,
  // then the upload completed into the changeset message's thread (files:write).
  const upload = async (channel: string, item: DeliveryItem): Promise<SendOutcome> => {
    const f = item.file!;
    const turn = paceWait(channel);
    if (turn)
      return {
        ok: false,
        kind: 'retry',
        paced: true,
        error: `paced: ${turn.why}`,
        retryAfterMs: turn.wait,
      };
    try {
      const at = await client.files.getUploadURLExternal({
        filename: f.name,
        length: f.content.length,
      });
      const sent = await (cfg.fetch ?? fetch)(at.upload_url!, {
        method: 'POST',
        body: new Uint8Array(f.content),
        headers: { 'content-type': 'text/csv' },
      });
      if (!sent.ok)
        return { ok: false, kind: 'retry', error: `the file upload answered HTTP ${sent.status}` };
      const rows = item.alert.type === 'changeset.file' ? item.alert.rows : 0;
      await client.files.completeUploadExternal({
        files: [{ id: at.file_id!, title: f.name }],
        channel_id: channel,
        ...(f.replyTo ? { thread_ts: f.replyTo } : {}),
        initial_comment: `All ${rows.toLocaleString('en-US')} changes of this changeset (change, list, key, name, aliases, programs, listed on, citation, fields changed).`,
      } as never);
      lastPost.set(channel, Date.now());
      return { ok: true };
    } catch (err) {
      // An app installed before files:write: the file is given up on, not retried for hours in
      // front of the channel's next alerts.
      if ((err as { data?: { error?: string } }).data?.error === 'missing_scope') {
        return {
          ok: false,
          kind: 'fail',
          error:
            "Slack: missing_scope: the app lacks files:write, so the changeset's file was skipped; add the scope (the manifest has it) and reinstall the app",
        };
      }
      return slackOutcome(err);
    }
  };

  return {
    platform: 'slack',
    takesFiles: true,

    async doctor(channels: string[]): Promise<DoctorCheck[]> {
      let auth: Awaited<ReturnType<typeof client.auth.test>>;
      try {
        auth = await client.auth.test();
      } catch (err) {
        const o = slackOutcome(err);
        return [
          {
            check: 'slack token',
            ok: false,
            detail: o.ok ? 'refused' : o.error,
            fix: 'set SLACK_BOT_TOKEN to the Bot User OAuth Token (xoxb-...) of the installed app (OAuth & Permissions)',
          },
        ];
      }
      const checks: DoctorCheck[] = [
        {
          check: 'slack token',
          ok: true,
          detail: `the bot ${auth.user ?? '?'} in workspace ${auth.team ?? '?'}`,
        },
      ];
      // Slack says which scopes the token has with every answer (X-OAuth-Scopes).
      const granted = new Set(auth.response_metadata?.scopes ?? []);
      const missing = Object.keys(SLACK_SCOPES).filter((s) => !granted.has(s));
      checks.push(
        missing.length
          ? {
              check: 'slack scopes',
              ok: false,
              detail: `missing ${missing.map((s) => `${s} (${SLACK_SCOPES[s]})`).join(', ')}`,
              fix: 'add them under OAuth & Permissions, or update the app from adapters/slack/manifest.yml, then reinstall the app',
            }
          : {
              check: 'slack scopes',
              ok: true,
              detail: `all ${Object.keys(SLACK_SCOPES).length} the features use`,
            },
      );
      for (const channel of channels) {
        try {
          const info = await client.conversations.info({ channel });
          const c = info.channel;
          const name = c?.name ?? channel;
          if (c?.is_archived)
            checks.push({
              check: `slack:${channel}`,
              ok: false,
              detail: `#${name} is archived`,
              fix: 'unarchive it, or send its alerts elsewhere',
            });
          else if (c?.is_member)
            checks.push({
              check: `slack:${channel}`,
              ok: true,
              detail: `#${name}: the bot is a member`,
            });
          else if (!c?.is_private)
            checks.push({
              check: `slack:${channel}`,
              ok: true,
              detail: `#${name}: public, the bot posts there without being a member (chat:write.public)`,
            });
          else
            checks.push({
              check: `slack:${channel}`,
              ok: false,
              detail: `#${name} is private and the bot is not in it`,
              fix: `in #${name}: /invite @sanctions-radar`,
            });
        } catch (err) {
          const code = (err as { data?: { error?: string } }).data?.error;
          checks.push(
            code === 'channel_not_found'
              ? {
                  check: `slack:${channel}`,
                  ok: false,
                  detail: 'no such channel, or a private one the bot is not in',
                  fix: 'check the channel id (channel details → bottom), and /invite @sanctions-radar in it',
                }
              : code === 'missing_scope'
                ? {
                    check: `slack:${channel}`,
                    ok: true,
                    warn: true,
                    detail: 'not checked: the app lacks channels:read / groups:read',
                    fix: 'sanctions-radar test-alert --channel slack:' + channel + ' posts a test',
                  }
                : {
                    check: `slack:${channel}`,
                    ok: false,
                    detail: slackOutcome(err).ok
                      ? 'unknown'
                      : (slackOutcome(err) as { error: string }).error,
                  },
          );
        }
      }
      return checks;
    },

    async deliver(
      channelId: string,
      items: DeliveryItem[],
      progress?: DeliveryProgress,
    ): Promise<SendOutcome> {
      // A file comes alone (the dispatcher's batches): an upload, not a message.
      if (items[0]?.file) return upload(channelId, items[0]);
      // Details of a digest posted earlier go into its thread; a digest of this batch is posted
      // first. Every detail is a delivery of its own: one refused or rate-limited is retried
      // (into the same thread, in order), never dropped.
      let thread = items[0]?.thread;
      let parent = '';
      const link = await linksOf(channelId, items);
      const paced = (delivered: number): SendOutcome | null => {
        const turn = paceWait(channelId);
        return turn
          ? {
              ok: false,
              kind: 'retry',
              paced: true,
              error: `paced: ${turn.why}`,
              retryAfterMs: turn.wait,
              delivered,
              ...(thread ? { thread } : {}),
            }
          : null;
      };
      if (!thread && items.length >= DIGEST_AT) {
        const wait = paced(0);
        if (wait) return wait;
        try {
          thread = parent = await post(
            channelId,
            digestMessage(items),
            items.map((i) => i.alert.id),
          );
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
          const ts = await post(
            channelId,
            alertMessage(items[i]!, link),
            [items[i]!.alert.id],
            thread,
          );
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
        const receiver = new SocketModeReceiver({
          appToken: cfg.appToken,
          logger,
          ...(dispatcher ? { dispatcher } : {}),
          installerOptions: { clientOptions },
        });
        app = new App({
          token: cfg.botToken,
          receiver,
          clientOptions,
          logger,
          deferInitialization: true,
        });
      } else {
        const receiver = new SharedPortReceiver(cfg.signingSecret!, ctx.log);
        app = new App({
          token: cfg.botToken,
          receiver,
          clientOptions,
          logger,
          deferInitialization: true,
        });
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
            ctx.log.warn(
              { err, user: command.user_id },
              'could not check who may change subscriptions (users:read, usergroups:read scopes? Slack slow?)',
            );
            return null;
          });
          access =
            allowed === null
              ? { mayChangeChannel: false, refusal: CHECK_FAILED }
              : {
                  mayChangeChannel: allowed,
                  refusal: REFUSAL,
                  user: { id: command.user_id, name: command.user_name ?? null },
                };
          if (!allowed)
            ctx.log.info(
              { user: command.user_id, channel: command.channel_id, verb: cmd.verb },
              'refused a command that changes a channel',
            );
        }
        const reply = await commands(cmd, `slack:${command.channel_id}`, access);
        const share =
          !cmd.changesChannel &&
          (cmd.verb === 'lookup' || cmd.verb === 'history' || cmd.verb === 'portfolio')
            ? command.text
            : undefined;
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
        const reply = await commands(cmd, `slack:${channel}`, {
          mayChangeChannel: false,
          refusal: REFUSAL,
        });
        const shared = replyMessage({ ...reply, visibility: 'channel' });
        if (user && USER.test(user))
          shared.blocks.push({
            type: 'context',
            elements: [{ type: 'mrkdwn', text: `Shared by <@${user}>` }],
          });
        await respond({ ...shared, response_type: 'in_channel', replace_original: false });
      });
      if (ctx.review) registerReview(app, ctx.review);
      // Slack unreachable or a revoked token at start must not stop the daemon: polling and
      // queueing go on, /healthz says Slack is failing, and the connection is retried with backoff.
      const started = app;
      const connect = async (attempt: number): Promise<void> => {
        try {
          await started.init();
          await started.start();
          ctx.reportHealth?.('slack', null);
          ctx.log.info(
            {
              mode: cfg.appToken ? 'socket' : 'http',
              path: cfg.appToken ? undefined : '/slack/events',
            },
            'Slack adapter ready',
          );
        } catch (err) {
          if (stopped) return;
          const outcome = slackOutcome(err);
          const reason = outcome.ok ? String(err) : outcome.error;
          const wait = Math.min(15_000 * 2 ** (attempt - 1), 15 * 60_000);
          ctx.reportHealth?.('slack', reason);
          ctx.log.warn(
            { err, reason, retryInMs: wait },
            'Slack is not reachable or refuses the token; alerts are queued, retrying',
          );
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
