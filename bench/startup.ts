// What a user pays for every CLI call, start-up included: `help`, an unchanged `poll` (the hash
// path on the full SDN list, from a local file) and a `lookup` on the full lists, each as a ratio
// to `node -e 0` measured in the same run (so a slower machine moves both), with peak RSS. Runs
// the compiled build, as `npm start` and the bin do; build it first (`npm run build`).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const dir = process.argv[2]!;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'sanctions-radar.js');
if (!existsSync(join(root, 'dist', 'src', 'cli', 'main.js'))) {
  console.log('start-up: no build in dist/ (run `npm run build`); skipped');
  process.exit(0);
}
const tmp = mkdtempSync(join(tmpdir(), 'sr-bench-start-'));
// The child writes its own peak RSS when it exits: spawnSync does not report it.
const rssFile = join(tmp, 'rss');
const reporter = join(tmp, 'rss.mjs');
writeFileSync(reporter, `import { appendFileSync } from 'node:fs';\nprocess.on('exit', () => appendFileSync(${JSON.stringify(rssFile)}, process.resourceUsage().maxRSS + '\\n'));\n`);
// The default log level, as a user runs it: the logger loads only for a command that writes a line
// (an unchanged `poll` writes its poll line; `help` and `lookup` write none).
const env = { PATH: process.env.PATH, HOME: process.env.HOME };

function run(args: string[], runs = 9): { ms: number; rssMb: number } {
  const times: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < runs; i++) {
    rmSync(rssFile, { force: true });
    const t = performance.now();
    const r = spawnSync(process.execPath, ['--import', pathToFileURL(reporter).href, ...args], { env, encoding: 'utf8' });
    times.push(performance.now() - t);
    if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
    rss.push(Number(readFileSync(rssFile, 'utf8').trim()) / 1024);
  }
  times.sort((a, b) => a - b);
  rss.sort((a, b) => a - b);
  return { ms: times[runs >> 1]!, rssMb: rss[runs >> 1]! };
}

const sources = join(tmp, 'sources.json');
writeFileSync(sources, JSON.stringify({ sources: [{ id: 'ofac-sdn', kind: 'ofac-csv', url: pathToFileURL(join(dir, 'sdn_2024-05-01_full.csv')).href }] }));
const db = join(tmp, 'radar.db');
const common = ['--sources', sources, '--db', db];
run([bin, 'poll', ...common], 1); // the baseline, once
const node = run(['-e', '0']);
const rows: [string, { ms: number; rssMb: number }, number][] = [
  ['help', run([bin, 'help']), 5],
  ['poll, unchanged list (14,966 entries)', run([bin, 'poll', ...common]), 6],
  ['lookup Huawei Technologies', run([bin, 'lookup', 'Huawei Technologies', ...common]), 7],
];
console.log(`node -e 0: ${node.ms.toFixed(0)} ms, ${node.rssMb.toFixed(0)} MB (median of 9)`);
for (const [what, r, target] of rows) {
  const ratio = r.ms / node.ms;
  const rssNote = what.startsWith('poll') ? `  peak RSS ${r.rssMb.toFixed(0)} MB (target < 80 MB: ${r.rssMb < 80 ? 'met' : 'MISSED'})` : `  peak RSS ${r.rssMb.toFixed(0)} MB`;
  console.log(`${what.padEnd(40)} ${r.ms.toFixed(0).padStart(5)} ms = ${ratio.toFixed(1)}× node (target ≤ ${target}×: ${ratio <= target ? 'met' : 'MISSED'})${rssNote}`);
}
rmSync(tmp, { recursive: true, force: true });
