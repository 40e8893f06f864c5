// One entry point for every platform: `/sanctions <verb> <args>` in, a Reply out, never a throw.
import { drain, paced, type Steps } from './steps.js';
import { tokenize, type ParsedArgs } from './args.js';
import type { CommandContext } from './context.js';
import { history } from './history.js';
import { portfolio } from './portfolio.js';
import { lookup } from './lookup.js';
import { usage, type Reply } from './reply.js';
import { sources } from './sources.js';
import { subscribe } from './subscribe.js';
import { subscriptions } from './subscriptions.js';
import { unsubscribe } from './unsubscribe.js';
import { clearedHere, reviewOpen, uncleared } from './review.js';
import { testAlert } from './test-alert.js';
import { doctorHere } from './doctor.js';
import type { FourEyes } from '../review/review.js';

export const VERBS = [
  'lookup',
  'subscribe',
  'unsubscribe',
  'subscriptions',
  'history',
  'portfolio',
  'sources',
  'review',
  'cleared',
  'uncleared',
  'test',
  'doctor',
  'help',
] as const;

export const HELP_LINES = [
  'lookup <company>  where a company (or an IMO, ISIN, SWIFT/BIC, LEI...) stands on every tracked list',
  'subscribe <company or identifier> | --list "<list>" | --source <id> | --case <docket or CourtListener docket URL> [--court <id>] | --all  follow changes in this channel',
  'unsubscribe <id | company | identifier> | --case <docket or CourtListener docket URL>  stop following',
  'subscriptions  what this channel follows, and where each followed company stands now',
  'history <company>  every change to a company across lists, and the court and agency entries naming it',
  "portfolio [add <ISIN | ticker EXCH | name> | remove <holding>]  this channel's holdings on the tracked lists, with the dates that bind",
  "sources [<source id>]  health of each list and feed; one source's latest changes",
  "review  this channel's alerts still to decide (acknowledge, not us, escalate), oldest first",
  'cleared  the listed entries this channel cleared as "not us"; uncleared <id> makes one alert here again',
  'test  a sample alert, marked as a test, to this channel: how alerts look here, and that they arrive',
  "doctor  the bot's health as it knows it: disk, each source's last poll, platforms, paused channels",
];

/** A command read once, so that who may run it is decided on exactly what will run. */
export type ParsedCommand =
  | { ok: true; verb: string; args: ParsedArgs; changesChannel: boolean }
  | { ok: false; verb: 'help'; error: string; changesChannel: false };

/**
 * Whether a command changes what a channel receives (subscribe, unsubscribe, portfolio add and
 * remove): platforms allow those only to people who may manage the channel. It reads the verb as
 * the switch below does, after quotes and invisible characters are gone.
 */
function changes(verb: string, args: ParsedArgs): boolean {
  const sub = args.positional[0]?.toLowerCase();
  // A test alert posts to the channel: for who may change what it receives, as a subscription is.
  return (
    verb === 'subscribe' ||
    verb === 'unsubscribe' ||
    verb === 'uncleared' ||
    verb === 'test' ||
    verb === 'doctor' ||
    (verb === 'portfolio' && (sub === 'add' || sub === 'remove'))
  );
}

export function parseCommand(text: string): ParsedCommand {
  const parsed = tokenize(text);
  if (!parsed.ok) return { ok: false, verb: 'help', error: parsed.error, changesChannel: false };
  const [verb, ...rest] = parsed.args.positional;
  const args = { positional: rest, flags: parsed.args.flags };
  const v = (verb ?? 'help').toLowerCase();
  return { ok: true, verb: v, args, changesChannel: changes(v, args) };
}

/**
 * What the person asking may do here. A platform says whether they may manage the channel (Slack:
 * admins and listed managers; Discord: Manage Channels in a server); the runner refuses a command
 * that changes the channel otherwise, with the platform's own words for why.
 */
export interface Access {
  mayChangeChannel: boolean;
  refusal?: string;
  /** Who is asking, as the platform names them (kept with what they decide). */
  user?: { id: string; name: string | null };
}

