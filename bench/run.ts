// `npm run bench [-- DIR [SECTION...]]`: ingest and diff figures on the full real lists, through the
// real poller, a real SQLite file and a loopback HTTP server. DIR defaults to ../shared/fixtures/bench
// (or SANCTIONS_RADAR_BENCH_DIR); point it at your own downloads of the same files. SECTIONs (lists,
// startup, feeds, portfolio, matching, polite, scale, memory, audit, webhooks) run only those; `npm run bench -- scale`
// (a section alone) uses the default folder.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

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
const script = (name: string) =>
  process.stdout.write(
    execFileSync(process.execPath, ['--import', 'tsx', join(here, name), dir], {
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
    `\nlists (each line: a poll and the indexing of the names and identifiers it queued (what the daemon does before it is idle again; the targets are judged on both), the poll alone beside them; ` +
      `warm: the median of five polls in one process, as the daemon polls, with their range; cold: the median of five processes each polling once, as cron does, with their range; peak RSS of a cold process; ` +
      `each measured process after a set-up process, the download site in a third)\n`,
  );
  const work = mkdtempSync(join(tmpdir(), 'sr-bench-'));
  const site = spawn(
    process.execPath,
    ['--import', 'tsx', join(here, 'static-server.ts'), join(work, 'served')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<string>((resolve, reject) => {
    site.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
    site.once('exit', (code) => reject(new Error(`the bench download site exited (${code})`)));
  });
  const base = `http://127.0.0.1:${port}`;
  const rows: string[][] = [];
  try {
    for (const [id, name, target, rssTarget] of scenarios) {
      const run = (phase: string) =>
        execFileSync(
          process.execPath,
          [
            join(here, 'scenarios.mjs'),
            id,
            dir,
            phase,
            join(work, 'served'),
            join(work, `${id}.db`),
            base,
          ],
          { encoding: 'utf8' },
        );
      run('prepare');
      type Out = {
        ms: number;
        indexMs: number;
        min: number;
        max: number;
        total: { ms: number; min: number; max: number };
        runs: number;
        detail: string;
        rssMb: number;
      };
      const last = (out: string) => JSON.parse(out.trim().split('\n').pop()!) as Out;
      const colds = Array.from({ length: 5 }, () => last(run('cold')));
      const r = last(run('warm'));
      const coldTotals = colds.map((c) => c.total.ms).sort((a, b) => a - b);
      const coldRss = colds.map((c) => c.rssMb).sort((a, b) => a - b)[2]!;
      rows.push([
        name,
        `${r.total.ms.toFixed(1)} ms`,
        `(warm ${r.total.min.toFixed(0)}–${r.total.max.toFixed(0)}, the poll alone ${r.ms.toFixed(0)}; target < ${target} ms: ${r.total.ms < target ? 'met' : 'MISSED'}; cold ${coldTotals[2]!.toFixed(0)} ms (${coldTotals[0]!.toFixed(0)}–${coldTotals[4]!.toFixed(0)}): ${coldTotals[2]! < target ? 'met' : 'MISSED'})`,
        `peak RSS ${coldRss.toFixed(0)} MB (${coldRss < rssTarget ? 'met' : 'MISSED'} < ${rssTarget})`,
        r.indexMs >= 1 ? `${r.detail}; indexing ${r.indexMs.toFixed(0)} ms of it` : r.detail,
      ]);
    }
  } finally {
    site.kill('SIGTERM');
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
}
