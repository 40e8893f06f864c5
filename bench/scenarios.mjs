/* global performance */
// One bench scenario, in processes of its own: `prepare` stores what the measured poll needs (a
// baseline, the next version published); `warm` runs the measured poll(s) in one process, each on
// a fresh copy of the prepared database, and gives the median of all but the first: the running
// daemon's figure, which the time targets are about. It prints one JSON line: {ms, min, max, runs,
// detail, rssMb}. `sources` prints the scenario's source as a sources file: run.ts gives it to
// `sanctions-radar poll`, timed as a whole process beside it (the cron figure). The download site
// is bench/static-server.ts in another process. Plain JavaScript on the compiled build (`npm run
// build` first), as users run it: tsx would add its own ~35 MB and compile time to every figure.
import { copyFileSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { indexQueued } from '../dist/src/store/indexing.js';
import { silentLogger } from '../dist/src/log.js';
import { openStore } from '../dist/src/store/open.js';
import { pollSource } from '../dist/src/poll/poll-source.js';
import { readCsvRows } from '../dist/src/sources/csv-rows.js';

const [scenario, dir, phase, served, dbPath, base] = process.argv.slice(2);
/** Warm polls a figure is the median of. */
const WARM_RUNS = 6;
const file = (f) => readFileSync(join(dir, f));
mkdirSync(served, { recursive: true });
/** Publishes a new version of a file on the download site (atomically, as a real site swaps it). */
const publish = (name, body) => {
  writeFileSync(join(served, `${name}.tmp`), body);
  renameSync(join(served, `${name}.tmp`), join(served, name));
};

const depsOf = (path) => ({
  // Opened as the app opens it, so that the indexes carry the marks a `poll` process checks.
  db: openStore(path).db,
  log: silentLogger,
  fetch: { timeoutMs: 30_000, maxBytes: 200 * 1024 * 1024, userAgent: 'sanctions-radar-bench' },
  defaultChannels: ['console:bench'],
  maxShrink: 1,
  confirmPolls: 3,
});
let deps;
const url = (name, etag) => `${base}/${name}${etag ? '' : '?etag=0'}`;
const src = (id, kind, main, options = {}, etag = true) => ({
  id,
  kind,
  url: url(main, etag),
  label: id,
  schedule: '0 * * * *',
  options,
});
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
/**
 * The poll, then the indexing of its names and identifiers that the daemon runs once the poll's
 * alerts are on their way (src/store/indexing.ts), timed apart: the alerts wait for the first only.
 */
const timed = async (cfg, runs = 1) => {
  const times = [];
  const indexing = [];
  let r;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    r = await pollSource(deps, cfg);
    times.push(performance.now() - t);
    const t2 = performance.now();
    indexQueued(deps.db);
    indexing.push(performance.now() - t2);
  }
  return { ms: median(times), indexMs: median(indexing), r };
};
/** A set-up poll, with the indexing the daemon does after it. */
const settle = async (cfg) => {
  await pollSource(deps, cfg);
  indexQueued(deps.db);
};
const publishTrio = () => {
  publish('sdn.csv', file('sdn_2021-07_full.csv'));
  publish('alt.csv', file('alt_2021-07_full.csv'));
  publish('add.csv', file('add_2021-07_full.csv'));
};
const trio = (etag = true) =>
  src(
    'sdn-trio',
    'ofac-csv',
    'sdn.csv',
    { altUrl: url('alt.csv', etag), addUrl: url('add.csv', etag) },
    etag,
  );
/** The 2024-05-01 sdn.csv with its last `drop` entries gone. */
const sdn2024 = (drop) => {
  const lines = file('sdn_2024-05-01_full.csv')
    .toString('latin1')
    .split('\r\n')
    .filter((l) => /^\d/.test(l));
  return Buffer.from(`${lines.slice(0, lines.length - drop).join('\r\n')}\r\n\x1a`, 'latin1');
};
/** The stored CSL file was cut mid-record by the repository that kept it (the product rightly
 * refuses it as truncated); the bench drops that partial last row. */
const cslText = () => {
  const csl = file('csl_2023-11_watchman_subset.csv').toString('utf8');
  return csl.slice(0, csl.lastIndexOf('\n') + 1);
};
const sdnOnly = () => src('sdn', 'ofac-csv', 'sdn-only.csv');

/**
 * Each scenario: what it stores first, the source its measured poll reads (the same for the
 * whole-process `poll` run.ts times, given as a sources file), how many polls a measure takes,
 * and what the poll did, in words.
 * @type {Record<string, { prepare(): unknown, source(): object, runs?: number, detail(r: any): string }>}
 */
