// Drains the outbox: per channel, in alert order, through the adapter of the channel's platform.
// Rows are claimed before they are sent, so several dispatching processes never send one twice.
import type { Db } from '../../db/database.js';
import { claimerIsDead, newClaimer } from '../claims.js';
import { channelPause, claimDue, deliveryClaimers, markDead, markRetry, markSent, pauseChannel, releaseClaims, resumeChannel, setBatch, setThread, type DueDelivery } from '../../db/outbox.js';
import type { Logger } from '../log.js';
import type { DeliveryObservation } from './observe.js';
import type { Adapter, SendOutcome } from './adapter.js';

export interface DispatchOptions {
  maxAttempts?: number;
  /** How long a paused channel rests before one delivery tries it again. */
  pauseProbeMs?: number;
  /** Alerts per batch handed to an adapter (a digest at most this long). */
  batchSize?: number;
  /** Deliveries claimed per pass. */
  pageSize?: number;
  /** How long a claim holds before another process may take the rows over. */
  leaseMs?: number;
  now?: () => Date;
  /** Told of each batch's outcome (metrics). */
  observe?: (o: DeliveryObservation) => void;
}

export interface DispatchReport {
  sent: number;
  retrying: number;
  paused: number;
  dead: number;
  /** Earliest time a pending delivery becomes due again, if any was deferred. */
  nextDueAt: string | null;
  /** The pass claimed a full page: more may be due at once. */
  more: boolean;
  /** drain only: it stopped at its time budget with deliveries still due or deferred. */
  capped?: boolean;
}

const PAUSE_PROBE_MS = 30 * 60_000;
const LEASE_MS = 10 * 60_000;

/** 30 s, 1 min, 2 min, ... capped at an hour. */
export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

const emptyReport = (): DispatchReport => ({ sent: 0, retrying: 0, paused: 0, dead: 0, nextDueAt: null, more: false });

export class Dispatcher {
  private adapters = new Map<string, Adapter>();
  private running: Promise<DispatchReport> | null = null;
  /** Who this process is, for claims. */
  readonly claimer = newClaimer();
  /** Alerts detected before this is are an earlier process's leftovers. */
  private readonly startedAt: string;

  constructor(private db: Db, private log: Logger, adapters: Adapter[], private opts: DispatchOptions = {}) {
    for (const a of adapters) this.adapters.set(a.platform, a);
    this.startedAt = this.now().toISOString();
  }

  get platforms(): string[] {
    return [...this.adapters.keys()];
  }

  private now(): Date {
    return this.opts.now?.() ?? new Date();
  }

  /** One pass over what is due. Concurrent calls share the pass in progress. */
  dispatch(): Promise<DispatchReport> {
    this.running ??= this.pass().finally(() => (this.running = null));
    return this.running;
  }

  private async pass(): Promise<DispatchReport> {
    const report = emptyReport();
    const now = this.now();
    const pageSize = this.opts.pageSize ?? 500;
    // Rows held by a process that died (SIGKILL mid-send) are taken over now, not when its lease ends.
    for (const c of deliveryClaimers(this.db, now.toISOString())) if (claimerIsDead(c)) releaseClaims(this.db, c);
    const due = claimDue(this.db, {
      now: now.toISOString(),
      channelPrefixes: this.platforms,
      limit: pageSize,
      pausedBefore: new Date(now.getTime() - (this.opts.pauseProbeMs ?? PAUSE_PROBE_MS)).toISOString(),
      claimer: this.claimer,
      leaseUntil: new Date(now.getTime() + (this.opts.leaseMs ?? LEASE_MS)).toISOString(),
    });
    report.more = due.length >= pageSize;
    const byChannel = new Map<string, DueDelivery[]>();
    for (const d of due) byChannel.set(d.channel, [...(byChannel.get(d.channel) ?? []), d]);
    try {
      // Channels are independent: one slow or rate-limited channel must not hold up the others.
      await Promise.all([...byChannel].map(([channel, items]) => this.deliverChannel(channel, items, report)));
    } finally {
      releaseClaims(this.db, this.claimer);
    }
    return report;
  }

