// Structured logs on stderr, so stdout stays free for alerts and --json output.
import { createRequire } from 'node:module';
import type { DestinationStream, LogFn, Logger as PinoLogger } from 'pino';

/** What the program logs through: pino's level methods and `child`, so a pino logger is one. */
export interface Logger {
  error: LogFn;
  warn: LogFn;
  info: LogFn;
  debug: LogFn;
  child(bindings: Record<string, unknown>): Logger;
}

const LEVELS: Record<string, number> = {
  trace: 10,
  debug: 20,
  info: 30,
  warn: 40,
  error: 50,
  fatal: 60,
  silent: Infinity,
};

// pino and its streams take ~35 ms to load, a sixth of a CLI call; a `lookup` or a quiet `poll`
// writes no line at all. So pino loads with the first line the level lets through.
const loadPino = (): typeof import('pino') =>
  createRequire(import.meta.url)('pino') as typeof import('pino');

function lazy(make: () => PinoLogger, threshold: number): Logger {
  let real: PinoLogger | undefined;
  const load = (): PinoLogger => (real ??= make());
  const at = (level: 'error' | 'warn' | 'info' | 'debug'): LogFn =>
    LEVELS[level]! < threshold
      ? () => {}
      : // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- tsc needs it: LogFn's overloads take no spread
        (...args: unknown[]) => (load()[level] as (...a: unknown[]) => void)(...args);
  return {
    error: at('error'),
    warn: at('warn'),
    info: at('info'),
    debug: at('debug'),
    child: (bindings) => lazy(() => load().child(bindings), threshold),
  };
}

/** `to` is for tests that read the lines; the program always writes to stderr. */
export function createLogger(level = 'info', to?: DestinationStream): Logger {
  const threshold = LEVELS[level];
  const make = (): PinoLogger => {
    const { pino } = loadPino();
    return pino(
      { level, base: { app: 'sanctions-radar' } },
      to ?? pino.destination({ fd: 2, sync: true }),
    );
  };
  // A level pino does not know fails now, as it always did, not at the first line.
  return threshold === undefined ? make() : lazy(make, threshold);
}

export const silentLogger: Logger = createLogger('silent');
