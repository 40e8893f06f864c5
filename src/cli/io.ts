// What a CLI command may touch, so tests can run commands in-process.
import { existsSync } from 'node:fs';
import type { AdapterFactory } from '../delivery/adapter.js';

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
}

export function resolveIo(d: CliDeps): CliIo {
  return {
    adapterFactories: d.adapterFactories,
    env: d.env ?? process.env,
    out: d.out ?? ((l) => process.stdout.write(`${l}\n`)),
    err: d.err ?? ((l) => process.stderr.write(`${l}\n`)),
  };
}

export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * A database a command reads must exist: a mistyped --db would otherwise be created empty and
 * answer a lookup "not on any of the 0 tracked lists" with success.
 */
export function existingDatabase(path: string): string {
  if (path !== ':memory:' && !existsSync(path)) throw new UsageError(`no database at ${path}: run \`sanctions-radar poll\` or \`start\` first, or give --db FILE`);
  return path;
}
