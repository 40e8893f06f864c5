// One channel's share of a dispatch pass: its due alerts, oldest first, batch by batch through its
// platform's adapter. What the platform confirms is recorded as it comes; a failure settles the
// rest of the channel (paused, rejected, or deferred in order). Channels never wait for each other.
import type { Db } from '../../db/database.js';
import {
  channelPause,
  holdChannel,
  markDead,
  markRetry,
  markSent,
  pauseChannel,
  resumeChannel,
  setBatch,
  setThread,
  type DueDelivery,
} from '../../db/outbox.js';
import type { Logger } from '../log.js';
import type { Adapter, DeliveryItem, SendOutcome } from './adapter.js';
import { changesetMessage, changesetRows } from '../../db/changeset-file.js';
import { changesetCsv } from '../alerts/changeset-csv.js';
import type { DeliveryObservation } from './observe.js';
import { quietUntil, urgent, type QuietHours } from './quiet-hours.js';

export interface ChannelCounts {
  sent: number;
  retrying: number;
  paused: number;
  dead: number;
  /** When the channel's first deferred delivery is due again. */
  nextDueAt: string | null;
}

export interface ChannelDeliveryContext {
  db: Db;
  log: Logger;
  adapter: Adapter;
  now(): Date;
  /** Alerts detected before this are an earlier process's leftovers (said so where they show). */
  startedAt: string;
  maxAttempts: number;
  batchSize: number;
  observe?: (o: DeliveryObservation) => void;
  /** SANCTIONS_RADAR_QUIET_HOURS: what can wait is held until they end. */
  quietHours?: QuietHours | null;
}

/** 30 s, 1 min, 2 min, ... capped at an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export async function deliverChannel(
  ctx: ChannelDeliveryContext,
  channel: string,
  due: DueDelivery[],
): Promise<ChannelCounts> {
  const counts: ChannelCounts = { sent: 0, retrying: 0, paused: 0, dead: 0, nextDueAt: null };
  const items = holdForQuietHours(ctx, channel, due, counts);
  let i = 0;
  while (i < items.length) {
    const batch = nextBatch(ctx, items, i, channel);
    const { outcome, sent, thread } = await sendBatch(ctx, channel, batch);
    counts.sent += sent;
    i += sent;
    if (outcome.ok) continue;
    const log = ctx.log.child({ channel, alerts: batch.slice(sent).map((d) => d.alert.id) });
    if (outcome.kind === 'pause') {
      pauseChannel(ctx.db, channel, outcome.error, ctx.now().toISOString());
      log.warn({ reason: outcome.error }, 'channel paused: its deliveries wait until it is fixed');
      counts.paused += items.length - i;
      return counts;
    }
    if (outcome.kind === 'fail') {
      // Sent one by one, only the alert that failed is rejected; a digest fails whole.
      const rejected =
        outcome.delivered !== undefined ? batch.slice(sent, sent + 1) : batch.slice(sent);
      ctx.db
        .transaction(() =>
          rejected.forEach((d) => markDead(ctx.db, d.alert.id, channel, outcome.error)),
        )
        .immediate();
      log.error({ reason: outcome.error }, 'delivery rejected by the platform; not retried');
      counts.dead += rejected.length;
      i += rejected.length;
      // The rest of a digest's batch is still due, now as thread details.
      if (thread) for (const d of batch.slice(sent + rejected.length)) d.thread = thread;
      continue;
    }
    defer(ctx, channel, outcome, batch.slice(sent), items.slice(i), counts, log);
    return counts;
  }
  return counts;
}

/**
 * During quiet hours, what can wait is held until they end (no attempt counted), each delivery on
 * its own: the channel is not held, so a designation arriving meanwhile goes out at once.
 */
