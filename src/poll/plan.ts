// The first half of a poll: fetch → parse → judge. Reads the source's state, writes nothing; what
// it decides is one of a few plans, which commit.ts writes in one transaction.
import { createHash } from 'node:crypto';
import type { Db } from '../../db/database.js';
import { countActive } from '../../db/designations.js';
import { knownGuids } from '../../db/feed-items.js';
import type { Validators, SourceState } from '../../db/source-state.js';
import type { FeedItem, ListSnapshot, SourceConfig } from '../domain.js';
import { judgeSnapshot, rowsCutAtEnd } from './guard.js';
import type { Logger } from '../log.js';
import { KINDS } from '../sources/kinds.js';
import { RECORDS_SCHEME } from '../sources/list-snapshot.js';
import { ParseError } from '../sources/parse.js';
import { digestOf, fetchBody } from '../fetch/fetch-body.js';
import type { EvidenceFile } from '../../db/evidence.js';
import {
  fetchFollowed,
  fetchSource,
  type FetchSettings,
  type NewDocument,
} from './fetch-source.js';

/** What a fetched and parsed answer carries into the commit. */
interface Answer {
  hash: string;
  validators: Map<string, Validators>;
  /** Documents read for the first time (KindSpec.follow), kept when the poll is committed. */
  documents?: NewDocument[];
  /** The publisher's newest publication, asked before the download (KindSpec.publications). */
  publication?: string;
  /** What was read, kept as evidence when the poll changes something. */
  files: EvidenceFile[];
}

export type PollPlan =
  /** Unreachable, refused, or unreadable: the previous state stands. */
  | { step: 'fail'; reason: string }
  /** 304 to every conditional request, or the publisher has published nothing since the last read. */
  | { step: 'not-modified'; publication?: string }
  /** The same bytes as the last good answer. */
  | ({ step: 'same' } & Answer)
  /** A list that lost too much at once, or was cut at its end: kept aside, not applied. */
  | ({
      step: 'hold';
      reason: string;
      heldCount: number;
      firstTime: boolean;
      warnings: string[];
    } & Answer)
  | ({ step: 'list'; snapshot: ListSnapshot; confirmedShrink: boolean } & Answer)
  | ({ step: 'feed'; items: FeedItem[]; warnings: string[] } & Answer)
  /**
   * Entries pushed to us (a CourtListener webhook), not fetched: each new one is announced (a push
   * is never a baseline); `requestKey` (the Idempotency-Key) keeps a retried delivery from counting twice.
   */
  | { step: 'pushed'; items: FeedItem[]; requestKey: string };

export interface PlanDeps {
  db: Db;
  log: Logger;
  fetch: FetchSettings;
  maxShrink: number;
  confirmPolls: number;
}

export async function planPoll(
  deps: PlanDeps,
  cfg: SourceConfig,
  state: SourceState,
): Promise<PollPlan> {
  const publication = await newestPublicationOf(deps, cfg);
  // Nothing published since a good read: one small question, no download. After a failed or
  // held read the files are asked again whatever the publisher says.
  if (
    publication &&
    publication === state.publicationKey &&
    state.baselineAt &&
    state.status === 'ok'
  )
    return { step: 'not-modified', publication };
  const fetched = await fetchSource(deps.db, cfg, deps.fetch);
  if (fetched.status === 'error') return { step: 'fail', reason: fetched.reason };
  if (fetched.status === 'not-modified')
    return { step: 'not-modified', ...(publication ? { publication } : {}) };
  const answer: Answer = {
    hash: contentHash(fetched.digests),
    validators: fetched.validators,
    files: fetched.files,
    ...(publication ? { publication } : {}),
  };
  if (answer.hash === state.contentHash && state.baselineAt) return { step: 'same', ...answer };

  let snapshot;
  let followWarnings: string[] = [];
  try {
    let bodies = fetched.bodies;
    const spec = KINDS[cfg.kind];
    if (spec.follow) {
      // A feed's first answer is its baseline, announced to no one: nothing in it is read in full.
      const known = (guids: string[]) =>
        state.baselineAt ? knownGuids(deps.db, cfg.id, guids) : new Set(guids);
      const wanted = await spec.follow(bodies, cfg, known);
      const followed = await fetchFollowed(
        deps.db,
        cfg,
        wanted,
        deps.fetch,
        spec.followOptional === true,
      );
      if (followed.status === 'error') return { step: 'fail', reason: followed.reason };
      bodies = { ...bodies, ...followed.bodies };
      answer.documents = followed.fresh;
      for (const d of followed.fresh)
        answer.files.push({
          name: `document:${d.url}`,
          url: d.url,
          etag: null,
          lastModified: null,
          sha256: digestOf(d.body),
          body: () => d.body,
        });
      followWarnings = followed.warnings;
    }
    snapshot = await spec.parse(bodies, cfg);
    snapshot.warnings.push(...followWarnings);
  } catch (err) {
    if (err instanceof ParseError) return { step: 'fail', reason: err.message };
    // Not a refusal of the file but a fault of ours: the stack is what a bug report needs.
    deps.log.error({ source: cfg.id, err }, 'parser crashed');
    return { step: 'fail', reason: `could not be parsed: ${(err as Error).message}` };
  }
  if (snapshot.kind === 'feed')
    return { step: 'feed', items: snapshot.items, warnings: snapshot.warnings, ...answer };

  const previousCount = state.baselineAt ? countActive(deps.db, cfg.id) : 0;
  const verdict = judgeSnapshot({
    cutAtEnd: snapshot.endMarked ? 0 : rowsCutAtEnd(tailOf(state), previousCount, snapshot.keys),
    previousCount,
    nextCount: snapshot.keys.length,
    contentHash: answer.hash,
    maxShrink: cfg.maxShrink ?? deps.maxShrink,
    confirmPolls: cfg.confirmPolls ?? deps.confirmPolls,
    heldHash: state.heldHash,
    heldCount: state.heldCount,
    acceptedHash: state.acceptedHash,
  });
  if (verdict.action === 'hold')
    return {
      step: 'hold',
      reason: verdict.reason,
      heldCount: verdict.heldCount,
      firstTime: verdict.firstTime,
      warnings: snapshot.warnings,
      ...answer,
    };
  return { step: 'list', snapshot, confirmedShrink: verdict.confirmedShrink, ...answer };
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

/** Of every file of the source, by the sha256 each was given as it downloaded. */
function contentHash(digests: Record<string, string>): string {
  const h = createHash('sha256');
  // A build that reads lists differently reads an unchanged file again, once.
  h.update(`records-scheme ${RECORDS_SCHEME}\n`);
  for (const name of Object.keys(digests).sort()) h.update(`${name} ${digests[name]}\n`);
  return h.digest('hex');
}

/**
 * The publisher's newest publication (KindSpec.publications), or null when the source has no such
 * list or it could not be read: then the files are downloaded as without one.
 */
async function newestPublicationOf(deps: PlanDeps, cfg: SourceConfig): Promise<string | null> {
  const template = KINDS[cfg.kind].publications?.(cfg);
  if (!template) return null;
  const { newestPublication, publicationsUrl } = await import('../sources/ofac-publications.js');
  const url = publicationsUrl(template, new Date());
  const r = await fetchBody(url, deps.fetch);
  const key = r.status === 'ok' ? newestPublication(r.body) : null;
  if (!key)
    deps.log.warn(
      {
        source: cfg.id,
        url,
        reason: r.status === 'error' ? r.reason : 'not a list of publications',
      },
      'the list of publications could not be read; the files are downloaded',
    );
  return key;
}
