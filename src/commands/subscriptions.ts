// `subscriptions`: what this channel follows, with ids for unsubscribe, and where each followed
// company stands today: a channel that follows fifty names sees at a glance which are listed.
import { channelPause, undeliverable } from '../../db/outbox.js';
import { channelSubscriptions } from '../../db/subscriptions.js';
import type { Subscription } from '../domain.js';
import type { CommandContext } from './context.js';
import { groupHits } from './entities.js';
import { asOfClause, listScope, notCurrentSection } from './freshness.js';
import { queryHits } from './identifier-hits.js';
import type { Reply } from './reply.js';
import { describeTarget } from './subscribe.js';

/** Companies whose standing is looked up; past it, `lookup` tells (about 1 ms each). */
const MAX_STANDINGS = 100;
/** Entities named on a standing line; the rest are counted. */
const NAMED = 2;

/** Where a followed company stands: the entities its name or identifier matches, listed now or formerly. */
export interface Standing {
  listed: { name: string; lists: string[] }[];
  formerly: { name: string; lists: string[] }[];
}

function standingOf(ctx: CommandContext, value: string): Standing {
  const groups = groupHits(ctx.db, queryHits(ctx, value).hits);
  const out: Standing = { listed: [], formerly: [] };
  for (const g of groups) {
    const name = g.listings[0]!.record.name;
    const current = [...new Set(g.listings.filter((l) => !l.removedAt).map((l) => l.record.list))];
    if (current.length) out.listed.push({ name, lists: current });
    else out.formerly.push({ name, lists: [...new Set(g.listings.map((l) => l.record.list))] });
  }
  return out;
}

function standingText(s: Standing): string {
  const names = (xs: Standing['listed']) =>
    `${xs
      .slice(0, NAMED)
      .map((x) => `${x.name} (${x.lists.join(', ')})`)
      .join('; ')}${xs.length > NAMED ? `; and ${xs.length - NAMED} more` : ''}`;
  if (s.listed.length) return `listed now: ${names(s.listed)}`;
  if (s.formerly.length) return `on no list now; formerly ${names(s.formerly)}`;
  return 'on no tracked list';
}

function line(s: Subscription, standing: Standing | undefined): string {
  const head = `#${s.id} ${describeTarget(s.target)} (since ${s.createdAt.slice(0, 10)})`;
  return standing ? `${head} — ${standingText(standing)}` : head;
}

export function subscriptions(ctx: CommandContext, defaultChannels: string[] = []): Reply {
  const subs = channelSubscriptions(ctx.db, ctx.channel);
  const pause = channelPause(ctx.db, ctx.channel);
  const always = defaultChannels.includes(ctx.channel);
  const stuck = ctx.platforms
    ? undeliverable(ctx.db, ctx.platforms).find((u) => u.channel === ctx.channel)
    : undefined;
  const platform = ctx.channel.slice(0, ctx.channel.indexOf(':'));
  const { lists, freshness } = listScope(ctx);
  const standings = new Map<number, Standing>();
  for (const s of subs) {
    if (s.target.kind !== 'entity' || standings.size >= MAX_STANDINGS || lists.length === 0)
      continue;
    standings.set(s.id, standingOf(ctx, s.target.value));
  }
  const lines = subs.map((s) => line(s, standings.get(s.id)));
  if (always) lines.unshift('every alert (set by the operator in SANCTIONS_RADAR_ALERT_CHANNELS)');
  const listedNow = [...standings.values()].filter((s) => s.listed.length).length;
  const followed = subs.filter((s) => s.target.kind === 'entity').length;
  const standingClause = standings.size
    ? ` Listed now: ${listedNow} of ${standings.size} followed compan${standings.size === 1 ? 'y' : 'ies'}${followed > standings.size ? ` (the first ${standings.size} of ${followed}; lookup tells the rest)` : ''}${asOfClause(freshness)}.`
    : '';
  return {
    verb: 'subscriptions',
    ok: true,
    visibility: 'private',
    summary: lines.length
      ? `This channel follows ${lines.length} thing${lines.length === 1 ? '' : 's'}.${standingClause}`
      : 'This channel follows nothing yet. Try /sanctions subscribe <company name>.',
    sections: [
      ...(standings.size ? notCurrentSection(freshness) : []),
      ...(lines.length ? [{ title: 'Subscriptions', fields: [], lines }] : []),
    ],
    footer:
      [
        pause
          ? `Deliveries to this channel are paused since ${pause.at.slice(0, 16)}: ${pause.reason}. Fix the cause (invite the bot, unarchive the channel): the channel is tried again every 30 minutes and resumes by itself.`
          : '',
        stuck
          ? `${stuck.pending} alert(s) wait for this channel since ${stuck.since.slice(0, 16)}: ${platform} is not configured where they are delivered from; configure it and they follow.`
          : '',
      ]
        .filter(Boolean)
        .join(' ') || undefined,
    data: {
      channel: ctx.channel,
      subscriptions: subs.map((s) =>
        standings.has(s.id) ? { ...s, standing: standings.get(s.id) } : s,
      ),
      paused: pause,
      receivesAll: always,
      undeliverable: stuck ?? null,
    },
  };
}
