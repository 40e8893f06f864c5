// One poll of one source: fetch → parse → guard → one transaction (state, history, outbox).
import { createHash } from 'node:crypto';
import type { Db } from '../../db/database.js';
import { allHoldings, replaceIdentifiers } from '../../db/holdings.js';
import { MATCH_THRESHOLD } from '../names/similarity.js';
import { identifiersOfRecord } from '../portfolio/identifier-index.js';
import { storedList, designationIdOf, refreshRecords, applyChanges, countActive, insertBaseline, setPrints, type StoredForm } from '../../db/designations.js';
import { countFeedItems, markUnalerted, touchLastSeen } from '../../db/feed-items.js';
import { replaceNames } from '../../db/name-index.js';
import { enqueueAlert } from '../../db/outbox.js';
import { claimPoll, ensureSource, pollClaimer, releasePoll, setValidators, updateSource, type SourceState } from '../../db/source-state.js';
import { claimerIsDead, newClaimer } from '../claims.js';
import { allSubscriptions, subscriptionsVersion } from '../../db/subscriptions.js';
import { alertForChange, healthAlert, type SourceRef } from '../alerts/derive.js';
import { diffSnapshot } from '../diff.js';
import type { Alert, DesignationRecord, FeedItem, ListSnapshot, NewAlert, SourceConfig, Snapshot } from '../domain.js';
import { judgeSnapshot, rowsCutAtEnd, TAIL_KEYS } from '../guard.js';
import type { Logger } from '../log.js';
import { entityNames } from '../names/entity-names.js';
import { Router } from '../routing.js';
import { KINDS } from '../sources/kinds.js';
import { RECORDS_SCHEME } from '../sources/list-snapshot.js';
import { ParseError } from '../sources/text.js';
import { fetchSource, type FetchSettings } from './fetch-source.js';
import { ingestFeedItems } from './feed-ingest.js';

export interface PollDeps {
  db: Db;
  log: Logger;
  fetch: FetchSettings;
  /** Channels that receive every alert. */
  defaultChannels: string[];
  maxShrink: number;
  confirmPolls: number;
  /** Feed floods: entries taken per poll, alerts raised per poll (sources may set their own). */
  maxFeedItems?: number;
  maxFeedAlerts?: number;
  now?: () => Date;
}

export type PollStatus = 'baseline' | 'changed' | 'unchanged' | 'not-modified' | 'held' | 'failing' | 'busy';

export interface PollResult {
  source: string;
  status: PollStatus;
  records: number;
  added: number;
  removed: number;
  amended: number;
  items: number;
  alerts: Alert[];
  error?: string;
  warnings: string[];
  durationMs: number;
}

/** This process, for poll leases. */
const POLLER = newClaimer();

/**
 * Polls a source unless another process is polling it now (its lease not expired): two polls of
 * one source at once would fetch twice and race to commit the same changes.
 */
export async function pollSource(deps: PollDeps, cfg: SourceConfig): Promise<PollResult> {
  const { db } = deps;
  const now = deps.now?.() ?? new Date();
  ensureSource(db, cfg.id, cfg.kind, cfg.label ?? null);
  // Long enough for the slowest fetch of every file of the source, and the commit after it.
  const lease = new Date(now.getTime() + 4 * deps.fetch.timeoutMs + 60_000).toISOString();
  const holder = pollClaimer(db, cfg.id, now.toISOString());
  if (holder && claimerIsDead(holder)) releasePoll(db, cfg.id, holder);
  if (!claimPoll(db, cfg.id, POLLER, now.toISOString(), lease)) {
    deps.log.info({ source: cfg.id, status: 'busy' }, 'another process is polling this source; this turn is skipped');
    return { source: cfg.id, status: 'busy', records: 0, added: 0, removed: 0, amended: 0, items: 0, alerts: [], warnings: [], durationMs: 0 };
  }
  try {
    return await pollClaimed(deps, cfg);
  } finally {
    releasePoll(db, cfg.id, POLLER);
  }
}

