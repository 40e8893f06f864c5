// Drains the outbox: claims what is due, then hands each channel its share (channel-delivery.ts),
// all channels at once. Rows are claimed before they are sent, so several dispatching processes
// never send one twice.
import type { Db } from '../../db/database.js';
import { claimerIsDead, newClaimer } from '../store/claims.js';
import {
  claimDue,
  deliveryClaimers,
  nextPendingAt,
  releaseClaims,
  type DueDelivery,
} from '../../db/outbox.js';
import type { Logger } from '../log.js';
import type { DeliveryObservation } from './observe.js';
import type { Adapter } from './adapter.js';
import { deliverChannel, type ChannelDeliveryContext } from './channel-delivery.js';
import type { QuietHours } from './quiet-hours.js';

export interface DispatchOptions {
  maxAttempts?: number;
  /** How long a paused channel rests before one delivery tries it again. */
  pauseProbeMs?: number;
  /** Alerts per batch handed to an adapter (a digest at most this long). */
  batchSize?: number;
  /** Deliveries claimed per pass. */
  pageSize?: number;
  /** Deliveries of one channel claimed per pass (50). */
  perChannel?: number;
  /** How long a claim holds before another process may take the rows over. */
  leaseMs?: number;
  now?: () => Date;
  /** Told of each batch's outcome (metrics). */
  observe?: (o: DeliveryObservation) => void;
  /** SANCTIONS_RADAR_QUIET_HOURS. */
  quietHours?: QuietHours | null;
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

const emptyReport = (): DispatchReport => ({
  sent: 0,
  retrying: 0,
  paused: 0,
  dead: 0,
  nextDueAt: null,
  more: false,
});

export class Dispatcher {
  private adapters = new Map<string, Adapter>();
  private running: Promise<DispatchReport> | null = null;
  /** Who this process is, for claims. */
  readonly claimer = newClaimer();
  /** Alerts detected before this is are an earlier process's leftovers. */
  private readonly startedAt: string;

  constructor(
    private db: Db,
    private log: Logger,
    adapters: Adapter[],
    private opts: DispatchOptions = {},
  ) {
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
    const perChannel = this.opts.perChannel ?? 50;
    // Rows held by a process that died (SIGKILL mid-send) are taken over now, not when its lease ends.
    for (const c of deliveryClaimers(this.db, now.toISOString()))
      if (claimerIsDead(c)) releaseClaims(this.db, c);
    const due = claimDue(this.db, {
      now: now.toISOString(),
      channelPrefixes: this.platforms,
      limit: pageSize,
      perChannel,
      pausedBefore: new Date(
        now.getTime() - (this.opts.pauseProbeMs ?? PAUSE_PROBE_MS),
      ).toISOString(),
      claimer: this.claimer,
      leaseUntil: new Date(now.getTime() + (this.opts.leaseMs ?? LEASE_MS)).toISOString(),
    });
    const byChannel = new Map<string, DueDelivery[]>();
    for (const d of due) {
      const list = byChannel.get(d.channel);
      if (list) list.push(d);
      else byChannel.set(d.channel, [d]);
    }
    // More may be due: the page was full, or a channel gave all it may in one pass.
    report.more =
      due.length >= pageSize || [...byChannel.values()].some((l) => l.length >= perChannel);
    const ctx = (channel: string): ChannelDeliveryContext => ({
      db: this.db,
      log: this.log,
      adapter: this.adapters.get(channel.slice(0, channel.indexOf(':')))!,
      now: () => this.now(),
      startedAt: this.startedAt,
      maxAttempts: this.opts.maxAttempts ?? 8,
      batchSize: this.opts.batchSize ?? 20,
      observe: this.opts.observe,
      quietHours: this.opts.quietHours ?? null,
    });
    try {
      // Channels are independent: one slow or rate-limited channel must not hold up the others.
      const counts = await Promise.all(
        [...byChannel].map(([channel, items]) => deliverChannel(ctx(channel), channel, items)),
      );
      for (const c of counts) {
        report.sent += c.sent;
        report.retrying += c.retrying;
        report.paused += c.paused;
        report.dead += c.dead;
        if (c.nextDueAt && (!report.nextDueAt || c.nextDueAt < report.nextDueAt))
          report.nextDueAt = c.nextDueAt;
      }
    } finally {
      releaseClaims(this.db, this.claimer);
    }
    // What falls due next, whoever deferred it: a pass that found nothing due (a wake-up a moment
    // early, another process's claim) must still say when to look again.
    if (!report.more && !report.nextDueAt)
      report.nextDueAt = nextPendingAt(this.db, this.platforms, now.toISOString());
    return report;
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
