// `subscribe <name>` / `--list "<list>"` / `--source ID` / `--all`: what this channel follows.
import { indexFollows } from '../routing/follow-index.js';
import { trackedLists } from '../../db/entities.js';
import { addSubscription, channelSubscriptions } from '../../db/subscriptions.js';
import type { SubscriptionTarget } from '../domain.js';
import { isGeneric, normalizeName } from '../names/normalize.js';
import { parseDocket } from '../feeds/docket.js';
import { caseEntryCount } from '../../db/feed-items.js';
import { CL_CASE, docketIdOf } from '../sources/courtlistener-ids.js';
import { queryOf, type ParsedArgs } from './args.js';
import type { CommandContext } from './context.js';
import { groupHits } from './entities.js';
import { queryHits } from './identifier-hits.js';
import {
  identifierQuery,
  isSpecificIdentifier,
  sharesIdentifier,
} from '../portfolio/identifier-query.js';
import { usage, type Reply } from './reply.js';
import { KNOWN_LISTS } from '../sources/lists.js';

/** Lists a channel may follow before the first poll has seen them. */
export { KNOWN_LISTS };

const USAGE =
  'Usage: /sanctions subscribe <company name | identifier> | --list "<list>" | --source <source id> | --case <docket number> [--court <court id>] | --all';

export function describeTarget(t: SubscriptionTarget): string {
  switch (t.kind) {
    case 'all':
      return 'every alert';
    case 'list':
      return `the ${t.value} list`;
    case 'source':
      return `source ${t.value}`;
    case 'entity':
      return `"${t.value}"`;
    case 'case':
      return t.value.startsWith(CL_CASE)
        ? `CourtListener docket ${t.value.slice(CL_CASE.length)}`
        : `case ${t.value}${t.court ? ` in ${t.court}` : ' (any court)'}`;
  }
}

/** Resolves a list name typed by a user to the spelling the lists use. */
export function resolveList(ctx: CommandContext, typed: string): string | null {
  const all = [...new Set([...trackedLists(ctx.db), ...KNOWN_LISTS])];
  const want = typed.trim().toLowerCase();
  return all.find((l) => l.toLowerCase() === want) ?? null;
}

function targetOf(
  args: ParsedArgs,
  ctx: CommandContext,
): { ok: true; target: SubscriptionTarget } | { ok: false; error: string } {
  const flagged = ['all', 'list', 'source', 'case'].filter((f) => args.flags.has(f));
  if (flagged.length > 1 || (flagged.length === 1 && args.positional.length > 0))
    return { ok: false, error: 'give one of: a company name, --list, --source, --case or --all' };
  if (args.flags.has('court') && !args.flags.has('case'))
    return { ok: false, error: '--court goes with --case' };
  if (args.flags.has('case')) return caseTarget(args);
  if (args.flags.has('all')) return { ok: true, target: { kind: 'all' } };
  const list = args.flags.get('list');
  if (list !== undefined) {
    if (list === true) return { ok: false, error: '--list needs a list name' };
    const resolved = resolveList(ctx, list);
    if (!resolved)
      return {
        ok: false,
        error: `unknown list "${list}"; lists: ${[...new Set([...trackedLists(ctx.db), ...KNOWN_LISTS])].join(', ')}`,
      };
    return { ok: true, target: { kind: 'list', value: resolved } };
  }
  const source = args.flags.get('source');
  if (source !== undefined) {
    if (source === true) return { ok: false, error: '--source needs a source id' };
    if (!ctx.sources.some((s) => s.id === source))
      return {
        ok: false,
        error: `unknown source "${source}"; sources: ${ctx.sources.map((s) => s.id).join(', ')}`,
      };
    return { ok: true, target: { kind: 'source', value: source } };
  }
  const unknownFlag = [...args.flags.keys()][0];
  if (unknownFlag) return { ok: false, error: `unknown option --${unknownFlag}` };
  const q = queryOf(args);
  if (!q.ok) return q;
  const normalized = normalizeName(q.query);
  if (!normalized)
    return {
      ok: false,
      error: `"${q.query}" has no name to match: only legal forms such as Co., Ltd. or JSC, or punctuation`,
    };
  if (
    isGeneric(normalized) &&
    !normalized.includes(' ') &&
    !isSpecificIdentifier(identifierQuery(q.query))
  )
    return {
      ok: false,
      error: `"${q.query}" is too generic to follow: it would match every company with that word. Add the distinctive part of the name`,
    };
  return { ok: true, target: { kind: 'entity', value: q.query } };
}

/**
 * `--case 1:21-cv-00280 --court dcd`: the docket as PACER writes it; the court is optional. Or a
 * CourtListener docket's URL: its entries (webhook or feed) carry that docket's id, and a pushed
 * entry often carries no docket number at all.
 */
