// `npm run bench [-- DIR [SECTION...]]`: ingest and diff figures on the full real lists, through the
// real poller, a real SQLite file and a loopback HTTP server. DIR defaults to ../shared/fixtures/bench
// (or SANCTIONS_RADAR_BENCH_DIR); point it at your own downloads of the same files. SECTIONs (lists,
// startup, feeds, portfolio, matching, polite, scale, memory, audit, webhooks) run only those; `npm run bench -- scale`
// (a section alone) uses the default folder. BENCH_SCENARIOS=unchanged-304,diff-small runs only those
// lines of `lists`.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { previousRelease } from './previous-release.js';
import { figureOf, freshCopy, InTurn, WholeProcess } from './whole-process.js';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const SECTIONS = [
  'lists',
  'startup',
  'feeds',
  'portfolio',
  'matching',
  'polite',
  'scale',
  'memory',
  'audit',
  'webhooks',
];
// `npm run bench -- scale` names a section without a folder: the default folder then.
const args = process.argv.slice(2);
if (args[0] && SECTIONS.includes(args[0]))
  args.unshift(process.env.SANCTIONS_RADAR_BENCH_DIR ?? '../shared/fixtures/bench');
const dir = resolve(args[0] ?? process.env.SANCTIONS_RADAR_BENCH_DIR ?? '../shared/fixtures/bench');
const need = [
  'sdn_2021-07_full.csv',
  'alt_2021-07_full.csv',
  'add_2021-07_full.csv',
  'sdn_2024-05-01_full.csv',
  'csl_2023-11_watchman_subset.csv',
];
const missing = need.filter((f) => !existsSync(join(dir, f)));
if (missing.length) {
  console.error(
    `bench: ${dir} lacks ${missing.join(', ')}.\nUsage: npm run bench -- <folder with the full OFAC/CSL downloads>`,
  );
  process.exit(2);
}

const here = dirname(fileURLToPath(import.meta.url));
const only = args.slice(1);
const section = (name: string) => only.length === 0 || only.includes(name);
const script = (name: string, nodeFlags: string[] = []) =>
  process.stdout.write(
    execFileSync(process.execPath, [...nodeFlags, '--import', 'tsx', join(here, name), dir], {
      encoding: 'utf8',
    }),
  );
// Targets are #12's: time, and peak RSS (the three-year diff's own, 160 MB; else a general 200 MB).
const scenarios: [string, string, number, number][] = [
  ['baseline-sdn', 'baseline ingest, full SDN trio (sdn+alt+add, 2021-07)', 1000, 200],
  ['baseline-csl', 'baseline ingest, CSL (4,227 rows)', 1000, 200],
  ['unchanged-304', 'unchanged poll, 304 Not Modified', 20, 200],
  ['unchanged-hash', 'unchanged poll, same bytes re-sent (no ETag)', 10, 200],
  ['diff-small', 'changed-version diff, 20 entries removed', 250, 200],
  ['diff-large', 'changed-version diff, 2021-07 → 2024-05-01', 500, 160],
  ['diff-csl', 'changed-version diff, CSL, 20 entries removed', 250, 200],
];

console.log(`sanctions-radar bench — ${dir}`);
if (section('lists')) await lists();

