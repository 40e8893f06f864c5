// One entry point for every platform: `/sanctions <verb> <args>` in, a Reply out, never a throw.
import { tokenize } from './args.js';
import type { CommandContext } from './context.js';
import { history } from './history.js';
import { portfolio } from './portfolio.js';
import { lookup } from './lookup.js';
import { usage, type Reply } from './reply.js';
import { sources } from './sources.js';
import { subscribe } from './subscribe.js';
import { subscriptions } from './subscriptions.js';
import { unsubscribe } from './unsubscribe.js';

export const VERBS = ['lookup', 'subscribe', 'unsubscribe', 'subscriptions', 'history', 'portfolio', 'sources', 'help'] as const;

export const HELP_LINES = [
  'lookup <company>  where a company (or an IMO, ISIN, SWIFT/BIC, LEI...) stands on every tracked list',
  'subscribe <company or identifier> | --list "<list>" | --source <id> | --case <docket> [--court <id>] | --all  follow changes in this channel',
  'unsubscribe <id | company | identifier> | --case <docket>  stop following',
  'subscriptions  what this channel follows, and where each followed company stands now',
  'history <company>  every change to a company across lists, and the court and agency entries naming it',
  'portfolio [add <ISIN | ticker EXCH | name> | remove <holding>]  this channel\'s holdings on the tracked lists, with the dates that bind',
  'sources [<source id>]  health of each list and feed; one source\'s latest changes',
];

/**
 * Whether a command changes what a channel receives (subscribe, unsubscribe, portfolio add and
 * remove): platforms allow those only to people who may manage the channel.
 */
export function changesChannel(text: string): boolean {
  const [verb = '', sub = ''] = text.trim().toLowerCase().split(/\s+/);
  return verb === 'subscribe' || verb === 'unsubscribe' || (verb === 'portfolio' && (sub === 'add' || sub === 'remove'));
}

function help(): Reply {
  return { verb: 'help', ok: true, visibility: 'private', summary: 'sanctions-radar commands', sections: [{ title: '/sanctions', fields: [], lines: HELP_LINES }], data: { verbs: VERBS } };
}

export interface RunOptions {
  /** Channels the operator set to receive every alert (shown by `subscriptions`). */
  defaultChannels?: string[];
  onError?: (err: unknown) => void;
}

export function runCommand(text: string, ctx: CommandContext, opts: RunOptions = {}): Reply {
  const parsed = tokenize(text);
  if (!parsed.ok) return usage('help', `Usage: /sanctions <${VERBS.join('|')}> ... (${parsed.error})`);
  const [verb, ...rest] = parsed.args.positional;
  const args = { positional: rest, flags: parsed.args.flags };
  try {
    switch ((verb ?? 'help').toLowerCase()) {
      case 'lookup': return lookup(args, ctx);
      case 'subscribe': return subscribe(args, ctx);
      case 'unsubscribe': return unsubscribe(args, ctx);
      case 'subscriptions': return subscriptions(ctx, opts.defaultChannels);
      case 'history': return history(args, ctx);
      case 'portfolio': return portfolio(args, ctx);
      case 'sources': return sources(args, ctx);
      case 'help': return help();
      default: return usage('help', `Unknown command "${verb!.slice(0, 40)}". Usage: /sanctions <${VERBS.join('|')}> ...`);
    }
  } catch (err) {
    opts.onError?.(err);
    return usage(verb ?? 'help', 'Something went wrong on our side; the error was logged. Please try again.');
  }
}
