// `npm run bench [-- DIR]`: ingest and diff figures on the full real lists, through the real
// poller, a real SQLite file and a loopback HTTP server. DIR defaults to ../shared/fixtures/bench
// (or SANCTIONS_RADAR_BENCH_DIR); point it at your own downloads of the same files.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const dir = resolve(process.argv[2] ?? process.env.SANCTIONS_RADAR_BENCH_DIR ?? '../shared/fixtures/bench');
const need = ['sdn_2021-07_full.csv', 'alt_2021-07_full.csv', 'add_2021-07_full.csv', 'sdn_2024-05-01_full.csv', 'csl_2023-11_watchman_subset.csv'];
const missing = need.filter((f) => !existsSync(join(dir, f)));
if (missing.length) {
  console.error(`bench: ${dir} lacks ${missing.join(', ')}.\nUsage: npm run bench -- <folder with the full OFAC/CSL downloads>`);
  process.exit(2);
}

const here = dirname(fileURLToPath(import.meta.url));
// Targets are #12's: time, and peak RSS (the three-year diff's own, 160 MB; else a general 200 MB).
const scenarios: [string, string, number, number][] = [
  ['baseline-sdn', 'baseline ingest, full SDN trio (sdn+alt+add, 2021-07)', 1000, 200],
  ['baseline-csl', 'baseline ingest, CSL (4,227 rows)', 1000, 200],
  ['unchanged-304', 'unchanged poll, 304 Not Modified', 20, 200],
  ['unchanged-hash', 'unchanged poll, same bytes re-sent (no ETag)', 10, 200],
  ['diff-small', 'changed-version diff, 20 entries removed', 250, 200],
  ['diff-large', 'changed-version diff, 2021-07 → 2024-05-01', 500, 160],
];

console.log(`sanctions-radar bench — ${dir}\n(each line: its own process; peak RSS includes set-up such as the baseline a diff needs)\n`);
const rows: string[][] = [];
for (const [id, name, target, rssTarget] of scenarios) {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(here, 'scenarios.ts'), id, dir], { encoding: 'utf8' });
  const r = JSON.parse(out.trim().split('\n').pop()!) as { ms: number; detail: string; rssMb: number };
  rows.push([
    name,
    `${r.ms.toFixed(1)} ms`,
    `(target < ${target} ms: ${r.ms < target ? 'met' : 'MISSED'})`,
    `peak RSS ${r.rssMb.toFixed(0)} MB (${r.rssMb < rssTarget ? 'met' : 'MISSED'} < ${rssTarget})`,
    r.detail,
  ]);
}
const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
for (const r of rows) console.log(r.map((c, i) => (i === 1 ? c.padStart(w[i]!) : c.padEnd(w[i]!))).join('  '));

console.log('\nstart-up of the command (compiled build; each a median of 9 runs)');
process.stdout.write(execFileSync(process.execPath, ['--import', 'tsx', join(here, 'startup.ts'), dir], { encoding: 'utf8' }));

console.log('\ncourt feeds');
process.stdout.write(execFileSync(process.execPath, ['--import', 'tsx', join(here, 'feeds.ts'), dir], { encoding: 'utf8' }));

console.log('\nportfolio watch');
process.stdout.write(execFileSync(process.execPath, ['--import', 'tsx', join(here, 'portfolio.ts'), dir], { encoding: 'utf8' }));

console.log('\nmatching and routing');
process.stdout.write(execFileSync(process.execPath, ['--import', 'tsx', join(here, 'matching.ts'), dir], { encoding: 'utf8' }));
