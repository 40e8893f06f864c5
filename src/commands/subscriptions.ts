// `subscriptions`: what this channel follows, with ids for unsubscribe.
import { channelPause, undeliverable } from '../../db/outbox.js';
import { channelSubscriptions } from '../../db/subscriptions.js';
import type { CommandContext } from './context.js';
import type { Reply } from './reply.js';
import { describeTarget } from './subscribe.js';

export function subscriptions(ctx: CommandContext, defaultChannels: string[] = []): Reply {
  const subs = channelSubscriptions(ctx.db, ctx.channel);
  const pause = channelPause(ctx.db, ctx.channel);
  const always = defaultChannels.includes(ctx.channel);
  const stuck = ctx.platforms ? undeliverable(ctx.db, ctx.platforms).find((u) => u.channel === ctx.channel) : undefined;
  const platform = ctx.channel.slice(0, ctx.channel.indexOf(':'));
  const lines = subs.map((s) => `#${s.id} ${describeTarget(s.target)} (since ${s.createdAt.slice(0, 10)})`);
  if (always) lines.unshift('every alert (set by the operator in SANCTIONS_RADAR_ALERT_CHANNELS)');
  return {
    verb: 'subscriptions', ok: true, visibility: 'private',
    summary: lines.length ? `This channel follows ${lines.length} thing${lines.length === 1 ? '' : 's'}.` : 'This channel follows nothing yet. Try /sanctions subscribe <company name>.',
    sections: lines.length ? [{ title: 'Subscriptions', fields: [], lines }] : [],
    footer: [
      pause ? `Deliveries to this channel are paused since ${pause.at.slice(0, 16)}: ${pause.reason}. Fix the cause (invite the bot, unarchive the channel): the channel is tried again every 30 minutes and resumes by itself.` : '',
      stuck ? `${stuck.pending} alert(s) wait for this channel since ${stuck.since.slice(0, 16)}: ${platform} is not configured where they are delivered from; configure it and they follow.` : '',
    ].filter(Boolean).join(' ') || undefined,
    data: { channel: ctx.channel, subscriptions: subs, paused: pause, receivesAll: always, undeliverable: stuck ?? null },
  };
}
