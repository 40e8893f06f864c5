// A list poll's commit: the diff against the stored list and the alerts it raises (read before
// the write lock: readList), then the changes, their history and routed alerts written.
import {
  applyChanges,
  insertBaseline,
  refreshRecords,
  setPrints,
  storedList,
  type StoredForm,
} from '../../db/designations.js';
import { queueIndexing, type IndexingNeed } from '../../db/index-queue.js';
import { updateSource } from '../../db/source-state.js';
import { routeListAlerts } from '../alerts/changeset.js';
import { alertForChange } from '../alerts/derive.js';
import { diffSnapshot, type DiffResult } from './diff.js';
import type { ChangeAlert } from '../domain.js';
import { redactUrl } from '../fetch/redact.js';
import { TAIL_KEYS } from './guard.js';
import { withoutRepeats } from './without-repeats.js';
import type { PollPlan } from './plan.js';
import { positive, type Commit } from './commit-context.js';

export type ListPlan = Extract<PollPlan, { step: 'list' }>;

/** What a list poll reads to know its changes and where they go. */
export interface ListRead {
  diff: DiffResult;
  alerts: ChangeAlert[];
}

export function readList(c: Commit, plan: ListPlan): ListRead {
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

export function storeBaseline(c: Commit, plan: ListPlan): void {
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

export function applyList(c: Commit, plan: ListPlan, { diff, alerts }: ListRead): void {
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
