// A command timed as the user waits for it: its own process, start-up included, with its peak RSS
// (the child writes its own when it exits: spawnSync does not report it). Figures are the median
// of several runs with their range, each as a ratio to `node -e 0` and to the previous release
// measured in the same run, so a slower machine moves all of them.
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  fsyncSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { Release } from './previous-release.js';

export interface Figure {
  ms: number;
  min: number;
  max: number;
  rssMb: number;
}

export class WholeProcess {
  private readonly dir = mkdtempSync(join(tmpdir(), 'sr-bench-process-'));
  private readonly rssFile = join(this.dir, 'rss');
  private readonly reporter = join(this.dir, 'rss.mjs');

  constructor() {
    writeFileSync(
      this.reporter,
      `import { appendFileSync } from 'node:fs';\nprocess.on('exit', () => appendFileSync(${JSON.stringify(this.rssFile)}, process.resourceUsage().maxRSS + '\\n'));\n`,
    );
  }

  /**
   * One run of `node ARGS` in a bare environment (the default log level, as a user runs it), with
   * what it wrote (both streams; cron would send them to a log); stderr is shown when it fails.
   */
  run(args: string[], env: NodeJS.ProcessEnv = {}): { ms: number; rssMb: number; output: string } {
    rmSync(this.rssFile, { force: true });
    const t = performance.now();
    const r = spawnSync(
      process.execPath,
      ['--import', pathToFileURL(this.reporter).href, ...args],
      {
        env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
        encoding: 'utf8',
        maxBuffer: 256 * 1024 * 1024,
      },
    );
    const ms = performance.now() - t;
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    return {
      ms,
      rssMb: Number(readFileSync(this.rssFile, 'utf8').trim()) / 1024,
      output: r.stdout + r.stderr,
    };
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The median of runs, with their range and median peak RSS. */
export function figureOf(runs: { ms: number; rssMb?: number }[]): Figure {
  const ms = runs.map((r) => r.ms);
  return {
    ms: median(ms),
    min: Math.min(...ms),
    max: Math.max(...ms),
    rssMb: median(runs.map((r) => r.rssMb ?? 0)),
  };
}

export const range = (f: Figure) =>
  `${f.ms.toFixed(0)} ms (${f.min.toFixed(0)}–${f.max.toFixed(0)})`;

/** "= 3.1× node, 0.98× the previous release (412 ms (398–430))", or what is missing. */
export function ratios(f: Figure, node: Figure, previous: Figure | string | undefined): string {
  const before =
    previous === undefined
      ? ''
      : typeof previous === 'string'
        ? `; previous release: ${previous}`
        : `, ${(f.ms / previous.ms).toFixed(2)}× the previous release (${range(previous)})`;
  return `= ${(f.ms / node.ms).toFixed(1)}× node${before}`;
}

export type Run = { ms: number; rssMb: number; output: string };

/**
 * A fresh copy of a database, as each measured process finds it, on disk before it is measured
 * (the first commit would otherwise flush the just-copied file: 60 ms for 108 MB).
 */
export function freshCopy(from: string, to: string): string {
  for (const f of [to, `${to}-wal`, `${to}-shm`]) rmSync(f, { force: true });
  copyFileSync(from, to);
  const fd = openSync(to, 'r+');
  fsyncSync(fd);
  closeSync(fd);
  return to;
}

/**
 * One figure taken of this build and of the previous release in turn, so that both see the same
 * machine. The previous release's runs stop at its first failure (a schema it does not know, a
 * verb it lacks), which is told instead; so does a release there is none of.
 */
export class InTurn {
  readonly runs: Run[] = [];
  private readonly previous: Run[] = [];
  private missing: string | undefined;

  constructor(private readonly release: Release) {
    this.missing = 'bin' in release ? undefined : release.missing;
  }

  /** `measure` of this build's command, then of the previous release's; this build's run. */
  run(bin: string, measure: (command: string) => Run): Run {
    const r = measure(bin);
    this.runs.push(r);
    if (!this.missing && 'bin' in this.release) {
      try {
        this.previous.push(measure(this.release.bin));
      } catch (err) {
        this.missing = `${this.release.name} failed: ${String(err).split('\n')[0]}`;
      }
    }
    return r;
  }

  get figure(): Figure {
    return figureOf(this.runs);
  }

  /** The previous release's figure, when it ran. */
  get previousFigure(): Figure | undefined {
    return this.previous.length ? figureOf(this.previous) : undefined;
  }

  /** "412 ms (398–430) = 3.1× node, 0.98× the previous release (420 ms (401–455))". */
  told(node: Figure): string {
    const f = this.figure;
    return `${range(f)} ${ratios(f, node, this.previousFigure ?? this.missing)}`;
  }
}

/**
 * The longest a write beside `command` (a `subscribe` from another process) waits for the write
 * lock: bench/lock-wait.mjs tries one each millisecond while the command runs.
 */
export async function lockWait(db: string, scratch: string, command: () => void): Promise<number> {
  const stop = join(scratch, 'lock-wait.stop');
  rmSync(stop, { force: true });
  const prober = spawn(
    process.execPath,
    [fileURLToPath(new URL('lock-wait.mjs', import.meta.url)), db, stop],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: prober.stdout })[Symbol.asyncIterator]();
  await lines.next(); // ready
  try {
    command();
  } finally {
    // Also when the command failed: the prober would otherwise keep this process waiting.
    writeFileSync(stop, '');
  }
  const { value } = await lines.next();
  return (JSON.parse(value as string) as { longestMs: number }).longestMs;
}

/**
 * The longest a write beside a poll waits (lockWait), of this build's poll and the previous
 * release's in turn, the median of `runs` each: "this build 51 ms (50–52), the previous release 227 ms (214–257)".
 * `poll` gives a command's database (a fresh copy) and the run of the poll on it.
 */
export async function waitsBeside(
  release: Release,
  bin: string,
  runs: number,
  scratch: string,
  poll: (command: string) => { db: string; run: () => void },
): Promise<string> {
  const builds = [
    { name: 'this build', command: bin, ms: [] as number[] },
    ...('bin' in release
      ? [{ name: 'the previous release', command: release.bin, ms: [] as number[] }]
      : []),
  ];
  for (let i = 0; i < runs; i++)
    for (const b of builds) {
      const p = poll(b.command);
      b.ms.push(await lockWait(p.db, scratch, p.run));
    }
  const told = builds.map((b) => `${b.name} ${range(figureOf(b.ms.map((ms) => ({ ms }))))}`);
  return `median of ${runs}: ${told.join(', ')}${'bin' in release ? '' : `; previous release: ${release.missing}`}`;
}
