// Structured logs on stderr, so stdout stays free for alerts and --json output.
import { pino, type Logger } from 'pino';

export type { Logger };

/** `to` is for tests that read the lines; the program always writes to stderr. */
export function createLogger(level = 'info', to: pino.DestinationStream = pino.destination({ fd: 2, sync: true })): Logger {
  return pino({ level, base: { app: 'sanctions-radar' } }, to);
}

export const silentLogger: Logger = pino({ level: 'silent' });
