// Structured logs on stderr, so stdout stays free for alerts and --json output.
import { pino, type Logger } from 'pino';

export type { Logger };

export function createLogger(level = 'info'): Logger {
  return pino({ level, base: { app: 'sanctions-radar' } }, pino.destination({ fd: 2, sync: true }));
}

export const silentLogger: Logger = pino({ level: 'silent' });
