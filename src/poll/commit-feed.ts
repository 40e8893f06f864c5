// A feed's commit, polled or pushed: its new entries read (before the write lock: readFeedItems),
// then stored with their mentions and alerts, within the source's caps.
import { countFeedItems, hasWebhookEvent, recordWebhookEvent } from '../../db/feed-items.js';
import { updateSource } from '../../db/source-state.js';
import type { FeedItem } from '../domain.js';
import { ingestCapped, readItems, takenItems, type ItemsRead } from './feed-ingest.js';
import type { PollPlan } from './plan.js';
import { positive, type Commit } from './commit-context.js';

/** An empty first answer is no baseline: the next full feed would otherwise all be "new". */
export const feedBaseline = (c: Commit) =>
  !c.state.baselineAt || countFeedItems(c.db, c.cfg.id) === 0;

const ingestOptions = (c: Commit, announce: boolean) => ({
  at: c.at,
  ref: c.ref,
  router: c.router,
  announce,
});

export function readFeedItems(c: Commit, items: FeedItem[], announce: boolean): ItemsRead {
  return readItems(c.db, c.cfg, takenItems(items, feedCaps(c)), ingestOptions(c, announce));
}

export function applyFeed(
  c: Commit,
  plan: Extract<PollPlan, { step: 'feed' }>,
  read?: ItemsRead,
): void {
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
export const duplicate = (c: Commit, plan: PushedPlan) =>
  plan.requestKey !== '' && hasWebhookEvent(c.db, c.cfg.id, plan.requestKey);

export function applyPushed(c: Commit, plan: PushedPlan, read?: ItemsRead): void {
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
