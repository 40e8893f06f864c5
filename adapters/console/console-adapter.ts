// The adapter that needs no token: alerts as readable lines (or JSON lines) on stdout. A console
// delivery is confirmed only once its line has left the process (the write's callback): into a
// slow pipe Node queues lines in memory, and a `poll` killed then would lose lines it had marked
// sent. One killed before a line left prints it on its next run, marked as redelivered.
import { alertJson, formatAlertText } from '../../src/alerts/format-text.js';
import { cleanDeep, cleanText } from '../../src/text/clean.js';
import type {
  Adapter,
  AdapterFactory,
  DeliveryItem,
  DeliveryProgress,
} from '../../src/delivery/adapter.js';

export interface ConsoleAdapterOptions {
  json: boolean;
  /**
   * `poll` prints each alert once, in the CLI contract's shape, however many console channels
   * it is routed to; `start` prints one line per channel, saying which.
   */
  mode: 'poll' | 'start';
  /** Resolves once the line has left the process. */
  write?: (line: string) => Promise<void>;
}

/**
 * Lines to stdout. A reader that goes away (`poll --json | head -1`) makes every later write fail
 * with EPIPE, and an unhandled 'error' event would end the process with a stack trace: the error
 * is taken here, and what was not printed waits in the outbox.
 */
let stdoutClosed: Error | null = null;
let watching = false;
function writeStdout(line: string): Promise<void> {
  if (stdoutClosed) return Promise.reject(stdoutClosed);
  if (!watching) {
    watching = true;
    process.stdout.on('error', (err: Error) => {
      stdoutClosed = err;
    });
  }
  return new Promise((resolve, reject) => {
    process.stdout.write(`${line}\n`, (err) => {
      if (err) stdoutClosed = err;
      return err ? reject(err) : resolve();
    });
  });
}

/** A closed stdout does not reopen within a run: try again in a minute (the next `poll`, or the daemon). */
const STDOUT_RETRY_MS = 60_000;

export function createConsoleAdapter(opts: ConsoleAdapterOptions): Adapter {
  const write = opts.write ?? writeStdout;
  /** In `poll`, each alert's one line, once written or while it is being written. */
  const printed = new Map<number, Promise<void>>();
  return {
    platform: 'console',
    everyChange: opts.json,
    async deliver(channelId: string, items: DeliveryItem[], progress?: DeliveryProgress) {
      for (const [n, { alert: a, reason, redelivered }] of items.entries()) {
        let written = opts.mode === 'poll' ? printed.get(a.id) : undefined;
        if (!written) {
          const again = redelivered ? { redelivered: true } : {};
          const line = opts.json
            ? JSON.stringify(
                cleanDeep(
                  opts.mode === 'poll'
                    ? { ...alertJson(a), ...again }
                    : { ...alertJson(a), deliveredTo: `console:${channelId}`, reason, ...again },
                ),
              )
            : cleanText(`${redelivered ? '(redelivered) ' : ''}${formatAlertText(a)}`);
          written = write(line);
          if (opts.mode === 'poll') printed.set(a.id, written);
        }
        try {
          await written;
        } catch (err) {
          // stdout closed (EPIPE: the reader went away): these alerts wait for the next run.
          printed.delete(a.id);
          return {
            ok: false,
            kind: 'retry',
            error: `stdout closed (${(err as Error).message}): the alerts wait in the outbox`,
            retryAfterMs: STDOUT_RETRY_MS,
            delivered: n,
          };
        }
        progress?.({ delivered: n + 1 });
      }
      return { ok: true };
    },
  };
}

export const consoleAdapterFactory: AdapterFactory = {
  platform: 'console',
  fromEnv: (ctx) => createConsoleAdapter({ json: ctx.json, mode: ctx.mode }),
};
