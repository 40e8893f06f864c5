// Court-feed figures for `npm run bench`: the mention scan (10,000 court entries against 50,000
// listed names and 1,000 followed names) and 1,000-entry PACER feed polls end to end (five; fetch,
// parse, mentions, store, judge, route, outbox) against the full real SDN list and 1,000
// subscriptions, in the daemon and as cron's whole `poll` process. Entries are real S.D.N.Y. and
// D.C. Circuit captions with new docket numbers; 1 in 50 names a listed company, 1 in 50 a
// followed one.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addSubscription } from '../db/subscriptions.js';
import type { DesignationRecord } from '../src/domain.js';
import { itemText } from '../src/feeds/policy.js';
import { captionParties, MentionIndex, type MentionName } from '../src/feeds/mentions.js';
import { indexQueued } from '../src/store/indexing.js';
import { normalizeName } from '../src/names/normalize.js';
import { parseOfacCsv } from '../src/sources/ofac-csv.js';
import { parsePacer } from '../src/sources/pacer.js';
import { FeedServer } from '../tests/helpers/feed-server.js';
import { createHarness, source } from '../tests/helpers/poll-harness.js';
import { listingMentionNames } from '../tests/helpers/stored.js';
import { openStore } from '../src/store/open.js';
import { previousRelease } from './previous-release.js';
import { figureOf, freshCopy, InTurn, range, waitsBeside, WholeProcess } from './whole-process.js';

const dir = process.argv[2]!;
const here = new URL('.', import.meta.url).pathname;
const bin = join(here, '..', 'bin', 'sanctions-radar.js');
const fixture = (p: string) => readFileSync(join(here, '..', 'tests', 'fixtures', p));

const snap = parseOfacCsv({ primary: readFileSync(join(dir, 'sdn_2024-05-01_full.csv')) }, {});
if (snap.kind !== 'list') throw new Error('list');
const records: DesignationRecord[] = snap.records;
const entities = records.filter((r) => r.type === '' || r.type === 'entity');

// 50,000 names: the real list's names and aliases, then the same names with a distinguishing
// suffix until the count is reached (the index is keyed by phrase, so size is what matters).
const real = listingMentionNames(records);
const names: MentionName[] = [...real];
for (let i = 0; names.length < 50_000; i++) {
  const r = real[i % real.length]!;
  names.push({
    normalized: `${r.normalized} ${i} holding`,
    mention: { ...r.mention, key: `${r.mention.key}-${i}` },
  });
}
const followed = Array.from(
  { length: 1000 },
  (_, i) => `Followed Company ${i} Zhongxing Kuang${i}`,
);
for (const f of followed)
  names.push({
    normalized: normalizeName(f),
    mention: { name: f, key: 'subscription', list: null },
  });

// 10,000 entries from the real captions, each on its own docket.
const base: import('../src/domain.js').FeedItem[] = [];
for (const f of ['pacer_rss/sdny_1_excerpt.xml', 'pacer_rss/cadc.xml']) {
  const s = await parsePacer(fixture(f));
  if (s.kind === 'feed') base.push(...s.items);
}
const entries = Array.from({ length: 10_000 }, (_, i) => {
  const b = base[i % base.length]!;
  const who =
    i % 50 === 7
      ? entities[i % entities.length]!.name
      : i % 50 === 19
        ? followed[i % followed.length]!
        : null;
  const caseName = who ? `${who} v. DEPARTMENT OF THE TREASURY et al` : b.caseName;
  return {
    ...b,
    guid: `bench-${i}`,
    docket: `1:26-cv-${String(i).padStart(5, '0')}`,
    caseName,
    title: `1:26-cv-${String(i).padStart(5, '0')} ${caseName}`,
  };
});

let t = performance.now();
const index = new MentionIndex(names);
const buildMs = performance.now() - t;
t = performance.now();
let withMentions = 0;
for (const e of entries)
  if (index.find(itemText(e), { parties: captionParties(e.caseName) }).length) withMentions++;
const scanMs = performance.now() - t;
console.log(
  `mention scan: 10,000 entries × ${names.length.toLocaleString('en-US')} names (1,000 followed): index ${buildMs.toFixed(0)} ms + scan ${scanMs.toFixed(0)} ms = ${(buildMs + scanMs).toFixed(0)} ms (target < 1000 ms: ${buildMs + scanMs < 1000 ? 'met' : 'MISSED'}); ${withMentions} entries name someone (400 were built to; a few listed names are too generic to count alone)`,
);

