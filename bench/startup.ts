// What a user pays for every CLI call, start-up included: `help`, an unchanged `poll` (the full SDN
// list downloaded from a local site that sends no validators, so the poll reads, hashes and
// compares it: the hash path) and a `lookup` on the full lists. Each is the median of 9 whole
// processes with their range, as a ratio to `node -e 0` and to the previous release
// (previous-release.ts) measured in the same run, so a slower machine moves all of them; targets
// are judged on the ratio to node. Runs the compiled build, as `npm start` and the bin do.
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { previousRelease } from './previous-release.js';
import { figureOf, range, WholeProcess, type Figure } from './whole-process.js';

const dir = process.argv[2]!;
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const bin = join(root, 'bin', 'sanctions-radar.js');
if (!existsSync(join(root, 'dist', 'src', 'cli', 'main.js'))) {
  console.log('start-up: no build in dist/ (run `npm run build`); skipped');
  process.exit(0);
}
const tmp = mkdtempSync(join(tmpdir(), 'sr-bench-start-'));
const processes = new WholeProcess();

/** Each command line run `runs` times, the lines taking turns (so that no one of them runs on a quieter machine). */
function runEach(lines: string[][], runs = 9): Figure[] {
  const results = lines.map(() => [] as { ms: number; rssMb: number }[]);
  for (let i = 0; i < runs; i++)
    for (const [j, args] of lines.entries()) results[j]!.push(processes.run(args));
  return results.map((r) => figureOf(r));
}

// The download site, in its own process, sending no ETag: every poll downloads and hashes.
const served = join(tmp, 'served');
mkdirSync(served);
copyFileSync(join(dir, 'sdn_2024-05-01_full.csv'), join(served, 'sdn.csv'));
const site = spawn(process.execPath, ['--import', 'tsx', join(here, 'static-server.ts'), served], {
  stdio: ['ignore', 'pipe', 'inherit'],
});
const port = await new Promise<string>((resolve, reject) => {
  site.stdout.once('data', (d: Buffer) => resolve(d.toString().trim()));
  site.once('exit', (code) => reject(new Error(`the bench download site exited (${code})`)));
});
try {
  const sources = join(tmp, 'sources.json');
  writeFileSync(
    sources,
    JSON.stringify({
      sources: [
        { id: 'ofac-sdn', kind: 'ofac-csv', url: `http://127.0.0.1:${port}/sdn.csv?etag=0` },
      ],
    }),
  );
  const release = previousRelease(root);
  const commands = (command: string, db: string): [string, string[], number][] => [
    ['help', [command, 'help'], 5],
    [
      'poll, unchanged list (14,966 entries, hash path)',
      [command, 'poll', '--sources', sources, '--db', db],
      6,
    ],
    [
      'lookup Huawei Technologies',
      [command, 'lookup', 'Huawei Technologies', '--sources', sources, '--db', db],
      7,
    ],
  ];
  const builds = [bin, ...('bin' in release ? [release.bin] : [])];
  const dbs = builds.map((command, i) => {
    const db = join(tmp, `build${i}.db`);
    runEach([[command, 'poll', '--sources', sources, '--db', db]], 1); // the baseline, once
    return db;
  });
  const node = runEach([['-e', '0']])[0]!;
  // Per command: this build's figure, then the previous release's.
  const figures = commands(bin, '').map((_, i) =>
    runEach(builds.map((command, b) => commands(command, dbs[b]!)[i]![1])),
  );
  console.log(
    `node -e 0: ${range(node)}, ${node.rssMb.toFixed(0)} MB; previous release: ${'bin' in release ? release.name : release.missing}`,
  );
  for (const [i, [what, , target]] of commands(bin, '').entries()) {
    const [r, previous] = figures[i]! as [Figure, Figure | undefined];
    const ratio = r.ms / node.ms;
    const before = previous
      ? `; ${(r.ms / previous.ms).toFixed(2)}× the previous release (${range(previous)})`
      : '';
    const rss = what.startsWith('poll')
      ? `peak RSS ${r.rssMb.toFixed(0)} MB (target < 80 MB: ${r.rssMb < 80 ? 'met' : 'MISSED'})`
      : `peak RSS ${r.rssMb.toFixed(0)} MB`;
    console.log(
      `${what.padEnd(50)} ${range(r).padStart(18)} = ${ratio.toFixed(1)}× node (target ≤ ${target}×: ${ratio <= target ? 'met' : 'MISSED'})${before}  ${rss}`,
    );
  }
} finally {
  site.kill('SIGTERM');
  processes.close();
  rmSync(tmp, { recursive: true, force: true });
}
