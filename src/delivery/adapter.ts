// The one interface every platform implements. The core defines it; adapters/ implement it and
// are handed to the core by the composition root (bin/), so the core never imports an adapter.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from '../commands/reply.js';
import type { Access, ParsedCommand } from '../commands/run.js';
import type { Alert } from '../domain.js';
import type { Logger } from '../log.js';
import type { ReviewRunner } from '../review/review.js';
import type { Settings } from '../config/settings.js';
import type { DoctorCheck } from '../doctor/check.js';

/** What became of one send; the dispatcher, not the platform client, owns retries. */
export type SendOutcome =
  | { ok: true; messageId?: string }
  /** Try again later: rate limit (with the platform's wait) or a passing error. */
  /** `paced`: the platform was not asked; its rate would refuse a message this soon (no warning). */
  | ({
      ok: false;
      kind: 'retry';
      error: string;
      retryAfterMs?: number;
      paced?: boolean;
    } & PartialSend)
  /** The channel cannot take messages (bot removed, archived, no permission): pause it. */
  | ({ ok: false; kind: 'pause'; error: string } & PartialSend)
  /** This message can never be delivered (rejected payload): give up on it. */
  | ({ ok: false; kind: 'fail'; error: string } & PartialSend);

/** What a failed send got done before it failed. */
interface PartialSend {
  /** How many of the batch's leading alerts went out, so that a retry does not post them twice. */
  delivered?: number;
  /** The batch's digest was posted: the alerts not delivered go into this thread when tried again. */
  thread?: string;
}

export interface Adapter {
  /** Channel prefix this adapter serves: "console", "slack", "discord". */
  readonly platform: string;
  start?(): Promise<void>;
  stop?(): Promise<void>;
  /**
   * The platform's channels are read by machines (`--json` output, webhooks): they take every
   * change of a large list update as its own alert, not the changeset a person reads.
   */
  readonly everyChange?: boolean;
  /** The platform takes files: a changeset comes with its whole change list as a CSV (`changeset.file`). */
  readonly takesFiles?: boolean;
  /**
   * `sanctions-radar doctor`: the platform's token, what it was granted, and whether the bot can
   * reach each of these channels (ids without the platform prefix).
   */
  doctor?(channels: string[]): Promise<DoctorCheck[]>;
  /** Platforms that need their slash command registered (Discord): do it, say what was done. */
  registerCommands?(): Promise<string>;
  /**
   * Sends the alerts due for one channel, oldest first; several alerts may become one digest.
   * One outcome for the batch: it was delivered as a whole or not at all.
   */
  deliver(
    channelId: string,
    items: DeliveryItem[],
    progress?: DeliveryProgress,
  ): Promise<SendOutcome>;
}

/**
 * Called by an adapter after each message it posts: the batch's first `delivered` alerts are out,
 * and (Slack) the digest's thread. The dispatcher records it at once, so a crash mid-batch
 * repeats at most the message in flight.
 */
export type DeliveryProgress = (p: {
  delivered: number;
  thread?: string;
  messageId?: string;
}) => void;

/** An alert on its way to one channel, with why that channel gets it. */
export interface DeliveryItem {
  alert: Alert;
  reason: string | null;
  /** Left undelivered by an earlier process (a crash, a stop): said so where it shows. */
  redelivered?: boolean;
  /**
   * The batch's digest is already posted: this is one of its details (Slack: the digest's thread
   * ts, where it is posted; Discord: the digest's message, so no second digest is made).
   */
  thread?: string;
  /** A `changeset.file`: its CSV, and the platform message of its changeset, to put it under (when known). */
  file?: { name: string; content: Buffer; replyTo: string | null };
}

/** Routes on the daemon's one HTTP port, for platforms that call us (Slack, Discord interactions). */
export interface HttpRoutes {
  route(
    method: string,
    path: string,
    handler: (req: IncomingMessage, res: ServerResponse) => void | Promise<void>,
  ): void;
}

export interface AdapterContext {
  env: NodeJS.ProcessEnv;
  settings: Settings;
  log: Logger;
  /** How the process runs: a one-shot `poll` or the `start` daemon. */
  mode: 'poll' | 'start';
  /** Console output format chosen on the command line. */
  json: boolean;
  /** In `start` mode: the HTTP port's routes, and the command core for slash commands. */
  http?: HttpRoutes;
  commands?: CommandRunner;
  /** In `start` mode: records a decision made on an alert with the platform's buttons. */
  review?: ReviewRunner;
  /** Company names for autocomplete, from the same name index as lookups. */
  suggest?: (partial: string) => string[];
  /** A platform says it cannot connect (reason) or connects again (null); /healthz shows it. */
  reportHealth?: (platform: string, problem: string | null) => void;
}

/**
 * Runs a `/sanctions` command, read once with parseCommand, for a channel ("slack:C123") and
 * returns the neutral Reply. The platform says who is asking: a command that changes the channel
 * runs only with `mayChangeChannel`, so permission is decided on the command that runs.
 */
/** The daemon's runs each command in a turn of its own (src/commands/queue.ts); tests may answer at once. */
export type CommandRunner = (
  command: ParsedCommand,
  channel: string,
  access: Access,
) => Reply | Promise<Reply>;

export interface AdapterFactory {
  platform: string;
  /** What an operator sets to enable the platform ("SLACK_BOT_TOKEN"), for error messages. */
  enabledBy?: string;
  /** Whether the environment configures it, when that is more than `enabledBy` being set (webhooks: any of several variables). */
  configured?(env: NodeJS.ProcessEnv): boolean;
  /** What is wrong with a channel id of this platform (an email address that does not parse); null when nothing is. */
  checkChannel?(id: string): string | null;
  /**
   * Returns null when the platform is not configured (no token): not an error. Throws ConfigError
   * for a bad token. May load the platform's SDK, which is why it is asynchronous.
   */
  fromEnv(ctx: AdapterContext): Adapter | null | Promise<Adapter | null>;
}