// 1,000-entry feed polls end to end.
const server = await new FeedServer().start();
const h = createHarness({ defaultChannels: ['console:bench'] });
server.set('/sdn.csv', { kind: 'body', body: readFileSync(join(dir, 'sdn_2024-05-01_full.csv')) });
await h.poll(source('sdn', 'ofac-csv', server.url('/sdn.csv')));
indexQueued(h.db);
h.db.transaction(() => {
  followed.forEach((f, i) =>
    addSubscription(
      h.db,
      `slack:C${i % 50}`,
      { kind: 'entity', value: f },
      new Date().toISOString(),
    ),
  );
})();
const xmlOf = (from: number) => {
  const items = entries
    .slice(from, from + 1000)
    .map(
      (e) =>
        `<item><title>${e.title.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</title><link>https://ecf.nysd.uscourts.gov/cgi-bin/DktRpt.pl?${e.guid}</link><description>[${(e.entryTypes ?? ['Order'])[0]}] (&lt;a href="https://ecf.nysd.uscourts.gov/doc1/1271${e.guid.slice(6)}" &gt;1&lt;/a&gt;)</description><guid isPermaLink="true">${e.guid}</guid><pubDate>Wed, 18 Apr 2018 00:09:55 GMT</pubDate></item>`,
    );
  return `<?xml version="1.0" encoding="ISO-8859-1"?><rss version="2.0"><channel><title>S.D.N.Y.</title><link>https://ecf.nysd.uscourts.gov</link>${items.join('\n')}</channel></rss>`;
};
const feed = source('pacer-bench', 'pacer', server.url('/feed.xml'));
server.set('/feed.xml', { kind: 'body', body: xmlOf(0) });
await h.poll(feed);
// Five polls, each of the next 1,000 entries: the figure is their median, with the range.
const polls: { ms: number; alerts: number }[] = [];
for (let k = 1; k <= 5; k++) {
  server.set('/feed.xml', { kind: 'body', body: xmlOf(k * 1000) });
  t = performance.now();
  const r = await h.poll(feed);
  polls.push({ ms: performance.now() - t, alerts: r.alerts.length });
}
const sorted = polls.map((p) => p.ms).sort((a, b) => a - b);
const pollMs = sorted[2]!;
console.log(
  `feed poll: 1,000 new PACER entries, 14,966-entry SDN list + 1,000 followed names: ${pollMs.toFixed(0)} ms (median of 5 polls, ${sorted[0]!.toFixed(0)}–${sorted[4]!.toFixed(0)} ms; target < 300 ms: ${pollMs < 300 ? 'met' : 'MISSED'}); ${polls.map((p) => p.alerts).join(', ')} alerts`,
);

// The next 1,000 entries as cron's `sanctions-radar poll` reads them: a whole process, start-up
// included, on copies of this database as the app leaves it, from a download site of its own; the
// median of five with their range, as ratios to `node -e 0` and to the previous release.
{
  h.db.pragma('wal_checkpoint(TRUNCATE)');
  const work = mkdtempSync(join(tmpdir(), 'sr-bench-fcli-'));
  const db = join(work, 'cli.db');
  copyFileSync(join(h.dir, 'test.db'), db);
  openStore(db).db.close();
  mkdirSync(join(work, 'served'));
  writeFileSync(join(work, 'served', 'feed.xml'), xmlOf(6000));
  const site = spawn(
    process.execPath,
    ['--import', 'tsx', join(here, 'static-server.ts'), join(work, 'served')],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const port = await new Promise<string>((resolve) =>
    site.stdout.once('data', (d: Buffer) => resolve(d.toString().trim())),
  );
  const sources = join(work, 'sources.json');
  writeFileSync(
    sources,
    JSON.stringify({
      sources: [
        { id: 'pacer-bench', kind: 'pacer', url: `http://127.0.0.1:${port}/feed.xml?etag=0` },
      ],
    }),
  );
  const processes = new WholeProcess();
  const release = previousRelease(join(here, '..'));
  const poll = new InTurn(release);
  const node: { ms: number }[] = [];
  let said = '';
  let waited = '';
  try {
    for (let i = 0; i < 5; i++) {
      node.push(processes.run(['-e', '0']));
      const r = poll.run(bin, (command) =>
        processes.run([
          command,
          'poll',
          '--sources',
          sources,
          '--db',
          freshCopy(db, join(work, 'run.db')),
        ]),
      );
      said = /pacer-bench: [^\n]*/.exec(r.output)?.[0] ?? '';
    }
    // Beside it, a write of another process (a `subscribe`): how long it waits for the poll.
    waited = await waitsBeside(release, bin, 3, work, (command) => {
      const copy = freshCopy(db, join(work, 'run.db'));
      return {
        db: copy,
        run: () => processes.run([command, 'poll', '--sources', sources, '--db', copy]),
      };
    });
  } finally {
    site.kill('SIGTERM');
    processes.close();
    rmSync(work, { recursive: true, force: true });
  }
  const nodeFigure = figureOf(node);
  console.log(
    `feed poll as \`sanctions-radar poll\`, a whole process: ${poll.told(nodeFigure)} (node -e 0: ${range(nodeFigure)}), peak RSS ${poll.figure.rssMb.toFixed(0)} MB; it said "${said}"; a write beside it (a \`subscribe\` from another process) waits for it at most: ${waited}`,
  );
}
h.close();
await server.stop();
