// The one interface every platform implements. The core defines it; adapters/ implement it and
// are handed to the core by the composition root (bin/), so the core never imports an adapter.
import type { Alert } from '../domain.js';
import type { Logger } from '../log.js';
import type { Settings } from '../config/settings.js';

/** What became of one send; the dispatcher, not the platform client, owns retries. */
export type SendOutcome =
  | { ok: true; messageId?: string }
  /** Try again later: rate limit (with the platform's wait) or a passing error. */
  | { ok: false; kind: 'retry'; error: string; retryAfterMs?: number }
  /** The channel cannot take messages (bot removed, archived, no permission): pause it. */
  | { ok: false; kind: 'pause'; error: string }
  /** This message can never be delivered (rejected payload): give up on it. */
  | { ok: false; kind: 'fail'; error: string };

export interface Adapter {
  /** Channel prefix this adapter serves: "console", "slack", "discord". */
  readonly platform: string;
  start?(): Promise<void>;
  stop?(): Promise<void>;
  /**
   * Sends the alerts due for one channel, oldest first; several alerts may become one digest.
   * One outcome for the batch: it was delivered as a whole or not at all.
   */
  deliver(channelId: string, alerts: Alert[]): Promise<SendOutcome>;
}

export interface AdapterContext {
  env: NodeJS.ProcessEnv;
  settings: Settings;
  log: Logger;
  /** How the process runs: a one-shot `poll` or the `start` daemon. */
  mode: 'poll' | 'start';
  /** Console output format chosen on the command line. */
  json: boolean;
}

export interface AdapterFactory {
  platform: string;
  /** Returns null when the platform is not configured (no token): not an error. Throws ConfigError for a bad token. */
  fromEnv(ctx: AdapterContext): Adapter | null;
}