  /**
   * The next batch of a channel. What was sent as a batch before (and cut short by a crash or a
   * failure) goes again as that batch, so the platform sees the same messages; otherwise up to
   * `batchSize` alerts of one digest thread (or of none).
   */
  private nextBatch(items: DueDelivery[], from: number, channel: string): DueDelivery[] {
    const first = items[from]!;
    let end = from;
    if (first.batchKey) {
      while (end < items.length && items[end]!.batchKey === first.batchKey) end++;
      return items.slice(from, end);
    }
    const size = this.opts.batchSize ?? 20;
    while (end < items.length && end - from < size && items[end]!.threadTs === first.threadTs && !items[end]!.batchKey) end++;
    const batch = items.slice(from, end);
    const key = `${batch[0]!.alert.id}-${batch[batch.length - 1]!.alert.id}`;
    setBatch(this.db, channel, batch.map((d) => d.alert.id), key);
    for (const d of batch) d.batchKey = key;
    return batch;
  }

  private async deliverChannel(channel: string, items: DueDelivery[], report: DispatchReport): Promise<void> {
    const sep = channel.indexOf(':');
    const adapter = this.adapters.get(channel.slice(0, sep))!;
    const channelId = channel.slice(sep + 1);
    const maxAttempts = this.opts.maxAttempts ?? 8;
    let i = 0;
    while (i < items.length) {
      const batch = this.nextBatch(items, i, channel);
      let confirmed = 0;
      let thread: string | undefined;
      // Marks what was posted, and the thread the rest goes into, in one transaction: a crash
      // between the two would leave alerts already posted marked as thread details, and a retry
      // would post them again in other messages (other Discord nonces).
      const record = (upTo: number, messageId: string | null, newThread?: string) => {
        const at = this.now().toISOString();
        this.db.transaction(() => {
          if (upTo > confirmed) for (const d of batch.slice(confirmed, upTo)) markSent(this.db, d.alert.id, channel, messageId, at);
          if (newThread) for (const d of batch.slice(Math.max(confirmed, upTo))) setThread(this.db, d.alert.id, channel, newThread);
        })();
        if (upTo > confirmed) confirmed = upTo;
        if (newThread) thread = newThread;
      };
      const confirm = (upTo: number, messageId: string | null) => {
        if (upTo > confirmed) record(upTo, messageId);
      };
      // What the adapter reports as posted is recorded at once: a crash repeats one message at most.
      const progress = (p: { delivered: number; thread?: string; messageId?: string }) => {
        const newThread = p.thread && p.thread !== thread ? p.thread : undefined;
        const upTo = Math.min(p.delivered, batch.length);
        if (upTo > confirmed || newThread) record(upTo, p.messageId ?? null, newThread);
      };
      let outcome: SendOutcome;
      const began = performance.now();
      try {
        outcome = await adapter.deliver(
          channelId,
          batch.map((d) => ({ alert: d.alert, reason: d.reason, ...(d.alert.detectedAt < this.startedAt ? { redelivered: true } : {}), ...(d.threadTs ? { thread: d.threadTs } : {}) })),
          progress,
        );
      } catch (err) {
        outcome = { ok: false, kind: 'retry', error: `adapter error: ${(err as Error).message}` };
      }
      const at = this.now();
      const sentCount = outcome.ok ? batch.length : Math.max(confirmed, outcome.delivered ?? 0);
      const unsent = batch.length - sentCount;
      this.opts.observe?.({
        platform: adapter.platform, seconds: (performance.now() - began) / 1000,
        counts: { sent: sentCount, retry: !outcome.ok && outcome.kind === 'retry' ? unsent : 0, paused: !outcome.ok && outcome.kind === 'pause' ? unsent : 0, dead: !outcome.ok && outcome.kind === 'fail' ? (outcome.delivered !== undefined ? 1 : unsent) : 0 },
      });
      if (sentCount && channelPause(this.db, channel)) {
        resumeChannel(this.db, channel);
        this.log.info({ channel }, 'channel accepts messages again; its paused alerts follow');
      }
      confirm(sentCount, outcome.ok ? (outcome.messageId ?? null) : null);
      const sent = batch.slice(0, sentCount);
      if (sent.length) {
        report.sent += sent.length;
        i += sent.length;
      }
      if (outcome.ok) continue;
      const error = outcome.error;
      const rest = items.slice(i);
      if (outcome.thread) progress({ delivered: confirmed, thread: outcome.thread });
      // The digest is out: what it announced and was not detailed yet goes into its thread.
      const log = this.log.child({ channel, alerts: batch.slice(sent.length).map((d) => d.alert.id) });
      if (outcome.kind === 'pause') {
        pauseChannel(this.db, channel, error, at.toISOString());
        log.warn({ reason: error }, 'channel paused: its deliveries wait until it is fixed');
        report.paused += rest.length;
        return;
      }
      if (outcome.kind === 'fail') {
        // Sent one by one, only the alert that failed is rejected; a digest fails whole.
        const rejected = outcome.delivered !== undefined ? batch.slice(sent.length, sent.length + 1) : batch.slice(sent.length);
        this.db.transaction(() => rejected.forEach((d) => markDead(this.db, d.alert.id, channel, error)))();
        log.error({ reason: error }, 'delivery rejected by the platform; not retried');
        report.dead += rejected.length;
        i += rejected.length;
        // The rest of a digest's batch is still due, now as thread details.
        if (thread) for (const d of batch.slice(sent.length + rejected.length)) d.threadTs = thread;
        continue;
      }
      // Retry: the rest of this channel waits too, so its alerts stay in order.
      const rateLimited = outcome.retryAfterMs !== undefined;
      const tried = batch.slice(sent.length);
      const exhausted = !rateLimited && rest[0]!.attempts + 1 >= maxAttempts;
      const wait = rateLimited ? outcome.retryAfterMs! : backoffMs(rest[0]!.attempts + 1);
      const next = new Date(at.getTime() + wait).toISOString();
      this.db.transaction(() => {
        for (const d of tried) {
          if (exhausted) markDead(this.db, d.alert.id, channel, error);
          else markRetry(this.db, d.alert.id, channel, error, next, !rateLimited);
        }
        for (const d of rest.slice(tried.length)) markRetry(this.db, d.alert.id, channel, 'waiting for an earlier alert of this channel', next, false);
      })();
      if (exhausted) report.dead += tried.length;
      else report.retrying += rest.length;
      if (!exhausted && (!report.nextDueAt || next < report.nextDueAt)) report.nextDueAt = next;
      log.warn({ reason: error, retryInMs: wait, rateLimited }, exhausted ? 'delivery failed too often; given up' : 'delivery deferred');
      return;
    }
  }

  /**
   * Dispatches until nothing is due: pass after pass while passes come back full, waiting for
   * deferred deliveries (rate limits, backoff) while they fall within `budgetMs` in all.
   */
  async drain(budgetMs: number): Promise<DispatchReport> {
    const deadline = Date.now() + budgetMs;
    const total = emptyReport();
    for (;;) {
      const r = await this.dispatch();
      total.sent += r.sent;
      total.paused += r.paused;
      total.dead += r.dead;
      total.retrying = r.retrying;
      total.nextDueAt = r.nextDueAt;
      total.more = r.more;
      if (r.more) {
        if (Date.now() >= deadline) return { ...total, capped: true };
        continue;
      }
      if (!r.nextDueAt) return total;
      const wait = Date.parse(r.nextDueAt) - Date.now();
      if (Date.now() + wait > deadline) return { ...total, capped: true };
      await new Promise((res) => setTimeout(res, Math.max(0, wait)));
    }
  }
}