async function pollClaimed(deps: PollDeps, cfg: SourceConfig): Promise<PollResult> {
  const started = performance.now();
  const at = (deps.now?.() ?? new Date()).toISOString();
  const { db } = deps;
  // Read again under the claim: another process may have committed a poll since the first read.
  const state = ensureSource(db, cfg.id, cfg.kind, cfg.label ?? null);
  const ref: SourceRef = { id: cfg.id, label: cfg.label ?? cfg.id };
  const result: PollResult = { source: cfg.id, status: 'unchanged', records: state.recordCount, added: 0, removed: 0, amended: 0, items: 0, alerts: [], warnings: [], durationMs: 0 };
  const finish = (): PollResult => {
    result.durationMs = Math.round((performance.now() - started) * 10) / 10;
    const { alerts, warnings, ...line } = result;
    const level = result.status === 'failing' || result.status === 'held' ? 'warn' : 'info';
    deps.log[level]({ ...line, alerts: alerts.length, warnings: warnings.length ? warnings.slice(0, 5) : undefined }, 'poll');
    return result;
  };
  const router = () => routerFor(db, deps.defaultChannels);
  const emit = (alerts: NewAlert[], changeIds: (number | null)[] = []) => {
    const r = router();
    alerts.forEach((a, i) => result.alerts.push(enqueueAlert(db, a, r.routes(a), changeIds[i] ?? null)));
  };
  // A source that was failing or held and now works again says so, once.
  const recovered = (why: string): NewAlert[] =>
    state.status === 'failing' || state.status === 'held' ? [healthAlert('recovered', why, ref, at)] : [];

  const fail = (reason: string): PollResult => {
    db.transaction(() => {
      updateSource(db, cfg.id, { status: 'failing', lastPollAt: at, lastError: reason });
      if (state.status !== 'failing') emit([healthAlert('failing', reason, ref, at)]);
    })();
    result.status = 'failing';
    result.error = reason;
    return finish();
  };

  const fetched = await fetchSource(db, cfg, deps.fetch);
  if (fetched.status === 'error') return fail(fetched.reason);
  if (fetched.status === 'not-modified') {
    db.transaction(() => {
      touchLastSeen(db, cfg.id, at);
      updateSource(db, cfg.id, { status: state.baselineAt ? 'ok' : state.status, lastPollAt: at, lastSuccessAt: at, lastError: null });
      emit(recovered('the source answers again (not modified since the last good snapshot)'));
    })();
    result.status = 'not-modified';
    return finish();
  }

  const hash = contentHash(fetched.bodies);
  const saveValidators = () => {
    for (const [url, v] of fetched.validators) setValidators(db, cfg.id, url, v);
  };
  if (hash === state.contentHash && state.baselineAt) {
    db.transaction(() => {
      touchLastSeen(db, cfg.id, at);
      saveValidators();
      updateSource(db, cfg.id, { status: 'ok', lastPollAt: at, lastSuccessAt: at, lastError: null, heldHash: null, heldCount: 0, heldReason: null });
      emit(recovered('the source answers again with the last good content'));
    })();
    return finish();
  }

  let snapshot: Snapshot;
  try {
    snapshot = await KINDS[cfg.kind].parse(fetched.bodies, cfg);
  } catch (err) {
    if (err instanceof ParseError) return fail(err.message);
    // Not a refusal of the file but a fault of ours: the stack is what a bug report needs.
    deps.log.error({ source: cfg.id, err }, 'parser crashed');
    return fail(`could not be parsed: ${(err as Error).message}`);
  }
  result.warnings = snapshot.warnings;

  if (snapshot.kind === 'feed') {
    commitFeed(deps, cfg, state, snapshot.items, { at, hash, ref, emit, recovered, saveValidators, result });
    return finish();
  }

  const previousCount = state.baselineAt ? countActive(db, cfg.id) : 0;
  const cutAtEnd = snapshot.endMarked ? 0 : rowsCutAtEnd(tailOf(state), previousCount, snapshot.keys);
  const verdict = judgeSnapshot({
    cutAtEnd,
    previousCount,
    nextCount: snapshot.keys.length,
    contentHash: hash,
    maxShrink: cfg.maxShrink ?? deps.maxShrink,
    confirmPolls: cfg.confirmPolls ?? deps.confirmPolls,
    heldHash: state.heldHash,
    heldCount: state.heldCount,
    acceptedHash: state.acceptedHash,
  });
  if (verdict.action === 'hold') {
    db.transaction(() => {
      // Validators are not saved: the next poll must download this content again to count it.
      updateSource(db, cfg.id, { status: 'held', lastPollAt: at, lastError: verdict.reason, heldHash: hash, heldCount: verdict.heldCount, heldReason: verdict.reason });
      if (verdict.firstTime) emit([healthAlert('held', verdict.reason, ref, at)]);
    })();
    result.status = 'held';
    result.error = verdict.reason;
    return finish();
  }

  commitList(deps, cfg, state, snapshot, { at, hash, ref, emit, recovered, saveValidators, result }, verdict.confirmedShrink);
  return finish();
}