async function lists(): Promise<void> {
  console.log(
    `\nlists (each line: a poll and the indexing of the names and identifiers it queued, what the daemon does before it is idle again, the poll alone beside them. ` +
      `warm: the median of five polls in one process, as the daemon polls, with their range; #12's time targets are judged on it. ` +
      `poll: \`sanctions-radar poll\` as a whole process on a copy of the same database, start-up and indexing included, as cron runs it: the median of five with their range, ` +
      `as a ratio to \`node -e 0\` and to the previous release (its own build and bench, the same files, in turn with this one), with its peak RSS. Each build's download site is a process of its own)\n`,
  );
  const work = mkdtempSync(join(tmpdir(), 'sr-bench-'));
  // A download site per build, each with its folder: a scenario's prepare publishes its files,
  // and a file published again has a new ETag, which the other build's stored one would miss.
  const sites: ChildProcess[] = [];
  const site = async (served: string): Promise<string> => {
    const p = spawn(process.execPath, ['--import', 'tsx', join(here, 'static-server.ts'), served], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    sites.push(p);
    const port = await new Promise<string>((resolve, reject) => {
      p.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
      p.once('exit', (code) => reject(new Error(`the bench download site exited (${code})`)));
    });
    return `http://127.0.0.1:${port}`;
  };
  const release = previousRelease(join(here, '..'));
  const releaseRoot = 'bin' in release ? dirname(dirname(release.bin)) : null;
  let previousMissing: string | undefined =
    'bin' in release
      ? existsSync(join(releaseRoot!, 'bench', 'scenarios.mjs'))
        ? undefined
        : `${release.name} has no bench/scenarios.mjs`
      : release.missing;
  console.log(`previous release: ${'bin' in release ? release.name : release.missing}`);
  const processes = new WholeProcess();
  const bases: string[] = [];
  const rows: string[][] = [];
  try {
    const only = process.env.BENCH_SCENARIOS?.split(',');
    for (const [id, name, target, rssTarget] of scenarios) {
      if (only && !only.includes(id)) continue;
      type Build = {
        scenarios: string;
        bin: string;
        db: string;
        served: string;
        base: string;
        sources: string;
      };
      const current: Build = {
        scenarios: join(here, 'scenarios.mjs'),
        bin: join(here, '..', 'bin', 'sanctions-radar.js'),
        db: join(work, `${id}.db`),
        served: join(work, 'served'),
        base: (bases[0] ??= await site(join(work, 'served'))),
        sources: join(work, `${id}.sources.json`),
      };
      const run = (b: Build, phase: string, scenarios = b.scenarios) =>
        execFileSync(process.execPath, [scenarios, id, dir, phase, b.served, b.db, b.base], {
          encoding: 'utf8',
          stdio: ['ignore', 'pipe', 'pipe'],
        });
      writeFileSync(current.sources, run(current, 'sources'));
      run(current, 'prepare');
      let previous: Build | undefined;
      if (!previousMissing && 'bin' in release) {
        previous = {
          scenarios: join(releaseRoot!, 'bench', 'scenarios.mjs'),
          bin: release.bin,
          db: join(work, `${id}.previous.db`),
          served: join(work, 'served-previous'),
          base: (bases[1] ??= await site(join(work, 'served-previous'))),
          sources: join(work, `${id}.previous.sources.json`),
        };
        try {
          // Its source as this bench writes it, on its own site.
          writeFileSync(previous.sources, run(previous, 'sources', current.scenarios));
          run(previous, 'prepare');
          // Its bench may have opened the database without the app's index marks: its app opens
          // it once, so that its timed `poll` does not rebuild them.
          const open = join(releaseRoot!, 'dist', 'src', 'store', 'open.js');
          if (existsSync(open))
            execFileSync(process.execPath, [
              '--input-type=module',
              '-e',
              `import { openStore } from ${JSON.stringify(pathToFileURL(open).href)}; openStore(${JSON.stringify(previous.db)}).db.close();`,
            ]);
        } catch (err) {
          previousMissing = `its bench could not prepare ${id}: ${String(err).split('\n')[0]}`;
          previous = undefined;
        }
      }
      const builds = [current, ...(previous ? [previous] : [])];
      // Five rounds, the processes taking turns, so that none runs on a quieter machine.
      const node: { ms: number }[] = [];
      const poll = new InTurn(previous ? release : { missing: previousMissing ?? '' });
      for (let i = 0; i < 5; i++) {
        node.push(processes.run(['-e', '0']));
        poll.run(current.bin, (command) => {
          const b = command === current.bin ? current : previous!;
          // The bench measures the diff, not the guard that holds a large shrink for a look.
          return processes.run(
            [b.bin, 'poll', '--sources', b.sources, '--db', freshCopy(b.db, `${b.db}.cold`)],
            { SANCTIONS_RADAR_MAX_SHRINK: '1' },
          );
        });
      }
      type Out = {
        ms: number;
        indexMs: number;
        total: { ms: number; min: number; max: number };
        detail: string;
      };
      const last = (out: string) => JSON.parse(out.trim().split('\n').pop()!) as Out;
      const warm = builds.map((b) => last(run(b, 'warm')));
      const r = warm[0]!;
      const nodeFigure = figureOf(node);
      const previousWarm = warm[1]
        ? `, ${(r.total.ms / warm[1].total.ms).toFixed(2)}× the previous release (${warm[1].total.ms.toFixed(0)} ms)`
        : '';
      const previousPoll = poll.previousFigure;
      const againstPrevious = previousPoll
        ? (poll.figure.ms / previousPoll.ms <= 1.1 ? 'met' : 'MISSED') +
          ' ≤ 1.10× the previous release'
        : 'not compared';
      rows.push([
        name,
        `${r.total.ms.toFixed(1)} ms`,
        `(warm ${r.total.min.toFixed(0)}–${r.total.max.toFixed(0)}, the poll alone ${r.ms.toFixed(0)}; target < ${target} ms: ${r.total.ms < target ? 'met' : 'MISSED'}${previousWarm})`,
        `poll ${poll.told(nodeFigure)} (${againstPrevious})`,
        `peak RSS ${poll.figure.rssMb.toFixed(0)} MB (${poll.figure.rssMb < rssTarget ? 'met' : 'MISSED'} < ${rssTarget})`,
        r.indexMs >= 1 ? `${r.detail}; indexing ${r.indexMs.toFixed(0)} ms of it` : r.detail,
      ]);
    }
  } finally {
    for (const p of sites) p.kill('SIGTERM');
    processes.close();
    rmSync(work, { recursive: true, force: true });
  }
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows)
    console.log(r.map((c, i) => (i === 1 ? c.padStart(w[i]!) : c.padEnd(w[i]!))).join('  '));
}

// The other sections each run one script in a process of their own.
for (const [name, title, file] of [
  [
    'startup',
    'start-up of the command (compiled build; each the median of 9 whole processes, with their range)',
    'startup.ts',
  ],
  ['feeds', 'court feeds', 'feeds.ts'],
  ['portfolio', 'portfolio watch', 'portfolio.ts'],
  ['matching', 'matching and routing', 'matching.ts'],
  [
    'polite',
    'requests to government servers (a day of polls of every built-in source)',
    'politeness.ts',
  ],
  ['scale', "at a deployment's size (100,000 follows; delivery at Slack's pace)", 'scale.ts'],
  ['memory', "the daemon's memory over 10,000 polls with changes", 'memory.ts'],
  [
    'audit',
    'a year of alerts: the audit export, and remembered false positives when routing',
    'audit.ts',
  ],
  ['webhooks', 'webhook delivery', 'webhooks.ts'],
] as const) {
  if (!section(name)) continue;
  console.log(`\n${title}`);
  script(file);
  // V8's memory reducer hands pooled pages back to the system when it judges the process idle
  // (RSS falls ~17% at once): the second run, without it, shows whether anything grows where that
  // fall would hide it.
  if (name === 'memory') script(file, ['--no-memory-reducer']);
}