const scenarios = {
  'baseline-sdn': {
    prepare: publishTrio,
    source: () => trio(),
    detail: (r) => `${r.records} records (${r.status})`,
  },
  'baseline-csl': {
    prepare: () => publish('csl.csv', Buffer.from(cslText())),
    source: () => src('csl', 'csl', 'csl.csv'),
    detail: (r) => `${r.records} records (${r.status})`,
  },
  'diff-csl': {
    // The CSL CSV without 20 rows from its middle (its end untouched: a cut end would be held).
    prepare: async () => {
      const text = cslText();
      publish('csl.csv', Buffer.from(text));
      await settle(src('csl', 'csl', 'csl.csv'));
      const rows = readCsvRows(text);
      const mid = Math.floor(rows.length / 2);
      const kept = [...rows.slice(0, mid), ...rows.slice(mid + 20)];
      publish(
        'csl.csv',
        Buffer.from(
          `${kept.map((r) => r.map((f) => `"${f.replace(/"/g, '""')}"`).join(',')).join('\n')}\n`,
        ),
      );
    },
    source: () => src('csl', 'csl', 'csl.csv'),
    detail: (r) =>
      `CSL CSV (4,164 entries) without 20 rows: +${r.added} -${r.removed} ~${r.amended}`,
  },
  'unchanged-304': {
    prepare: async () => {
      publishTrio();
      await settle(trio());
    },
    source: () => trio(),
    runs: 21,
    detail: (r) => `median of 21 polls of the SDN trio (${r.status})`,
  },
  'unchanged-hash': {
    prepare: async () => {
      publishTrio();
      await settle(trio(false));
    },
    source: () => trio(false),
    runs: 11,
    detail: (r) =>
      `median of 11 polls, 3.5 MB re-downloaded and hashed as it arrives (${r.status})`,
  },
  'diff-small': {
    prepare: async () => {
      publish('sdn-only.csv', file('sdn_2024-05-01_full.csv'));
      await settle(sdnOnly());
      publish('sdn-only.csv', sdn2024(20));
    },
    source: sdnOnly,
    detail: (r) =>
      `2024-05-01 sdn.csv (14,966 entries) minus its last 20: +${r.added} -${r.removed} ~${r.amended}`,
  },
  'diff-large': {
    prepare: async () => {
      publish('sdn-only.csv', file('sdn_2021-07_full.csv'));
      await settle(sdnOnly());
      publish('sdn-only.csv', file('sdn_2024-05-01_full.csv'));
    },
    source: sdnOnly,
    detail: (r) =>
      `sdn.csv 2021-07 → 2024-05-01, three years at once: +${r.added} -${r.removed} ~${r.amended}`,
  },
};

const s = scenarios[scenario];
if (!s) throw new Error(`unknown scenario ${scenario}`);
if (phase === 'prepare') {
  deps = depsOf(dbPath);
  await s.prepare();
  deps.db.close();
} else if (phase === 'sources') {
  // The source as a sources file gives it to `sanctions-radar poll`: its options beside its url.
  const { options, ...rest } = s.source();
  console.log(JSON.stringify({ sources: [{ ...rest, ...options }] }));
} else if (phase === 'warm') {
  // Each warm poll runs on a fresh copy of the prepared database; the first of them only warms
  // the process up (JIT, caches) and is not counted. This machine's speed swings by a third
  // between runs, so the warm figure is the median of WARM_RUNS polls, with their range.
  const times = [];
  const indexing = [];
  let out;
  for (let i = 0; i < WARM_RUNS; i++) {
    copyFileSync(dbPath, `${dbPath}.copy`);
    deps = depsOf(`${dbPath}.copy`);
    const { ms, indexMs, r } = await timed(s.source(), s.runs);
    out = { ms, indexMs, detail: s.detail(r) };
    deps.db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${dbPath}.copy${suffix}`, { force: true });
    if (i > 0) {
      times.push(out.ms);
      indexing.push(out.indexMs);
    }
  }
  // The poll and the indexing it queued, each run: what the daemon spends before it is idle again.
  const totals = times.map((t, i) => t + indexing[i]).sort((a, b) => a - b);
  times.sort((a, b) => a - b);
  const total = { ms: totals[totals.length >> 1], min: totals[0], max: totals[totals.length - 1] };
  console.log(
    JSON.stringify({
      ...out,
      indexMs: median(indexing),
      ms: times[times.length >> 1],
      min: times[0],
      max: times[times.length - 1],
      total,
      runs: times.length,
      rssMb: process.resourceUsage().maxRSS / 1024,
    }),
  );
} else throw new Error(`unknown phase ${phase}`);
