// `review`, `cleared` and `uncleared` in the chat: this channel's alerts still to decide, the
// entries it cleared as "not us", and undoing one (a decision of its own, by whoever asks).
import { randomUUID } from 'node:crypto';
import { standingClearances } from '../../db/clearances.js';
import { alertHeadline, alertSubject } from '../alerts/category.js';
import { reviewedAlerts, reviewLine, stillOpen, unclear, type FourEyes } from '../review/review.js';
import type { ParsedArgs } from './args.js';
import type { CommandContext } from './context.js';
import { usage, type Reply } from './reply.js';

/** Lines shown in the chat; the command line lists more. */
const SHOWN = 20;

export function reviewOpen(ctx: CommandContext, fourEyes: FourEyes = 'off'): Reply {
  const open: string[] = [];
  let total = 0;
  for (const r of reviewedAlerts(ctx.db, ctx.channel, fourEyes)) {
    if (!stillOpen(r.state)) continue;
    total++;
    if (open.length >= SHOWN) continue;
    const line = reviewLine(
      r.decisions,
      (d) => d.userName ?? d.userId,
      (t) => t,
      fourEyes,
    );
    open.push(
      `#${r.alertId} ${r.sentAt?.slice(0, 10) ?? ''} ${alertHeadline(r.alert)}: ${alertSubject(r.alert)}${line ? ` (${line})` : ''}`,
    );
  }
  const summary =
    total === 0
      ? 'Nothing to review here: every alert this channel received was acknowledged or cleared.'
      : `${total} alert${total === 1 ? '' : 's'} in this channel still to decide, oldest first`;
  return {
    verb: 'review',
    ok: true,
    visibility: 'private',
    summary,
    sections: total ? [{ title: 'Still to decide', fields: [], lines: open }] : [],
    ...(total > SHOWN
      ? {
          footer: `and ${total - SHOWN} more: sanctions-radar review --channel ${ctx.channel} lists them all`,
        }
      : {}),
    data: { open: total },
  };
}

export function clearedHere(ctx: CommandContext): Reply {
  const cs = standingClearances(ctx.db, ctx.channel);
  const lines = cs
    .slice(0, SHOWN)
    .map(
      (c) =>
        `#${c.id} ${c.entryName} (${c.list}) — cleared ${c.clearedAt.slice(0, 10)} by ${c.clearedBy}`,
    );
  return {
    verb: 'cleared',
    ok: true,
    visibility: 'private',
    summary: cs.length
      ? `${cs.length} listed entr${cs.length === 1 ? 'y' : 'ies'} cleared as "not us" here: their changes do not alert this channel while they stay the same entry`
      : 'Nothing is cleared as "not us" in this channel.',
    sections: cs.length ? [{ title: 'Cleared as not us', fields: [], lines }] : [],
    ...(cs.length > SHOWN ? { footer: `and ${cs.length - SHOWN} more` } : {}),
    data: {
      cleared: cs.map((c) => ({
        id: c.id,
        list: c.list,
        key: c.entryKey,
        name: c.entryName,
        clearedAt: c.clearedAt,
        clearedBy: c.clearedBy,
      })),
    },
  };
}

export function uncleared(
  args: ParsedArgs,
  ctx: CommandContext,
  user: { id: string; name: string | null },
): Reply {
  const id = Number((args.positional[0] ?? '').replace(/^#/, ''));
  if (!Number.isSafeInteger(id) || id <= 0 || args.positional.length !== 1)
    return usage('uncleared', 'Usage: /sanctions uncleared <id> (the number "cleared" lists)');
  if (!standingClearances(ctx.db, ctx.channel).some((c) => c.id === id))
    return usage('uncleared', `No clearance #${id} stands in this channel: "cleared" lists them.`);
  const r = unclear(
    ctx.db,
    id,
    { userId: user.id, userName: user.name },
    null,
    `chat:${randomUUID()}`,
    ctx.now?.(),
  );
  if (!r.ok) return usage('uncleared', r.error);
  return {
    verb: 'uncleared',
    ok: true,
    visibility: 'channel',
    summary: `${r.entry} alerts this channel again (clearance #${id} undone by ${user.name ?? user.id}).`,
    sections: [],
    data: { id },
  };
}
