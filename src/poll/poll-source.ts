// One poll of one source: a plan (fetch → parse → judge, no writes: plan.ts), then one commit
// step that writes it in one transaction (state, history, outbox: commit.ts). Here: the lease that
// keeps two processes from polling one source at once, and the one log line per poll.
import { storageProblem } from '../../db/errors.js';
import type { Db } from '../../db/database.js';
import {
  claimPoll,
  ensureSource,
  getSource,
  pollClaimer,
  releasePoll,
} from '../../db/source-state.js';
import { claimerIsDead, newClaimer } from '../store/claims.js';
import type { SourceConfig } from '../domain.js';
import type { Logger } from '../log.js';
import { commitPlan, emptyResult, type PollResult } from './commit.js';
import type { FetchSettings } from './fetch-source.js';
import { planPoll, type PollPlan } from './plan.js';

export type { PollResult, PollStatus } from './commit.js';

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
  /** List changes a channel takes one by one from one poll (more become one changeset alert). */
  maxListAlerts?: number;
  /** Platforms whose channels take every change however many (`poll --json`, webhooks). */
  everyChange?: ReadonlySet<string>;
  /** Platforms that take files (a changeset's CSV). */
  withFiles?: ReadonlySet<string>;
  now?: () => Date;
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
    deps.log.info(
      { source: cfg.id, status: 'busy' },
      'another process is polling this source; this turn is skipped',
    );
    return emptyResult(cfg.id, 'busy');
  }
  let released = false;
  try {
    const started = performance.now();
    const at = (deps.now?.() ?? new Date()).toISOString();
    // Read again under the claim: another process may have committed a poll since the first read.
    const state = getSource(db, cfg.id)!;
    const plan = await planPoll(deps, cfg, state);
    // The claim ends in the commit's own transaction: no moment where the poll is written and the
    // source still claimed, and one write to the log instead of two (~0.2 ms of a 304 poll).
    const commit = (p: PollPlan): PollResult => {
      const r = commitPlan(deps, cfg, state, p, at, () => releasePoll(db, cfg.id, POLLER));
      released = true;
      return r;
    };
    let result: PollResult;
    try {
      result = commit(plan);
    } catch (err) {
      // A full or failing disk takes no "failing" row either: the caller says it once, plainly.
      if (storageProblem(err, '')) throw err;
      // Entries are built while they are compared, inside the commit: a fault of ours there (a
      // record that cannot be built, a write refused) rolls the commit back and reads as a failing
      // source, with the stack in the log, as a parser crash does.
      deps.log.error({ source: cfg.id, err }, 'poll could not be committed');
      result = commit({ step: 'fail', reason: `could not be applied: ${(err as Error).message}` });
    }
    result.durationMs = Math.round((performance.now() - started) * 10) / 10;
    const { alerts, warnings, ...line } = result;
    const level = result.status === 'failing' || result.status === 'held' ? 'warn' : 'info';
    deps.log[level](
      {
        ...line,
        alerts: alerts.length,
        warnings: warnings.length ? warnings.slice(0, 5) : undefined,
      },
      'poll',
    );
    return result;
  } finally {
    if (!released) releasePoll(db, cfg.id, POLLER);
  }
}
