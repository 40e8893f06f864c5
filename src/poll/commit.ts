// The second half of a poll: what the plan decided, written in one transaction (source state,
// designations and their history, derived indexes, feed items, the alerts and their routes).
import type { Db } from '../../db/database.js';
import { dataVersion } from '../../db/change-stamp.js';
import {
  applyChanges,
  insertBaseline,
  refreshRecords,
  setPrints,
  storedList,
  type StoredForm,
} from '../../db/designations.js';
import {
  countFeedItems,
  hasWebhookEvent,
  recordWebhookEvent,
  touchLastSeen,
} from '../../db/feed-items.js';
import { queueIndexing, type IndexingNeed } from '../../db/index-queue.js';
import { enqueueAlerts } from '../../db/outbox.js';
import { keepEvidence } from '../../db/evidence.js';
import { keepDocumentText } from '../../db/document-texts.js';
import {
  setValidators,
  updateSource,
  type SourceState,
  type Validators,
} from '../../db/source-state.js';
import { routeListAlerts, type RoutedAlert } from '../alerts/changeset.js';
import { alertForChange, healthAlert, type SourceRef } from '../alerts/derive.js';
import { diffSnapshot, type DiffResult } from './diff.js';
import type { Alert, ChangeAlert, FeedItem, NewAlert, SourceConfig } from '../domain.js';
import { redactUrl } from '../fetch/redact.js';
import { TAIL_KEYS } from './guard.js';
import { IndexedRouter } from '../routing/follow-index.js';
import { ingestCapped, readItems, takenItems, type ItemsRead } from './feed-ingest.js';
import { withoutRepeats } from './without-repeats.js';
import type { PollPlan } from './plan.js';

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
class Commit {
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

/** A commit whose reads are made and whose writes are yet to come (see readForCommit). */
export interface PendingCommit {
  /** Writes the poll in one transaction; `last` is written at its end (the poll's claim released). */
  write(last?: () => void): PollResult;
}

/** `last`: written at the end of the same transaction (the poll's claim released). */
export function commitPlan(
  deps: CommitDeps,
  cfg: SourceConfig,
  state: SourceState,
  plan: PollPlan,
  at: string,
  last?: () => void,
): PollResult {
  return readForCommit(deps, cfg, state, plan, at).write(last);
}

/**
 * The first half of a commit: what a list poll's writes depend on and only reads — the diff
 * against the stored list, its alerts, the follows they reach (~130 ms of a 35-change SDN poll
 * with 100,000 follows) — read before the write lock is taken, so a `subscribe` beside the daemon
 * or another process's poll does not wait them out. If another connection commits in between, the
 * write reads them again under the lock. So with a feed's entries: which are new, the names each
 * holds (the index of every listed name, ~1 s to build in a cron `poll`) and their alerts.
 */
export function readForCommit(
  deps: CommitDeps,
  cfg: SourceConfig,
  state: SourceState,
  plan: PollPlan,
  at: string,
): PendingCommit {
  const c = new Commit(deps, cfg, state, at);
  const { db } = c;
  // Taken before the first read: a commit of another connection from here on moves it. This
  // connection's own writes (the router indexing queued follows) come before the reads they feed.
  const version = dataVersion(db);
  let ahead = readAhead(c, plan);
  return {
    write(last) {
      // IMMEDIATE: the write lock from the first statement. A deferred transaction reads, then
      // fails with SQLITE_BUSY_SNAPSHOT (no busy wait applies) if another connection (a CLI
      // command beside the daemon) committed in between: a false "failing" alert.
      db.transaction(() => {
        if (ahead && dataVersion(db) !== version) {
          c.forgetRouter();
          ahead = undefined;
        }
        apply(c, plan, ahead);
        last?.();
      }).immediate();
      return c.result;
    },
  };
}

/** What a commit read before its write lock. */
type Ahead = { list: ListRead } | { items: ItemsRead };

function readAhead(c: Commit, plan: PollPlan): Ahead | undefined {
  if (plan.step === 'list' && c.state.baselineAt) return { list: readList(c, plan) };
  if (plan.step === 'feed') return { items: readFeedItems(c, plan.items, !feedBaseline(c)) };
  if (plan.step === 'pushed' && !duplicate(c, plan))
    return { items: readFeedItems(c, plan.items, true) };
  return undefined;
}

function apply(c: Commit, plan: PollPlan, ahead?: Ahead): void {
  const { db, cfg, state, at, result } = c;
  // The publication read is remembered only with a read that was applied (not held, not failed).
  if (
    (plan.step === 'list' || plan.step === 'same' || plan.step === 'not-modified') &&
    plan.publication &&
    plan.publication !== state.publicationKey
  )
    updateSource(db, cfg.id, { publicationKey: plan.publication });
  // Only texts a parse has read: an error page served as a notice is never kept as one.
  if ((plan.step === 'list' || plan.step === 'hold') && plan.documents)
    for (const d of plan.documents) keepDocumentText(db, cfg.id, d.url, d.body, at);
  switch (plan.step) {
    case 'fail':
      updateSource(db, cfg.id, { status: 'failing', lastPollAt: at, lastError: plan.reason });
      if (state.status !== 'failing') c.emit([healthAlert('failing', plan.reason, c.ref, at)]);
      result.status = 'failing';
      result.error = plan.reason;
      return;
    case 'not-modified':
      touchLastSeen(db, cfg.id, at);
      updateSource(db, cfg.id, {
        status: state.baselineAt ? 'ok' : state.status,
        lastPollAt: at,
        lastSuccessAt: at,
        lastError: null,
      });
      c.emit(c.recovered('the source answers again (not modified since the last good snapshot)'));
      result.status = 'not-modified';
      return;
    case 'same':
      touchLastSeen(db, cfg.id, at);
      c.saveValidators(plan);
      updateSource(db, cfg.id, {
        status: 'ok',
        lastPollAt: at,
        lastSuccessAt: at,
        lastError: null,
        heldHash: null,
        heldCount: 0,
        heldReason: null,
      });
      c.emit(c.recovered('the source answers again with the last good content'));
      return;
    case 'hold':
      // Validators are not saved: the next poll must download this content again to count it.
      updateSource(db, cfg.id, {
        status: 'held',
        lastPollAt: at,
        lastError: plan.reason,
        heldHash: plan.hash,
        heldCount: plan.heldCount,
        heldReason: plan.reason,
      });
      if (plan.firstTime) c.emit([healthAlert('held', plan.reason, c.ref, at)]);
      result.status = 'held';
      result.error = plan.reason;
      result.warnings = plan.warnings;
      return;
    case 'list':
      result.warnings = plan.snapshot.warnings;
      if (state.baselineAt)
        applyList(
          c,
          plan,
          (ahead && 'list' in ahead ? ahead.list : undefined) ?? readList(c, plan),
        );
      else storeBaseline(c, plan);
      // What the list said when it changed (or when its baseline was taken), in the same commit.
      if (!state.baselineAt || result.added + result.removed + result.amended > 0)
        keepEvidence(db, cfg.id, at, plan.files);
      return;
    case 'feed':
      result.warnings = plan.warnings;
      applyFeed(c, plan, ahead && 'items' in ahead ? ahead.items : undefined);
      if (result.items > 0) keepEvidence(db, cfg.id, at, plan.files);
      return;
    case 'pushed':
      applyPushed(c, plan, ahead && 'items' in ahead ? ahead.items : undefined);
      return;
  }
}

type ListPlan = Extract<PollPlan, { step: 'list' }>;

/** What a list poll reads to know its changes and where they go. */
interface ListRead {
  diff: DiffResult;
  alerts: ChangeAlert[];
}

function readList(c: Commit, plan: ListPlan): ListRead {
  const diff = diffSnapshot(storedList(c.db, c.cfg.id), plan.snapshot);
  const alerts = diff.changes.map((ch) => alertForChange(ch, c.ref, c.at));
  c.router.prepare(alerts);
  return { diff, alerts };
}

function okState(c: Commit, plan: ListPlan) {
  const { keys } = plan.snapshot;
  return {
    status: 'ok' as const,
    lastPollAt: c.at,
    lastSuccessAt: c.at,
    lastError: null,
    recordCount: keys.length,
    contentHash: plan.hash,
    heldHash: null,
    heldCount: 0,
    heldReason: null,
    acceptedHash: null,
    tailKeys: JSON.stringify(keys.slice(-TAIL_KEYS)),
  };
}

function storeBaseline(c: Commit, plan: ListPlan): void {
  const { db, cfg, at } = c;
  const records = plan.snapshot.records;
  const ids = insertBaseline(db, cfg.id, records, plan.snapshot.prints, at);
  queueIndexing(db, new Map(ids.map((id) => [id, { names: true, identifiers: true }])));
  c.saveValidators(plan);
  updateSource(db, cfg.id, { ...okState(c, plan), baselineAt: at, lastChangeAt: at });
  c.emit(c.recovered(`first good snapshot stored as the baseline (${records.length} records)`));
  c.result.status = 'baseline';
  c.result.records = records.length;
}

function applyList(c: Commit, plan: ListPlan, { diff, alerts }: ListRead): void {
  const { db, cfg, at } = c;
  const { snapshot } = plan;
  const { changes, refreshed, json, priors, prints, reprinted } = diff;
  const form: StoredForm = {
    json: (r) => json.get(r.key) ?? JSON.stringify(r),
    print: (key) => prints.get(key) ?? null,
    prior: (key) => priors.get(key),
  };
  const { changeIds, designationIds } = applyChanges(db, cfg.id, changes, form, at);
  const refreshedIds = refreshRecords(db, cfg.id, refreshed, form);
  // Unchanged entries whose fingerprint moved (the first poll after an upgrade, say).
  setPrints(db, cfg.id, reprinted);
  const stored = changes.filter((ch) => designationIds.has(ch.record.key));
  const changedField = (ch: (typeof changes)[number], ...fields: string[]) =>
    ch.type === 'designation.added' ||
    (ch.type === 'designation.amended' && ch.fields.some((f) => fields.includes(f.field)));
  // Indexed after the commit (src/store/indexing.ts): names of what is new or renamed (an amended
  // address or program keeps its names; the type decides whether initials are indexed as an
  // acronym), identifiers of what is new, of what changed them, and of records that learnt them.
  // A poll changes a key once, and a refreshed key is not changed: each id comes up once here.
  const needs = new Map<number, IndexingNeed>();
  const need = (id: number | undefined, names: boolean, identifiers: boolean) => {
    if (id !== undefined && (names || identifiers)) needs.set(id, { names, identifiers });
  };
  for (const ch of stored)
    need(
      designationIds.get(ch.record.key),
      changedField(ch, 'name', 'aliases', 'type'),
      changedField(ch, 'identifiers', 'linkedTo'),
    );
  for (const r of refreshed) need(refreshedIds.get(r.key), false, true);
  queueIndexing(db, needs);
  c.saveValidators(plan);
  updateSource(db, cfg.id, {
    ...okState(c, plan),
    ...(changes.length ? { lastChangeAt: at } : {}),
  });
  const count = snapshot.keys.length;
  c.emit(
    c.recovered(
      plan.confirmedShrink
        ? `the smaller list (${count} records) was confirmed and applied`
        : 'the source answers again',
    ),
  );
  const limit = positive(cfg.options.maxAlerts) ?? c.deps.maxListAlerts ?? 200;
  c.store(
    withoutRepeats(
      db,
      cfg.id,
      at,
      routeListAlerts(alerts, changeIds, c.router, {
        limit,
        ref: c.ref,
        at,
        url: redactUrl(cfg.url),
        everyChange: c.deps.everyChange,
        withFiles: c.deps.withFiles,
      }),
    ),
  );
  for (const ch of changes) {
    if (ch.type === 'designation.added') c.result.added++;
    else if (ch.type === 'designation.removed') c.result.removed++;
    else c.result.amended++;
  }
  c.result.status = changes.length ? 'changed' : 'unchanged';
  c.result.records = count;
}

/** An empty first answer is no baseline: the next full feed would otherwise all be "new". */
const feedBaseline = (c: Commit) => !c.state.baselineAt || countFeedItems(c.db, c.cfg.id) === 0;

const ingestOptions = (c: Commit, announce: boolean) => ({
  at: c.at,
  ref: c.ref,
  router: c.router,
  announce,
});

function readFeedItems(c: Commit, items: FeedItem[], announce: boolean): ItemsRead {
  return readItems(c.db, c.cfg, takenItems(items, feedCaps(c)), ingestOptions(c, announce));
}

function applyFeed(c: Commit, plan: Extract<PollPlan, { step: 'feed' }>, read?: ItemsRead): void {
  const { db, cfg, at } = c;
  const { items } = plan;
  const baseline = feedBaseline(c);
  const { fresh, alerts: itemAlerts } = ingestCapped(
    db,
    cfg,
    items,
    feedCaps(c),
    ingestOptions(c, !baseline),
    read,
  );
  c.saveValidators(plan);
  const stored = countFeedItems(db, cfg.id);
  updateSource(db, cfg.id, {
    status: 'ok',
    lastPollAt: at,
    lastSuccessAt: at,
    lastError: null,
    recordCount: stored,
    contentHash: plan.hash,
    ...(baseline && items.length ? { baselineAt: at } : {}),
    ...(fresh.length ? { lastChangeAt: at } : {}),
  });
  c.emit([...c.recovered('the feed answers again'), ...itemAlerts]);
  c.result.status = baseline ? 'baseline' : fresh.length ? 'changed' : 'unchanged';
  c.result.items = baseline ? items.length : fresh.length;
  c.result.records = stored;
}

function feedCaps(c: Commit) {
  return {
    maxItems: positive(c.cfg.options.maxItems) ?? c.deps.maxFeedItems ?? 5000,
    maxAlerts: positive(c.cfg.options.maxAlerts) ?? c.deps.maxFeedAlerts ?? 200,
  };
}

type PushedPlan = Extract<PollPlan, { step: 'pushed' }>;

/** A delivery whose request key was taken before (CourtListener retrying). */
const duplicate = (c: Commit, plan: PushedPlan) =>
  plan.requestKey !== '' && hasWebhookEvent(c.db, c.cfg.id, plan.requestKey);

function applyPushed(c: Commit, plan: PushedPlan, read?: ItemsRead): void {
  const { db, cfg, at, result } = c;
  if (duplicate(c, plan)) {
    result.duplicate = true;
    return;
  }
  const { fresh, alerts } = ingestCapped(
    db,
    cfg,
    plan.items,
    feedCaps(c),
    ingestOptions(c, true),
    read,
  );
  if (plan.requestKey) recordWebhookEvent(db, cfg.id, plan.requestKey, plan.items.length, at);
  updateSource(db, cfg.id, {
    status: 'ok',
    lastPollAt: at,
    lastSuccessAt: at,
    lastError: null,
    ...(fresh.length ? { lastChangeAt: at } : {}),
  });
  c.emit(alerts);
  result.status = fresh.length ? 'changed' : 'unchanged';
  result.items = fresh.length;
}

function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}
