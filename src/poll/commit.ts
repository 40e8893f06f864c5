// The second half of a poll: what the plan decided, written in one transaction (source state,
// designations and their history, derived indexes, feed items, the alerts and their routes).
import { dataVersion } from '../../db/change-stamp.js';
import { touchLastSeen } from '../../db/feed-items.js';
import { keepEvidence } from '../../db/evidence.js';
import { keepDocumentText } from '../../db/document-texts.js';
import { updateSource, type SourceState } from '../../db/source-state.js';
import { healthAlert } from '../alerts/derive.js';
import type { SourceConfig } from '../domain.js';
import type { ItemsRead } from './feed-ingest.js';
import type { PollPlan } from './plan.js';
import { Commit, type CommitDeps, type PollResult } from './commit-context.js';
import { applyList, readList, storeBaseline, type ListRead } from './commit-list.js';
import { applyFeed, applyPushed, duplicate, feedBaseline, readFeedItems } from './commit-feed.js';

export {
  emptyResult,
  type CommitDeps,
  type PollResult,
  type PollStatus,
} from './commit-context.js';

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
interface Ahead {
  list?: ListRead;
  items?: ItemsRead;
}

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
      if (state.baselineAt) applyList(c, plan, ahead?.list ?? readList(c, plan));
      else storeBaseline(c, plan);
      // What the list said when it changed (or when its baseline was taken), in the same commit.
      if (!state.baselineAt || result.added + result.removed + result.amended > 0)
        keepEvidence(db, cfg.id, at, plan.files);
      return;
    case 'feed':
      result.warnings = plan.warnings;
      applyFeed(c, plan, ahead?.items);
      if (result.items > 0) keepEvidence(db, cfg.id, at, plan.files);
      return;
    case 'pushed':
      applyPushed(c, plan, ahead?.items);
      return;
  }
}
