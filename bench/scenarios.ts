// One bench scenario per process, so each peak-RSS figure is that work's own high-water mark.
// Prints one JSON line: {ms, detail, rssMb}. Run through bench/run.ts.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb } from '../db/database.js';
import { silentLogger } from '../src/log.js';
import { pollSource, type PollDeps, type PollResult } from '../src/poll/poll-source.js';
import type { SourceConfig } from '../src/domain.js';
import { FeedServer } from '../tests/helpers/feed-server.js';

const [scenario, dir] = process.argv.slice(2) as [string, string];
const file = (f: string) => readFileSync(join(dir, f));

const server = await new FeedServer().start();
const tmp = mkdtempSync(join(tmpdir(), 'sr-bench-'));
const { db } = openDb(join(tmp, 'bench.db'));
const deps: PollDeps = {
  db, log: silentLogger, fetch: { timeoutMs: 30_000, maxBytes: 200 * 1024 * 1024, userAgent: 'sanctions-radar-bench' },
  defaultChannels: ['console:bench'], maxShrink: 1, confirmPolls: 3,
};
const src = (id: string, kind: SourceConfig['kind'], path: string, options: Record<string, unknown> = {}): SourceConfig => ({
  id, kind, url: server.url(path), label: id, schedule: '0 * * * *', options,
});
const timed = async (cfg: SourceConfig, runs = 1): Promise<{ ms: number; r: PollResult }> => {
  const times: number[] = [];
  let r!: PollResult;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    r = await pollSource(deps, cfg);
    times.push(performance.now() - t);
  }
  return { ms: times.sort((a, b) => a - b)[Math.floor(times.length / 2)]!, r };
};
const trio = (etag = true) => {
  server.set('/sdn.csv', { kind: 'body', body: file('sdn_2021-07_full.csv'), etag });
  server.set('/alt.csv', { kind: 'body', body: file('alt_2021-07_full.csv'), etag });
  server.set('/add.csv', { kind: 'body', body: file('add_2021-07_full.csv'), etag });
  return src('sdn-trio', 'ofac-csv', '/sdn.csv', { altUrl: server.url('/alt.csv'), addUrl: server.url('/add.csv') });
};
/** The 2024-05-01 sdn.csv with its last `drop` entries gone. */
const sdn2024 = (drop: number) => {
  const lines = file('sdn_2024-05-01_full.csv').toString('latin1').split('\r\n').filter((l) => /^\d/.test(l));
  return Buffer.from(`${lines.slice(0, lines.length - drop).join('\r\n')}\r\n\x1a`, 'latin1');
};

let out: { ms: number; detail: string };
switch (scenario) {
  case 'baseline-sdn': {
    const { ms, r } = await timed(trio());
    out = { ms, detail: `${r.records} records (${r.status})` };
    break;
  }
  case 'baseline-csl': {
    // The stored CSL file was cut mid-record by the repository that kept it (the product rightly
    // refuses it as truncated); the bench drops that partial last row.
    const csl = file('csl_2023-11_watchman_subset.csv').toString('utf8');
    server.set('/csl.csv', { kind: 'body', body: Buffer.from(csl.slice(0, csl.lastIndexOf('\n') + 1)) });
    const { ms, r } = await timed(src('csl', 'csl', '/csl.csv'));
    out = { ms, detail: `${r.records} records (${r.status})` };
    break;
  }
  case 'unchanged-304': {
    const cfg = trio();
    await pollSource(deps, cfg);
    const { ms, r } = await timed(cfg, 21);
    out = { ms, detail: `median of 21 polls of the SDN trio (${r.status})` };
    break;
  }
  case 'unchanged-hash': {
    const cfg = trio(false);
    await pollSource(deps, cfg);
    const { ms, r } = await timed(cfg, 11);
    out = { ms, detail: `median of 11 polls, 3.5 MB re-downloaded and hashed (${r.status})` };
    break;
  }
  case 'diff-small': {
    const cfg = src('sdn', 'ofac-csv', '/sdn-only.csv');
    server.set('/sdn-only.csv', { kind: 'body', body: file('sdn_2024-05-01_full.csv') });
    await pollSource(deps, cfg);
    server.set('/sdn-only.csv', { kind: 'body', body: sdn2024(20) });
    const { ms, r } = await timed(cfg);
    out = { ms, detail: `2024-05-01 sdn.csv (14,966 entries) minus its last 20: +${r.added} -${r.removed} ~${r.amended}` };
    break;
  }
  case 'diff-large': {
    const cfg = src('sdn', 'ofac-csv', '/sdn-only.csv');
    server.set('/sdn-only.csv', { kind: 'body', body: file('sdn_2021-07_full.csv') });
    await pollSource(deps, cfg);
    server.set('/sdn-only.csv', { kind: 'body', body: file('sdn_2024-05-01_full.csv') });
    const { ms, r } = await timed(cfg);
    out = { ms, detail: `sdn.csv 2021-07 → 2024-05-01, three years at once: +${r.added} -${r.removed} ~${r.amended}` };
    break;
  }
  default:
    throw new Error(`unknown scenario ${scenario}`);
}
db.close();
await server.stop();
rmSync(tmp, { recursive: true, force: true });
console.log(JSON.stringify({ ...out, rssMb: process.resourceUsage().maxRSS / 1024 }));