interface CommitContext {
  at: string;
  hash: string;
  ref: SourceRef;
  emit: (alerts: NewAlert[], changeIds?: (number | null)[]) => void;
  recovered: (why: string) => NewAlert[];
  saveValidators: () => void;
  result: PollResult;
}

function tailOf(state: SourceState): string[] | null {
  if (!state.tailKeys) return null;
  try {
    const keys: unknown = JSON.parse(state.tailKeys);
    return Array.isArray(keys) ? keys.map(String) : null;
  } catch {
    return null;
  }
}

function commitList(deps: PollDeps, cfg: SourceConfig, state: SourceState, snapshot: ListSnapshot, c: CommitContext, confirmedShrink: boolean): void {
  const { db } = deps;
  const count = snapshot.keys.length;
  const okState = {
    status: 'ok' as const, lastPollAt: c.at, lastSuccessAt: c.at, lastError: null, recordCount: count, contentHash: c.hash,
    heldHash: null, heldCount: 0, heldReason: null, acceptedHash: null, tailKeys: JSON.stringify(snapshot.keys.slice(-TAIL_KEYS)),
  };
  if (!state.baselineAt) {
    const records = snapshot.records;
    db.transaction(() => {
      const ids = insertBaseline(db, cfg.id, records, snapshot.prints, c.at);
      replaceNames(db, ids, (i) => entityNames(records[i]!));
      replaceIdentifiers(db, ids, (i) => identifiersOfRecord(records[i]!));
      c.saveValidators();
      updateSource(db, cfg.id, { ...okState, baselineAt: c.at, lastChangeAt: c.at });
      c.emit(c.recovered(`first good snapshot stored as the baseline (${count} records)`));
    })();
    c.result.status = 'baseline';
    c.result.records = count;
    return;
  }
  db.transaction(() => {
    const { changes, refreshed, json, prints } = diffSnapshot(storedList(db, cfg.id), snapshot);
    const form: StoredForm = { json: (r) => json.get(r.key) ?? JSON.stringify(r), print: (key) => prints.get(key) ?? null };
    const { changeIds: ids, designationIds } = applyChanges(db, cfg.id, changes, form, c.at);
    refreshRecords(db, cfg.id, refreshed, form);
    // Unchanged entries whose fingerprint moved (the first poll after an upgrade, say).
    setPrints(db, cfg.id, [...prints].filter(([key]) => !json.has(key)));
    // Identifiers of what is new, of what changed them, and of records that learnt them (refreshed).
    const keyed: [number, DesignationRecord][] = [];
    const newIdentifiers = changes.filter((ch) => designationIds.has(ch.record.key) && (ch.type === 'designation.added' || (ch.type === 'designation.amended' && ch.fields.some((f) => f.field === 'identifiers' || f.field === 'linkedTo'))));
    for (const r of [...newIdentifiers.map((ch) => ch.record), ...refreshed]) {
      const id = designationIds.get(r.key) ?? designationIdOf(db, cfg.id, r.key);
      if (id !== null) keyed.push([id, r]);
    }
    replaceIdentifiers(db, keyed.map(([id]) => id), (i) => identifiersOfRecord(keyed[i]![1]));
    // Only names that changed are indexed again: an amended address or program keeps its names.
    const named = changes.filter((ch) => designationIds.has(ch.record.key) && (ch.type === 'designation.added' || (ch.type === 'designation.amended' && ch.fields.some((f) => f.field === 'name' || f.field === 'aliases'))));
    replaceNames(db, named.map((ch) => designationIds.get(ch.record.key)!), (i) => entityNames(named[i]!.record));
    c.saveValidators();
    updateSource(db, cfg.id, { ...okState, ...(changes.length ? { lastChangeAt: c.at } : {}) });
    const why = confirmedShrink ? `the smaller list (${count} records) was confirmed and applied` : 'the source answers again';
    const health = c.recovered(why);
    c.emit([...health, ...changes.map((ch) => alertForChange(ch, c.ref, c.at))], [...health.map(() => null), ...ids]);
    for (const ch of changes) {
      if (ch.type === 'designation.added') c.result.added++;
      else if (ch.type === 'designation.removed') c.result.removed++;
      else c.result.amended++;
    }
    c.result.status = changes.length ? 'changed' : 'unchanged';
    c.result.records = count;
  })();
}

