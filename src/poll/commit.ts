// The second half of a poll: what the plan decided, written in one transaction (source state,
// designations and their history, derived indexes, feed items, the alerts and their routes).
import type { Db } from '../../db/database.js';
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
import {
  channelsToldByDocument,
  channelsToldOfChanges,
  recentChangesElsewhere,
  type ListChange,
} from '../../db/twins.js';
import { keepDocumentText } from '../../db/document-texts.js';
import {
  setValidators,
  updateSource,
  type SourceState,
  type Validators,
} from '../../db/source-state.js';
import { routeListAlerts, type RoutedAlert } from '../alerts/changeset.js';
import { alertForChange, healthAlert, type SourceRef } from '../alerts/derive.js';
import { SameEntryIndex } from '../alerts/same-entry.js';
import { diffSnapshot } from './diff.js';
import type { Alert, ListSnapshot, NewAlert, SourceConfig } from '../domain.js';
import { redactUrl } from '../fetch/redact.js';
import { TAIL_KEYS } from './guard.js';
import { normalizeName } from '../names/normalize.js';
import { IndexedRouter } from '../routing/follow-index.js';
import { ingestCapped } from './feed-ingest.js';
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

/** `last`: written at the end of the same transaction (the poll's claim released). */
export function commitPlan(
  deps: CommitDeps,
  cfg: SourceConfig,
  state: SourceState,
  plan: PollPlan,
  at: string,
  last?: () => void,
): PollResult {
  const c = new Commit(deps, cfg, state, at);
  const { db, result } = c;
  // IMMEDIATE: the write lock from the first statement. A deferred transaction reads, then fails
  // with SQLITE_BUSY_SNAPSHOT (no busy wait applies) if another connection (a CLI command beside
  // the daemon) committed in between: a false "failing" alert.
  db.transaction(() => {
    apply(c, plan);
    last?.();
  }).immediate();
  return result;
}

function apply(c: Commit, plan: PollPlan): void {
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
      if (state.baselineAt) applyList(c, plan);
      else storeBaseline(c, plan);
      // What the list said when it changed (or when its baseline was taken), in the same commit.
      if (!state.baselineAt || result.added + result.removed + result.amended > 0)
        keepEvidence(db, cfg.id, at, plan.files);
      return;
    case 'feed':
      result.warnings = plan.warnings;
      applyFeed(c, plan);
      if (result.items > 0) keepEvidence(db, cfg.id, at, plan.files);
      return;
    case 'pushed':
      applyPushed(c, plan);
      return;
  }
}

type ListPlan = Extract<PollPlan, { step: 'list' }>;

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

function applyList(c: Commit, plan: ListPlan): void {
  const { db, cfg, at } = c;
  const snapshot: ListSnapshot = plan.snapshot;
  const { changes, refreshed, json, priors, prints, reprinted } = diffSnapshot(
    storedList(db, cfg.id),
    snapshot,
  );
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
  const alerts = changes.map((ch) => alertForChange(ch, c.ref, at));
  c.store(
    withoutRepeats(
      c,
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

function applyFeed(c: Commit, plan: Extract<PollPlan, { step: 'feed' }>): void {
  const { db, cfg, at, state } = c;
  const { items } = plan;
  // An empty first answer is no baseline: the next full feed would otherwise all be "new".
  const baseline = !state.baselineAt || countFeedItems(db, cfg.id) === 0;
  const { fresh, alerts: itemAlerts } = ingestCapped(db, cfg, items, feedCaps(c), {
    at,
    ref: c.ref,
    router: c.router,
    announce: !baseline,
  });
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

function applyPushed(c: Commit, plan: Extract<PollPlan, { step: 'pushed' }>): void {
  const { db, cfg, at, result } = c;
  if (plan.requestKey && hasWebhookEvent(db, cfg.id, plan.requestKey)) {
    result.duplicate = true;
    return;
  }
  const { fresh, alerts } = ingestCapped(db, cfg, plan.items, feedCaps(c), {
    at,
    ref: c.ref,
    router: c.router,
    announce: true,
  });
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

/** How long another source may take to carry the same designation (the CSL follows OFAC within a day or so). */
const SAME_EVENT_DAYS = 14;

/**
 * One designation, one alert: a channel already told of an addition or removal by another source
 * of the same list (OFAC's SDN file, then the CSL's copy of it) is not told again; the change is
 * still in the history under both sources. The same entry is the same OFAC number (the CSL keys
 * Treasury rows "<list>:<ent_num>") or, for other lists, the same normalised name.
 */
function withoutRepeats(c: Commit, routed: RoutedAlert[]): RoutedAlert[] {
  const since = new Date(Date.parse(c.at) - SAME_EVENT_DAYS * 86_400_000).toISOString();
  // One read per list and type of this poll, then a lookup per change.
  const indexes = new Map<string, SameEntryIndex<ListChange>>();
  const indexOf = (list: string, type: string) => {
    const k = `${type}\u0000${list}`;
    let index = indexes.get(k);
    if (!index)
      indexes.set(
        k,
        (index = new SameEntryIndex(
          list,
          recentChangesElsewhere(c.db, { list, type, sourceId: c.cfg.id, since }),
        )),
      );
    return index;
  };
  const out: RoutedAlert[] = [];
  for (const r of routed) {
    const a = r.alert;
    if (a.type !== 'designation.added' && a.type !== 'designation.removed') {
      out.push(r);
      continue;
    }
    const twins = indexOf(a.list, a.type).find({ key: a.entity.key, name: a.entity.name });
    const told = channelsToldOfChanges(
      c.db,
      twins.map((t) => t.id),
    );
    // A list read from Federal Register notices: the notice's own alert that named the company.
    const notice =
      a.type === 'designation.added'
        ? /\/(\d{4}-\d{5})\//.exec(a.record.url ?? '')?.[1]
        : undefined;
    if (notice && /federalregister\.gov|\/documents\//.test(a.record.url ?? '')) {
      const normalizedNames = [a.record.name, ...a.record.aliases]
        .map(normalizeName)
        .filter(Boolean);
      for (const ch of channelsToldByDocument(c.db, notice, { key: a.entity.key, normalizedNames }))
        told.add(ch);
    }
    if (told.size === 0) {
      out.push(r);
      continue;
    }
    const routes = new Map([...r.routes].filter(([channel]) => !told.has(channel)));
    if (routes.size) out.push({ ...r, routes });
  }
  return out;
}
