// `npm run bench [-- DIR]`: ingest and diff figures on the full real lists, through the real
// poller, a real SQLite file and a loopback HTTP server. DIR defaults to ../shared/fixtures/bench
// (or SANCTIONS_RADAR_BENCH_DIR); point it at your own downloads of sdn.csv and friends.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openDb } from '../db/database.js';
import { silentLogger } from '../src/log.js';
import { pollSource, type PollDeps } from '../src/poll/poll-source.js';
import type { SourceConfig } from '../src/domain.js';
import { FeedServer } from '../tests/helpers/feed-server.js';

const dir = resolve(process.argv[2] ?? process.env.SANCTIONS_RADAR_BENCH_DIR ?? '../shared/fixtures/bench');
const need = ['sdn_2021-07_full.csv', 'alt_2021-07_full.csv', 'add_2021-07_full.csv', 'sdn_2024-05-01_full.csv', 'csl_2023-11_watchman_subset.csv'];
const missing = need.filter((f) => !existsSync(join(dir, f)));
if (missing.length) {
  console.error(`bench: ${dir} lacks ${missing.join(', ')}.\nUsage: npm run bench -- <folder with the full OFAC/CSL downloads>`);
  process.exit(2);
}
const file = (f: string) => readFileSync(join(dir, f));

const rows: [string, string, string, string][] = [];
function report(name: string, ms: number, target: number, extra = ''): void {
  rows.push([name, `${ms.toFixed(1)} ms`, `< ${target} ms ${ms < target ? 'ok' : 'MISSED'}`, extra]);
}

const server = await new FeedServer().start();
const tmp = mkdtempSync(join(tmpdir(), 'sr-bench-'));
try {
  const { db } = openDb(join(tmp, 'bench.db'));
  const deps: PollDeps = {
    db, log: silentLogger, fetch: { timeoutMs: 30_000, maxBytes: 200 * 1024 * 1024, userAgent: 'sanctions-radar-bench' },
    defaultChannels: ['console:bench'], maxShrink: 0.1, confirmPolls: 3,
  };
  const src = (id: string, kind: SourceConfig['kind'], path: string, options: Record<string, unknown> = {}): SourceConfig => ({
    id, kind, url: server.url(path), label: id, schedule: '0 * * * *', options,
  });
  const time = async (cfg: SourceConfig) => {
    const t = performance.now();
    const r = await pollSource(deps, cfg);
    return { ms: performance.now() - t, r };
  };

  // 1. Baseline of the full SDN trio (July 2021: 8,976 entries, 11,910 aliases, 13,837 addresses).
  server.set('/sdn.csv', { kind: 'body', body: file('sdn_2021-07_full.csv') });
  server.set('/alt.csv', { kind: 'body', body: file('alt_2021-07_full.csv') });
  server.set('/add.csv', { kind: 'body', body: file('add_2021-07_full.csv') });
  const trio = src('sdn-trio', 'ofac-csv', '/sdn.csv', { altUrl: server.url('/alt.csv'), addUrl: server.url('/add.csv') });
  const b1 = await time(trio);
  report('baseline ingest, full SDN trio', b1.ms, 1000, `${b1.r.records} records, status ${b1.r.status}`);

  // 2. Baseline of the CSL (4,228 real rows).
  // The stored CSL file was cut mid-record by the repository that kept it (the product refuses it
  // as truncated, rightly); the bench drops that partial last row.
  const csl = file('csl_2023-11_watchman_subset.csv').toString('utf8');
  server.set('/csl.csv', { kind: 'body', body: Buffer.from(csl.slice(0, csl.lastIndexOf('\n') + 1)) });
  const b2 = await time(src('csl', 'csl', '/csl.csv'));
  report('baseline ingest, CSL', b2.ms, 1000, `${b2.r.records} records`);

  // 3. Unchanged polls: a 304, and the same bytes again without validators (hash check).
  const u1 = await time(trio);
  report('unchanged poll (304 Not Modified)', u1.ms, 20, u1.r.status);
  server.set('/sdn.csv', { kind: 'body', body: file('sdn_2021-07_full.csv'), etag: false });
  server.set('/alt.csv', { kind: 'body', body: file('alt_2021-07_full.csv'), etag: false });
  server.set('/add.csv', { kind: 'body', body: file('add_2021-07_full.csv'), etag: false });
  await time(trio); // stores validators-less state
  const u2 = await time(trio);
  report('unchanged poll (full download, same hash)', u2.ms, 20, u2.r.status);

  // 4. Changed versions of sdn.csv alone: 2021-07 → 2024-05-01 (thousands of changes), then a
  //    small change of the 2024 file (its last 20 entries dropped).
  const sdn = src('sdn', 'ofac-csv', '/sdn-only.csv');
  server.set('/sdn-only.csv', { kind: 'body', body: file('sdn_2021-07_full.csv') });
  await time(sdn);
  server.set('/sdn-only.csv', { kind: 'body', body: file('sdn_2024-05-01_full.csv') });
  const d1 = await time(sdn);
  report('changed-version diff, 2021-07 → 2024-05-01', d1.ms, 500, `+${d1.r.added} -${d1.r.removed} ~${d1.r.amended}`);
  const lines = file('sdn_2024-05-01_full.csv').toString('latin1').split('\r\n').filter((l) => /^\d/.test(l));
  server.set('/sdn-only.csv', { kind: 'body', body: Buffer.from(`${lines.slice(0, -20).join('\r\n')}\r\n\x1a`, 'latin1') });
  const d2 = await time(sdn);
  report('changed-version diff, 20 entries removed', d2.ms, 500, `+${d2.r.added} -${d2.r.removed} ~${d2.r.amended}`);
  db.close();
} finally {
  await server.stop();
  rmSync(tmp, { recursive: true, force: true });
}

const rssMb = process.resourceUsage().maxRSS / 1024;
rows.push(['peak RSS (whole run)', `${rssMb.toFixed(0)} MB`, `< 200 MB ${rssMb < 200 ? 'ok' : 'MISSED'}`, '']);
const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
console.log(`sanctions-radar bench — ${dir}\n`);
for (const r of rows) console.log(`${r[0].padEnd(w[0]!)}  ${r[1].padStart(w[1]!)}  ${r[2].padEnd(w[2]!)}  ${r[3]}`);
