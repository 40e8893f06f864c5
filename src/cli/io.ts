// What a CLI command may touch, so tests can run commands in-process.
import { existsSync } from 'node:fs';
import type { AdapterFactory } from '../delivery/adapter.js';
import { CHANNEL } from '../delivery/platforms.js';

export interface CliDeps {
  adapterFactories: AdapterFactory[];
  env?: NodeJS.ProcessEnv;
  out?: (line: string) => void;
  err?: (line: string) => void;
}

export interface CliIo {
  adapterFactories: AdapterFactory[];
  env: NodeJS.ProcessEnv;
  out: (line: string) => void;
  err: (line: string) => void;
  /**
   * Resolves once what `out` wrote has been taken by the reader. A long output waits for it now
   * and then: into a pipe, stdout queues in memory what the reader has not taken (a year's audit
   * held 990 MB that way).
   */
  drained: () => Promise<void>;
}

export function resolveIo(d: CliDeps): CliIo {
  return {
    adapterFactories: d.adapterFactories,
    env: d.env ?? process.env,
    out: d.out ?? ((l) => process.stdout.write(`${l}\n`)),
    err: d.err ?? ((l) => process.stderr.write(`${l}\n`)),
    drained: () =>
      !d.out && process.stdout.writableNeedDrain
        ? new Promise((resolve) => process.stdout.once('drain', resolve))
        : Promise.resolve(),
  };
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/** The channel a command names with --channel, checked: a known platform and a plain id. */
export function channelOf(io: CliIo, raw: string | undefined): string {
  const ch = raw ?? 'console:default';
  const platform = CHANNEL.exec(ch)?.[1];
  const known = io.adapterFactories.map((f) => f.platform);
  if (!platform || !known.includes(platform)) {
    const shown = JSON.stringify(ch.slice(0, 100)).slice(1, -1);
    throw new UsageError(
      `--channel "${shown}" is not a channel; use ${known.map((p) => `${p}:<${p === 'console' ? 'name' : p === 'email' ? 'address' : 'channel id'}>`).join(', ')}`,
    );
  }
  const bad = io.adapterFactories
    .find((f) => f.platform === platform)
    ?.checkChannel?.(ch.slice(platform.length + 1));
  if (bad) throw new UsageError(`--channel ${ch}: ${bad}`);
  return ch;
}

/**
 * A database a command reads must exist: a mistyped --db would otherwise be created empty and
 * answer a lookup "not on any of the 0 tracked lists" with success.
 */
export function existingDatabase(path: string): string {
  if (path !== ':memory:' && !existsSync(path))
    throw new UsageError(
      `no database at ${path}: run \`sanctions-radar poll\` or \`start\` first, or give --db FILE`,
    );
  return path;
}