function commitFeed(deps: PollDeps, cfg: SourceConfig, state: SourceState, items: FeedItem[], c: CommitContext): void {
  const { db } = deps;
  db.transaction(() => {
    // An empty first answer is no baseline: the next full feed would otherwise all be "new".
    const baseline = !state.baselineAt || countFeedItems(db, cfg.id) === 0;
    // A flood (a broken or hostile feed answering 200,000 entries) costs one poll a bounded amount
    // of work and storage, and the operator hears of it once.
    const maxItems = positive(cfg.options.maxItems) ?? deps.maxFeedItems ?? 5000;
    const maxAlerts = positive(cfg.options.maxAlerts) ?? deps.maxFeedAlerts ?? 200;
    const taken = items.length > maxItems ? items.slice(0, maxItems) : items;
    const { fresh, alerts: all } = ingestFeedItems(db, cfg, taken, { at: c.at, ref: c.ref, router: routerFor(db, deps.defaultChannels), announce: !baseline });
    const itemAlerts = all.slice(0, maxAlerts);
    const skippedItems = items.length - taken.length;
    const unalerted = all.length - itemAlerts.length;
    if (unalerted) markUnalerted(db, cfg.id, all.slice(maxAlerts).map((a) => (a.type === 'feed.item' ? a.item.guid : '')));
    if (skippedItems || unalerted) {
      const parts = [skippedItems ? `${skippedItems} of its ${items.length} entries were skipped (at most ${maxItems} a poll)` : '', unalerted ? `${unalerted} new entries were stored without an alert (at most ${maxAlerts} alerts a poll)` : ''];
      itemAlerts.push(healthAlert('capped', `the feed answered more than one poll takes: ${parts.filter(Boolean).join('; ')}. Check the feed, or raise maxItems / maxAlerts on the source.`, c.ref, c.at));
    }
    c.saveValidators();
    updateSource(db, cfg.id, {
      status: 'ok', lastPollAt: c.at, lastSuccessAt: c.at, lastError: null, recordCount: countFeedItems(db, cfg.id), contentHash: c.hash,
      ...(baseline && items.length ? { baselineAt: c.at } : {}), ...(fresh.length ? { lastChangeAt: c.at } : {}),
    });
    c.emit([...c.recovered('the feed answers again'), ...itemAlerts]);
    c.result.status = baseline ? 'baseline' : fresh.length ? 'changed' : 'unchanged';
    c.result.items = baseline ? items.length : fresh.length;
    c.result.records = countFeedItems(db, cfg.id);
  })();
}

/**
 * The router of a database, rebuilt only when its subscriptions change: indexing 10,000
 * subscriptions costs more than routing a poll's alerts through them.
 */
const routers = new WeakMap<Db, { version: string; defaults: string; router: Router }>();

export function routerFor(db: Db, defaultChannels: string[]): Router {
  const version = subscriptionsVersion(db);
  const defaults = defaultChannels.join(',');
  const cached = routers.get(db);
  if (cached && cached.version === version && cached.defaults === defaults) return cached.router;
  const router = new Router(allSubscriptions(db), defaultChannels, MATCH_THRESHOLD, allHoldings(db));
  routers.set(db, { version, defaults, router });
  return router;
}

function positive(v: unknown): number | undefined {
  return typeof v === 'number' && Number.isInteger(v) && v > 0 ? v : undefined;
}

export function contentHash(bodies: Record<string, Uint8Array>): string {
  const h = createHash('sha256');
  // A build that reads lists differently reads an unchanged file again, once.
  h.update(`records-scheme ${RECORDS_SCHEME}\n`);
  for (const name of Object.keys(bodies).sort()) {
    h.update(name);
    h.update(bodies[name]!);
  }
  return h.digest('hex');
}