function holdForQuietHours(
  ctx: ChannelDeliveryContext,
  channel: string,
  items: DueDelivery[],
  counts: ChannelCounts,
): DueDelivery[] {
  const until = ctx.quietHours ? quietUntil(ctx.quietHours, ctx.now()) : null;
  if (!until) return items;
  const held = items.filter((d) => !urgent(d.alert));
  if (held.length === 0) return items;
  const at = until.toISOString();
  ctx.db
    .transaction(() => {
      for (const d of held)
        markRetry(
          ctx.db,
          d.alert.id,
          channel,
          `quiet hours (${ctx.quietHours!.text}): held until ${at}`,
          at,
          false,
        );
    })
    .immediate();
  ctx.log.debug({ channel, held: held.length, until: at }, 'quiet hours: held what can wait');
  counts.retrying += held.length;
  counts.nextDueAt = at;
  return items.filter((d) => urgent(d.alert));
}

/**
 * The next batch of a channel. What was sent as a batch before (and cut short by a crash or a
 * failure) goes again as that batch, so the platform sees the same messages; otherwise up to
 * `batchSize` alerts of one digest thread (or of none).
 */
function nextBatch(
  ctx: ChannelDeliveryContext,
  items: DueDelivery[],
  from: number,
  channel: string,
): DueDelivery[] {
  const first = items[from]!;
  let end = from;
  if (first.batchKey) {
    while (end < items.length && items[end]!.batchKey === first.batchKey) end++;
    return items.slice(from, end);
  }
  // A changeset's file goes alone: it is an upload, not a message a digest could announce.
  const alone = (d: DueDelivery) => d.alert.type === 'changeset.file';
  if (alone(first)) end = from + 1;
  else
    while (
      end < items.length &&
      end - from < ctx.batchSize &&
      items[end]!.thread === first.thread &&
      !items[end]!.batchKey &&
      !alone(items[end]!)
    )
      end++;
  const batch = items.slice(from, end);
  const key = `${batch[0]!.alert.id}-${batch[batch.length - 1]!.alert.id}`;
  setBatch(
    ctx.db,
    channel,
    batch.map((d) => d.alert.id),
    key,
  );
  for (const d of batch) d.batchKey = key;
  return batch;
}

/**
 * Hands one batch to the adapter and records what it confirms as it confirms it: a crash repeats
 * one message at most. Returns the outcome, how many of the batch's leading alerts are out, and the
 * digest thread the rest belongs in, if one was posted.
 */