/** The operator at the command line: the database is theirs. */
export const OPERATOR: Access = { mayChangeChannel: true };

const DEFAULT_REFUSAL =
  'You may not change what this channel follows here; lookup, history and sources are open to everyone.';

function help(): Reply {
  return {
    verb: 'help',
    ok: true,
    visibility: 'private',
    summary: 'sanctions-radar commands',
    sections: [{ title: '/sanctions', fields: [], lines: HELP_LINES }],
    data: { verbs: VERBS },
  };
}

export interface RunOptions {
  /** Channels the operator set to receive every alert (shown by `subscriptions`). */
  defaultChannels?: string[];
  onError?: (err: unknown) => void;
  /** Who is asking; the operator when not given (the CLI, tests of the core). */
  access?: Access;
  /** Four eyes on decisions (SANCTIONS_RADAR_FOUR_EYES), for what `review` counts as decided. */
  fourEyes?: FourEyes;
}

/** Runs a command at once (the command line, tests). */
export function runCommand(
  input: string | ParsedCommand,
  ctx: CommandContext,
  opts: RunOptions = {},
): Reply {
  const steps = commandSteps(input, ctx, opts);
  try {
    return drain(steps.steps);
  } catch (err) {
    return failed(steps.verb, err, opts);
  }
}

/** Runs a command with a turn of the event loop between its steps (the daemon). */
export async function runCommandPaced(
  input: string | ParsedCommand,
  ctx: CommandContext,
  opts: RunOptions = {},
): Promise<Reply> {
  const steps = commandSteps(input, ctx, opts);
  try {
    return await paced(steps.steps);
  } catch (err) {
    return failed(steps.verb, err, opts);
  }
}

function failed(verb: string, err: unknown, opts: RunOptions): Reply {
  opts.onError?.(err);
  return usage(verb, 'Something went wrong on our side; the error was logged. Please try again.');
}

function commandSteps(
  input: string | ParsedCommand,
  ctx: CommandContext,
  opts: RunOptions,
): { verb: string; steps: Steps<Reply> } {
  const cmd = typeof input === 'string' ? parseCommand(input) : input;
  // Every verb but portfolio is one step (tens of milliseconds at most).
  const answer = (verb: string, reply: () => Reply) => ({
    verb,
    // eslint-disable-next-line require-yield
    steps: (function* (): Steps<Reply> {
      return reply();
    })(),
  });
  if (!cmd.ok)
    return answer('help', () =>
      usage('help', `Usage: /sanctions <${VERBS.join('|')}> ... (${cmd.error})`),
    );
  const access = opts.access ?? OPERATOR;
  if (cmd.changesChannel && !access.mayChangeChannel)
    return answer(cmd.verb, () => usage(cmd.verb, access.refusal ?? DEFAULT_REFUSAL));
  const { verb, args } = cmd;
  switch (verb) {
    case 'lookup':
      return answer(verb, () => lookup(args, ctx));
    case 'subscribe':
      return answer(verb, () => subscribe(args, ctx));
    case 'unsubscribe':
      return answer(verb, () => unsubscribe(args, ctx));
    case 'subscriptions':
      return answer(verb, () => subscriptions(ctx, opts.defaultChannels));
    case 'history':
      return answer(verb, () => history(args, ctx));
    case 'portfolio':
      return { verb, steps: portfolio(args, ctx) };
    case 'sources':
      return answer(verb, () => sources(args, ctx));
    case 'review':
      return answer(verb, () => reviewOpen(ctx, opts.fourEyes));
    case 'cleared':
      return answer(verb, () => clearedHere(ctx));
    case 'uncleared':
      return answer(verb, () =>
        uncleared(args, ctx, access.user ?? { id: 'operator', name: 'operator' }),
      );
    case 'test':
      return answer(verb, () => testAlert(ctx));
    case 'doctor':
      return answer(verb, () => doctorHere(ctx));
    case 'help':
      return answer(verb, help);
    default:
      return answer('help', () =>
        usage(
          'help',
          `Unknown command "${verb.slice(0, 40)}". Usage: /sanctions <${VERBS.join('|')}> ...`,
        ),
      );
  }
}
