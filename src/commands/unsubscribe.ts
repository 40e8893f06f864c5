// `unsubscribe <id|name>` (also --list, --source, --all): stop following something.
import { channelSubscriptions, removeSubscription } from '../../db/subscriptions.js';
import type { Subscription } from '../domain.js';
import { normalizeName } from '../names/normalize.js';
import { sharesIdentifier } from '../portfolio/identifier-query.js';
import { queryOf, type ParsedArgs } from './args.js';
import type { CommandContext } from './context.js';
import { usage, type Reply } from './reply.js';
import { caseTarget, describeTarget } from './subscribe.js';

const USAGE =
  'Usage: /sanctions unsubscribe <subscription id | company name | identifier> | --list "<list>" | --source <id> | --case <docket> [--court <id>] | --all';

function pick(args: ParsedArgs, subs: Subscription[]): Subscription[] | string {
  if (args.flags.has('all')) return subs.filter((s) => s.target.kind === 'all');
  const list = args.flags.get('list');
  if (typeof list === 'string')
    return subs.filter(
      (s) => s.target.kind === 'list' && s.target.value.toLowerCase() === list.trim().toLowerCase(),
    );
  const source = args.flags.get('source');
  if (typeof source === 'string')
    return subs.filter((s) => s.target.kind === 'source' && s.target.value === source);
  if (args.flags.has('case')) {
    const t = caseTarget(args);
    if (!t.ok) return t.error;
    const want = t.target;
    if (want.kind !== 'case') return 'not a case';
    // Without --court, every follow of that docket in this channel ends.
    return subs.filter(
      (s) =>
        s.target.kind === 'case' &&
        s.target.value === want.value &&
        (want.court === null || s.target.court === want.court),
    );
  }
  if (args.flags.size > 0) return `unknown or empty option --${[...args.flags.keys()][0]}`;
  const q = queryOf(args);
  if (!q.ok) return q.error;
  const n = normalizeName(q.query);
  const id = /^(#)?(\d+)$/.exec(q.query);
  if (id?.[1]) return subs.filter((s) => s.id === Number(id[2]));
  const named = subs.filter(
    (s) => s.target.kind === 'entity' && normalizeName(s.target.value) === n,
  );
  // An identifier typed another way than it was followed ("111601632100" for "Tax ID No. 111 601 632 100").
  const sameIdentifier = named.length
    ? named
    : subs.filter((s) => s.target.kind === 'entity' && sharesIdentifier(s.target.value, q.query));
  // A bare number is the identifier a channel follows ("unsubscribe 9187629") if it follows one so, else an id.
  if (id && sameIdentifier.length === 0) return subs.filter((s) => s.id === Number(id[2]));
  return sameIdentifier;
}

export function unsubscribe(args: ParsedArgs, ctx: CommandContext): Reply {
  const subs = channelSubscriptions(ctx.db, ctx.channel);
  const chosen = pick(args, subs);
  if (typeof chosen === 'string') return usage('unsubscribe', `${USAGE} (${chosen})`);
  if (chosen.length === 0) {
    return usage(
      'unsubscribe',
      `This channel has no such subscription. ${subs.length ? `Its subscriptions: ${subs.map((s) => `#${s.id} ${describeTarget(s.target)}`).join(', ')}` : 'It has none.'}`,
    );
  }
  for (const s of chosen) removeSubscription(ctx.db, ctx.channel, s.id);
  return {
    verb: 'unsubscribe',
    ok: true,
    visibility: 'channel',
    summary: `This channel no longer follows ${chosen.map((s) => `${describeTarget(s.target)} (#${s.id})`).join(', ')}.`,
    sections: [],
    data: { removed: chosen },
  };
}