export function caseTarget(
  args: ParsedArgs,
): { ok: true; target: SubscriptionTarget } | { ok: false; error: string } {
  const typed = args.flags.get('case');
  if (typeof typed !== 'string')
    return {
      ok: false,
      error:
        '--case needs a docket number, e.g. 1:21-cv-00280 or 22-1406, or a CourtListener docket URL',
    };
  const cl = docketIdOf(typed) ?? /^courtlistener:(\d+)$/i.exec(typed.trim())?.[1] ?? null;
  if (cl) {
    if (args.flags.has('court'))
      return {
        ok: false,
        error: '--court does not go with a CourtListener docket: the docket names its court',
      };
    return { ok: true, target: { kind: 'case', value: `${CL_CASE}${cl}`, court: null } };
  }
  const docket = parseDocket(typed);
  if (!docket)
    return {
      ok: false,
      error: `"${typed.slice(0, 40)}" is not a docket number; write it as PACER does, e.g. 1:21-cv-00280 (district) or 22-1406 (appeals)`,
    };
  const court = args.flags.get('court');
  if (court === true) return { ok: false, error: '--court needs a court id, e.g. dcd' };
  if (court !== undefined && !/^[a-z0-9]{2,8}$/i.test(court))
    return {
      ok: false,
      error: `"${court.slice(0, 20)}" is not a court id; use PACER's, e.g. dcd, nysd, cadc`,
    };
  return {
    ok: true,
    target: { kind: 'case', value: docket.number, court: court?.toLowerCase() ?? null },
  };
}

export function subscribe(args: ParsedArgs, ctx: CommandContext): Reply {
  const t = targetOf(args, ctx);
  if (!t.ok) return usage('subscribe', `${USAGE} (${t.error})`);
  const at = (ctx.now?.() ?? new Date()).toISOString();
  // "Hesai" and "hesai" are one subscription, and so are "IMO 7406784" and "7406784".
  const target = t.target;
  const same =
    target.kind === 'entity'
      ? channelSubscriptions(ctx.db, ctx.channel).find(
          (s) =>
            s.target.kind === 'entity' &&
            (normalizeName(s.target.value) === normalizeName(target.value) ||
              sharesIdentifier(s.target.value, target.value)),
        )
      : undefined;
  const { subscription, existed } = same
    ? { subscription: same, existed: true }
    : addSubscription(ctx.db, ctx.channel, target, at);
  // Keyed now, not by the next poll: it routes the next change without work of its own.
  indexFollows(ctx.db);
  const what = describeTarget(subscription.target);
  let detail = '';
  const data: Record<string, unknown> = { subscription, existed };
  if (t.target.kind === 'entity') {
    // What a lookup of it would find, by identifier as well as by name: what the router will route.
    const groups = groupHits(ctx.db, queryHits(ctx, t.target.value).hits);
    const current = groups.filter((g) => g.listings.some((l) => !l.removedAt));
    detail =
      groups.length === 0
        ? ' Nothing on the tracked lists matches it yet: this channel will hear if it is listed.'
        : ` It matches ${groups.length} entit${groups.length === 1 ? 'y' : 'ies'} now (${current.length} currently listed): ${groups
            .slice(0, 3)
            .map((g) => g.listings[0]!.record.name)
            .join('; ')}${groups.length > 3 ? '; ...' : ''}.`;
    data.matches = groups.map((g) => g.listings[0]!.record.name);
  } else if (t.target.kind === 'case' && t.target.value.startsWith(CL_CASE)) {
    detail =
      ' Every new entry of it, from a courtlistener feed or the CourtListener webhook, will be posted here.';
  } else if (t.target.kind === 'case') {
    const seen = caseEntryCount(
      ctx.db,
      parseDocket(t.target.value)?.core ?? t.target.value,
      t.target.court,
    );
    detail = seen
      ? ` ${seen} entr${seen === 1 ? 'y' : 'ies'} of it ${seen === 1 ? 'is' : 'are'} already stored; every new entry will be posted here.`
      : ' No entry of it has been seen yet; every new entry will be posted here.';
    if (!ctx.sources.some((s) => s.kind === 'pacer' || s.kind === 'courtlistener'))
      detail +=
        ' Note: no court feed is configured (kind pacer or courtlistener), so no entry can arrive.';
  }
  return {
    verb: 'subscribe',
    ok: true,
    visibility: 'channel',
    summary: existed
      ? `This channel already follows ${what} (subscription #${subscription.id}).${detail}`
      : `This channel now follows ${what} (subscription #${subscription.id}).${detail}`,
    sections: [],
    data,
  };
}