async function sendBatch(
  ctx: ChannelDeliveryContext,
  channel: string,
  batch: DueDelivery[],
): Promise<{ outcome: SendOutcome; sent: number; thread: string | undefined }> {
  const { db, adapter } = ctx;
  let confirmed = 0;
  let thread: string | undefined;
  // What was posted and the thread the rest goes into, in one transaction: a crash between the
  // two would leave alerts already posted marked as thread details, and a retry would post them
  // again in other messages (other Discord nonces).
  const record = (upTo: number, messageId: string | null, newThread?: string) => {
    const at = ctx.now().toISOString();
    db.transaction(() => {
      if (upTo > confirmed)
        for (const d of batch.slice(confirmed, upTo))
          markSent(db, d.alert.id, channel, messageId, at);
      // Every alert of the digest carries its thread, those the digest's own message detailed too:
      // a decision on one of them re-counts the digest ("3 of 7 reviewed").
      if (newThread)
        for (const d of batch.slice(confirmed)) setThread(db, d.alert.id, channel, newThread);
    }).immediate();
    if (upTo > confirmed) confirmed = upTo;
    if (newThread) thread = newThread;
  };
  const progress = (p: { delivered: number; thread?: string; messageId?: string }) => {
    const newThread = p.thread && p.thread !== thread ? p.thread : undefined;
    const upTo = Math.min(p.delivered, batch.length);
    if (upTo > confirmed || newThread) record(upTo, p.messageId ?? null, newThread);
  };
  const sep = channel.indexOf(':');
  let outcome: SendOutcome;
  const began = performance.now();
  try {
    outcome = await adapter.deliver(
      channel.slice(sep + 1),
      batch.map((d) => ({
        alert: d.alert,
        reason: d.reason,
        ...(d.alert.detectedAt < ctx.startedAt ? { redelivered: true } : {}),
        ...(d.thread ? { thread: d.thread } : {}),
        ...(d.alert.type === 'changeset.file' ? { file: fileOf(db, d.alert, channel) } : {}),
      })),
      progress,
    );
  } catch (err) {
    outcome = { ok: false, kind: 'retry', error: `adapter error: ${(err as Error).message}` };
  }
  const sent = outcome.ok ? batch.length : Math.max(confirmed, outcome.delivered ?? 0);
  const unsent = batch.length - sent;
  ctx.observe?.({
    platform: adapter.platform,
    seconds: (performance.now() - began) / 1000,
    counts: {
      sent,
      retry: !outcome.ok && outcome.kind === 'retry' ? unsent : 0,
      paused: !outcome.ok && outcome.kind === 'pause' ? unsent : 0,
      dead:
        !outcome.ok && outcome.kind === 'fail' ? (outcome.delivered !== undefined ? 1 : unsent) : 0,
    },
  });
  if (sent && channelPause(db, channel)) {
    resumeChannel(db, channel);
    ctx.log.info({ channel }, 'channel accepts messages again; its paused alerts follow');
  }
  if (sent > confirmed) record(sent, outcome.ok ? (outcome.messageId ?? null) : null);
  // The digest is out: what it announced and was not detailed yet goes into its thread.
  if (!outcome.ok && outcome.thread) progress({ delivered: confirmed, thread: outcome.thread });
  return { outcome, sent, thread };
}

/** A changeset's CSV, made when it is sent (from the history, which keeps every change), and where it goes. */
function fileOf(
  db: Db,
  a: Extract<DueDelivery['alert'], { type: 'changeset.file' }>,
  channel: string,
): NonNullable<DeliveryItem['file']> {
  const csv = changesetCsv(
    changesetRows(db, a.source, a.changeIds.first, a.changeIds.last, a.lists),
  );
  return {
    name: a.filename,
    content: Buffer.from(csv, 'utf8'),
    replyTo: changesetMessage(db, a.id, channel),
  };
}

/**
 * Retry later: the tried alerts count an attempt (not for a rate limit) and the channel is held
 * until then, so the rest wait in order behind them without a write each.
 */
function defer(
  ctx: ChannelDeliveryContext,
  channel: string,
  outcome: Extract<SendOutcome, { kind: 'retry' }>,
  tried: DueDelivery[],
  rest: DueDelivery[],
  counts: ChannelCounts,
  log: Logger,
): void {
  const rateLimited = outcome.retryAfterMs !== undefined;
  const exhausted = !rateLimited && rest[0]!.attempts + 1 >= ctx.maxAttempts;
  const wait = rateLimited ? outcome.retryAfterMs! : backoffMs(rest[0]!.attempts + 1);
  const next = new Date(ctx.now().getTime() + wait).toISOString();
  ctx.db
    .transaction(() => {
      for (const d of tried) {
        if (exhausted) markDead(ctx.db, d.alert.id, channel, outcome.error);
        else markRetry(ctx.db, d.alert.id, channel, outcome.error, next, !rateLimited);
      }
      if (!exhausted) holdChannel(ctx.db, channel, next);
    })
    .immediate();
  if (exhausted) counts.dead += tried.length;
  else {
    counts.retrying += rest.length;
    counts.nextDueAt = next;
  }
  if (outcome.paced) log.debug({ reason: outcome.error, retryInMs: wait }, 'delivery paced');
  else
    log.warn(
      { reason: outcome.error, retryInMs: wait, rateLimited },
      exhausted ? 'delivery failed too often; given up' : 'delivery deferred',
    );
}
