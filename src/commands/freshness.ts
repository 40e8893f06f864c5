// How current an answer about the lists is. "Not on any of the 14 tracked lists" holds only as of
// the oldest good read among the sources searched: stating the newest (as lookups did) let a list
// whose source had failed for a week pass as read this morning. A source that fails, holds back
// a new version, or was dropped from the configuration (its entries stay, and are searched) and
// has not been read for a day while others were, is named.
import { untilChanged } from '../../db/change-stamp.js';
import {
  lastListUpdate,
  sourcesWithEntries,
  trackedLists,
  type ListSource,
} from '../../db/entities.js';
import { FEED_KINDS } from '../sources/kinds.js';
import { shortReason } from '../text/reason.js';
import type { CommandContext } from './context.js';
import type { ReplySection } from './reply.js';

/**
 * A source outside the configuration in use is named once it is this far behind the latest poll of
 * another list source. Both conditions: a command line given another configuration than the
 * daemon's sees the daemon's sources as unconfigured while they are read every hour, and a
 * configured source read weekly is a day behind the hourly ones six days a week.
 */
export const BEHIND_MS = 24 * 3600_000;

export interface Behind {
  source: string;
  label: string | null;
  lists: string[];
  /** Its last good read: its entries are as of then. */
  asOf: string | null;
  status: 'failing' | 'held' | 'stale';
  detail: string | null;
}

export interface Freshness {
  /** The oldest good read among the sources holding current entries (null: none holds any). */
  asOf: string | null;
  behind: Behind[];
}

/** `configured`: the ids of the configuration in use; empty or absent, every source may be stale. */
export function freshnessOf(
  sources: readonly ListSource[],
  configured?: ReadonlySet<string>,
): Freshness {
  const reads = sources
    .map((s) => s.lastSuccessAt)
    .filter((t): t is string => t !== null)
    .sort();
  const polls = sources
    .map((s) => s.lastPollAt)
    .filter((t): t is string => t !== null)
    .sort();
  const latest = polls.length ? Date.parse(polls[polls.length - 1]!) : NaN;
  const behind: Behind[] = [];
  for (const s of sources) {
    const base = { source: s.id, label: s.label, lists: s.lists, asOf: s.lastSuccessAt };
    if (s.status === 'failing') behind.push({ ...base, status: 'failing', detail: s.lastError });
    else if (s.status === 'held') behind.push({ ...base, status: 'held', detail: s.heldReason });
    else if (!configured?.size || !configured.has(s.id)) {
      if (s.lastSuccessAt === null || latest - Date.parse(s.lastSuccessAt) > BEHIND_MS)
        behind.push({
          ...base,
          status: 'stale',
          detail: configured?.size ? 'not in this configuration' : null,
        });
    }
  }
  return { asOf: reads[0] ?? null, behind };
}

export interface ListScope {
  /** The lists with current entries. */
  lists: readonly string[];
  /** Whether any list source has ever been read (a list may be read and hold nothing). */
  polled: boolean;
  freshness: Freshness;
}

/** What every answer about the lists states it covers, the same between two polls: read again only after a change. */
const storedScope = untilChanged((db) => ({
  lists: Object.freeze(trackedLists(db)),
  polled: lastListUpdate(db, FEED_KINDS) !== null,
  sources: sourcesWithEntries(db),
}));

export function listScope(ctx: Pick<CommandContext, 'db' | 'sources'>): ListScope {
  const { lists, polled, sources } = storedScope(ctx.db);
  return { lists, polled, freshness: freshnessOf(sources, new Set(ctx.sources.map((s) => s.id))) };
}

/** "2026-11-20 13:13 UTC" */
export const utcMinute = (iso: string): string => `${iso.slice(0, 16).replace('T', ' ')} UTC`;

/** "DoD 1260H list (dod)", or "dod" where the label is the id or missing. */
export const sourceTitle = (id: string, label: string | null): string =>
  label && label !== id ? `${label} (${id})` : id;

/** One line per source behind: which lists, as of when, and why. */
export function behindLines(f: Freshness): string[] {
  return f.behind.map((b) => {
    const lists =
      b.lists.length > 4
        ? `${b.lists.slice(0, 4).join(', ')} and ${b.lists.length - 4} more`
        : b.lists.join(', ');
    const why =
      b.status === 'failing'
        ? `its polls fail${b.detail ? `: ${shortReason(b.detail)}` : ''}`
        : b.status === 'held'
          ? `a new version is held back${b.detail ? `: ${shortReason(b.detail)}` : ''}`
          : `not read for over a day while other lists were${b.detail ? ` (${b.detail})` : ''}`;
    return `${sourceTitle(b.source, b.label)}: ${lists} as of ${b.asOf ? utcMinute(b.asOf) : 'never'}; ${why}`;
  });
}

/** "(as of 2026-11-20 13:13 UTC)", naming the sources behind: what a statement about the lists holds for. */
export function asOfClause(f: Freshness): string {
  if (!f.asOf) return '';
  const behind = f.behind.map((b) => b.source);
  return ` (as of ${utcMinute(f.asOf)}${behind.length ? `; not current: ${behind.join(', ')}` : ''})`;
}

export const NOT_CURRENT_TITLE = 'Not current: these lists may have changed since';

/** The section that says which lists may have changed since, if any: first in an answer, as it qualifies the rest. */
export function notCurrentSection(f: Freshness): ReplySection[] {
  return f.behind.length ? [{ title: NOT_CURRENT_TITLE, fields: [], lines: behindLines(f) }] : [];
}
