// What every step of a poll's commit shares: its result, the source and its state, the router
// made when first needed, and how alerts are stored with their routes.
import type { Db } from '../../db/database.js';
import { enqueueAlerts } from '../../db/outbox.js';
import { setValidators, type SourceState, type Validators } from '../../db/source-state.js';
import type { RoutedAlert } from '../alerts/changeset.js';
import { healthAlert, type SourceRef } from '../alerts/derive.js';
import type { Alert, NewAlert, SourceConfig } from '../domain.js';
import { IndexedRouter } from '../routing/follow-index.js';

export type PollStatus =
  'baseline' | 'changed' | 'unchanged' | 'not-modified' | 'held' | 'failing' | 'busy';

export interface PollResult {
  source: string;
  status: PollStatus;
  records: number;
  added: number;
  removed: number;
  amended: number;
  items: number;
  alerts: Alert[];
  /** A pushed delivery already taken (its request key seen): nothing was written. */
  duplicate?: boolean;
  error?: string;
  warnings: string[];
  durationMs: number;
}

export interface CommitDeps {
  db: Db;
  /** Channels that receive every alert. */
  defaultChannels: string[];
  /** Feed floods: entries taken per poll, alerts raised per poll (sources may set their own). */
  maxFeedItems?: number;
  maxFeedAlerts?: number;
  /**
   * List changes a channel takes one by one from one poll of a source (sources may set their own
   * `maxAlerts`); above it the channel gets one changeset alert.
   */
  maxListAlerts?: number;
  /** Platforms whose channels take every change however many (machine output): no changeset for them. */
  everyChange?: ReadonlySet<string>;
  /** Platforms that take files: a changeset's whole change list as a CSV besides its summary. */
  withFiles?: ReadonlySet<string>;
}

export const emptyResult = (source: string, status: PollStatus, records = 0): PollResult => ({
  source,
  status,
  records,
  added: 0,
  removed: 0,
  amended: 0,
  items: 0,
  alerts: [],
  warnings: [],
  durationMs: 0,
});

/** What every step of a commit shares. */
export class Commit {
  readonly result: PollResult;
  readonly ref: SourceRef;

  constructor(
    readonly deps: CommitDeps,
    readonly cfg: SourceConfig,
    readonly state: SourceState,
    readonly at: string,
  ) {
    this.result = emptyResult(cfg.id, 'unchanged', state.recordCount);
    this.ref = { id: cfg.id, label: cfg.label ?? cfg.id };
  }

  get db(): Db {
    return this.deps.db;
  }

  private routerOnce?: IndexedRouter;

  /** Made when first needed: a poll that changed nothing looks up no follows. */
  get router(): IndexedRouter {
    return (this.routerOnce ??= new IndexedRouter(this.db, this.deps.defaultChannels));
  }

  /** Follows read before another connection committed: read again. */
  forgetRouter(): void {
    this.routerOnce = undefined;
  }

  /** Stores alerts with their routes. */
  emit(alerts: NewAlert[]): void {
    if (alerts.length === 0) return;
    const router = this.router;
    this.store(alerts.map((alert) => ({ alert, routes: router.routes(alert), changeId: null })));
  }

  /** Stores routed alerts (designation alerts with the id of their change row). */
  store(items: RoutedAlert[]): void {
    if (items.length === 0) return;
    for (const a of enqueueAlerts(this.db, items)) this.result.alerts.push(a);
  }

  /** A source that was failing or held and works again says so, once. */
  recovered(why: string): NewAlert[] {
    return this.state.status === 'failing' || this.state.status === 'held'
      ? [healthAlert('recovered', why, this.ref, this.at)]
      : [];
  }

  /** The answer's ETags and dates, for the next conditional request. */
  saveValidators(plan: { validators: Map<string, Validators> }): void {
    for (const [url, v] of plan.validators) setValidators(this.db, this.cfg.id, url, v);
  }
}

export function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}
