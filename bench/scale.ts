// `npm run bench -- DIR scale`: the two figures of a real deployment's size, each as a ratio.
// 1. A day's list poll (35 changes on the full SDN list) with 100,000 follows (100 channels × 1,000
//    subscriptions) and 50,000 holdings (50 portfolios × 1,000), against the same poll with none.
//    The cron poll is `sanctions-radar poll` as its own process, start-up included (what cron
//    runs), each on a fresh copy of the day-before database whose follows were keyed when added (as
//    subscribe and import do); the daemon's poll, warm, in a process of its own beside it. Each
//    figure is the median of five with their range, as a ratio to `node -e 0` and to the previous
//    release (bench/previous-release.ts) polling the same databases, when its schema is the same.
//    Beside the cron poll, how long a write of another process (a `subscribe`) waits for it.
// 2. A one-by-one catch-up through the real Slack adapter and dispatch loop against a fake Slack that
//    enforces one message a second per channel (429 with Retry-After), against that pace's floor.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createSlackAdapter } from '../adapters/slack/slack-adapter.js';
import type { Db } from '../db/database.js';
import { addHoldings } from '../db/holdings.js';
import { enqueueAlert } from '../db/outbox.js';
import { ensureSource } from '../db/source-state.js';
import { addSubscription } from '../db/subscriptions.js';
import { healthAlert } from '../src/alerts/derive.js';
import { readSettings } from '../src/config/settings.js';
import { DispatchLoop } from '../src/delivery/dispatch-loop.js';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import { indexFollows } from '../src/routing/follow-index.js';
import { indexQueued } from '../src/store/indexing.js';
import { silentLogger } from '../src/log.js';
import { parseHoldingsFile } from '../src/portfolio/holdings-file.js';
import { pollSource } from '../src/poll/poll-source.js';
import { openStore } from '../src/store/open.js';
import { parseCsl } from '../src/sources/csl.js';
import { FakeSlack } from '../tests/helpers/fake-slack.js';
import { previousRelease } from './previous-release.js';
import {
  figureOf,
  freshCopy,
  InTurn,
  median,
  range,
  ratios,
  waitsBeside,
  WholeProcess,
} from './whole-process.js';
import { createHarness, source } from '../tests/helpers/poll-harness.js';

const dir = process.argv[2]!;

// 1. Routing. The day's file is the full list; the day before lacks 35 of its entries.
const full = readFileSync(join(dir, 'sdn_2024-05-01_full.csv'), 'latin1');
const lines = full.split('\r\n');
const work = mkdtempSync(join(tmpdir(), 'sr-scale-'));
const before = join(work, 'before.csv');
const after = join(work, 'after.csv');
writeFileSync(
  before,
  Buffer.from(lines.filter((_, i) => i < 200 || i >= 235).join('\r\n'), 'latin1'),
);
writeFileSync(after, Buffer.from(full, 'latin1'));
const REGION = ['North', 'South', 'East', 'West', 'Global', 'Pacific', 'Atlantic'];
const TRADE = [
  'Trading',
  'Shipping',
  'Mining',
  'Energy',
  'Textiles',
  'Logistics',
  'Metals',
  'Foods',
  'Chemicals',
  'Optics',
  'Motors',
];
const sdnNames = lines
  .slice(0, 5000)
  .map((l) => /^\d+,"([^"]+)"/.exec(l)?.[1])
  .filter((n): n is string => !!n);
// A China desk's follows: the CSL's Entity List, MEU and CMIC companies (not on the SDN polled).
// The CSL as stored was cut mid-record: its partial last row is dropped.
const cslText = readFileSync(join(dir, 'csl_2023-11_watchman_subset.csv'), 'utf8');
const csl = parseCsl(Buffer.from(cslText.slice(0, cslText.lastIndexOf('\n') + 1)));
const chinaNames = [
  ...new Set(
    csl.keys
      .map((_, i) => csl.record(i))
      .filter((r) => ['Entity List', 'MEU', 'NS-CMIC'].includes(r.list))
      .map((r) => r.name),
  ),
];

/**
 * Two compositions of the 100,000 follows. 'sdn-words': each followed name an SDN name (the first
 * 5,000, which hold the day's 35 additions) with a region and a trade, so every change shares rare
 * words with thousands of follows: the worst case. 'china-desk': the ~1,000 Entity List, MEU and
 * CMIC companies followed by every channel as written.
 */
type Follows = 'none' | 'sdn-words' | 'china-desk';

function followedName(kind: Follows, c: number, i: number): string {
  if (kind === 'china-desk') return chinaNames[(c * 7 + i) % chinaNames.length]!;
  return `${sdnNames[(c * 1000 + i) % sdnNames.length]} ${REGION[i % 7]} ${TRADE[(c + i) % 11]}`;
}

function heldName(kind: Follows, p: number, i: number): string {
  if (kind === 'china-desk') return chinaNames[(p * 977 + i) % chinaNames.length]!;
  return `${sdnNames[(p * 977 + i) % sdnNames.length]} ${TRADE[i % 11]} Group`;
}

/** What the poll is given, as the app gives it (the source's file read locally). */
const pollDeps = (db: Db) => ({
  db,
  log: silentLogger,
  fetch: {
    timeoutMs: 10_000,
    maxBytes: 64 * 1024 * 1024,
    userAgent: 'bench',
    retries: 0,
    retryDelayMs: 5,
  },
  defaultChannels: ['console:ops'],
  maxShrink: 1,
  confirmPolls: 3,
});

/** A database as the day before leaves it, opened as the app opens it: the list polled, the follows added and keyed. */
async function prepared(follows: Follows): Promise<{ db: string; keyingMs: number }> {
  const path = join(work, `${follows}.db`);
  const { db } = openStore(path);
  try {
    await pollSource(pollDeps(db), source('ofac-sdn', 'ofac-csv', pathToFileURL(before).href));
    if (follows !== 'none') {
      const at = new Date().toISOString();
      db.transaction(() => {
        for (let c = 0; c < 100; c++)
          for (let i = 0; i < 1000; i++)
            addSubscription(
              db,
              `slack:C${c}`,
              { kind: 'entity', value: followedName(follows, c, i) },
              at,
            );
      })();
      for (let p = 0; p < 50; p++) {
        const rows = [
          'Security Name;ISIN;Ticker',
          ...Array.from(
            { length: 1000 },
            (_, i) => `${heldName(follows, p, i).replace(/;/g, ' ')};;T${p}X${i} US`,
          ),
        ];
        addHoldings(db, `slack:P${p}`, parseHoldingsFile(rows.join('\n')).holdings, at);
      }
    }
    // What `subscribe` and `portfolio import` do once per follow added, outside the poll, with the
    // name index built as the daemon leaves it after a poll.
    indexQueued(db);
    const k = performance.now();
    indexFollows(db);
    const keyingMs = performance.now() - k;
    db.pragma('wal_checkpoint(TRUNCATE)');
    return { db: path, keyingMs };
  } finally {
    db.close();
  }
}

const after35 = (out: string) => {
  if (!out.includes('(+35 -0 ~0'))
    throw new Error(`expected 35 additions, got: ${out.slice(0, 300)}`);
};

const here = dirname(fileURLToPath(import.meta.url));
const bin = join(here, '..', 'bin', 'sanctions-radar.js');
const sources = join(work, 'sources.json');
writeFileSync(
  sources,
  JSON.stringify({
    sources: [{ id: 'ofac-sdn', kind: 'ofac-csv', url: pathToFileURL(after).href }],
  }),
);
const kinds = ['none', 'sdn-words', 'china-desk'] as const;
const dbs = new Map<Follows, { db: string; keyingMs: number }>();
for (const kind of kinds) dbs.set(kind, await prepared(kind));
// The previous release polls the same databases, when it knows their schema.
const release = previousRelease(join(here, '..'));
const processes = new WholeProcess();
const node: { ms: number }[] = [];
const cron = new Map<Follows, InTurn>(kinds.map((k) => [k, new InTurn(release)]));
for (let i = 0; i < 5; i++) {
  node.push(processes.run(['-e', '0']));
  // The cron poll: `sanctions-radar poll` as its own process, start-up included.
  for (const kind of kinds)
    cron.get(kind)!.run(bin, (command) => {
      const copy = freshCopy(dbs.get(kind)!.db, join(work, 'run.db'));
      const r = processes.run([command, 'poll', '--sources', sources, '--db', copy]);
      after35(r.output);
      return r;
    });
}

// Beside the cron poll, a write of another process.
const waits = new Map<Follows, string>();
for (const kind of ['none', 'sdn-words'] as const)
  waits.set(
    kind,
    await waitsBeside(release, bin, 5, work, (command) => {
      const copy = freshCopy(dbs.get(kind)!.db, join(work, 'run.db'));
      return {
        db: copy,
        run: () =>
          after35(processes.run([command, 'poll', '--sources', sources, '--db', copy]).output),
      };
    }),
  );
processes.close();
/** The daemon's polls, warm, of one build (its own bench/warm-poll.ts), as JSON by database. */
function warmPolls(root: string): Map<Follows, number[]> {
  const daemon = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      join(root, 'bench', 'warm-poll.ts'),
      after,
      '5',
      ...kinds.map((k) => dbs.get(k)!.db),
    ],
    { encoding: 'utf8', cwd: root },
  );
  if (daemon.status !== 0)
    throw new Error(`warm-poll.ts exited ${daemon.status}: ${daemon.stderr.split('\n')[0]}`);
  const times = JSON.parse(daemon.stdout) as Record<string, number[]>;
  return new Map(kinds.map((k) => [k, times[dbs.get(k)!.db]!]));
}
const warm = warmPolls(join(here, '..'));
// The previous release's warm polls, by its own bench/warm-poll.ts, or why there are none.
let previousWarm: Map<Follows, number[]> | string = 'bin' in release ? '' : release.missing;
if ('bin' in release) {
  try {
    previousWarm = warmPolls(dirname(dirname(release.bin)));
  } catch (err) {
    previousWarm = `its warm polls failed: ${String(err).split('\n')[0]}`;
  }
}
const ofMs = (xs: number[]) => figureOf(xs.map((ms) => ({ ms })));
const nodeFigure = figureOf(node);
/** A warm figure with its ratios to node and to the previous release's. */
const toldWarm = (k: Follows) =>
  `median of 5 ${range(ofMs(warm.get(k)!))} ${ratios(ofMs(warm.get(k)!), nodeFigure, typeof previousWarm === 'string' ? previousWarm : ofMs(previousWarm.get(k)!))}`;
const cronOf = (k: Follows) => cron.get(k)!.figure;
console.log(
  `  previous release: ${'bin' in release ? release.name : release.missing}\n` +
    `  node -e 0: median of 5 ${range(nodeFigure)}; a day's poll (35 changes, full SDN) with no follows: as a cron process median of 5 ${cron.get('none')!.told(nodeFigure)}, peak RSS ${cronOf('none').rssMb.toFixed(0)} MB; in the warm daemon ${toldWarm('none')}`,
);
for (const kind of ['sdn-words', 'china-desk'] as const) {
  const c = cronOf(kind);
  const ratio = c.ms / cronOf('none').ms;
  const warmRatio = median(warm.get(kind)!) / median(warm.get('none')!);
  const rss = c.rssMb - cronOf('none').rssMb;
  console.log(
    `  ${kind}, 100,000 follows and 50,000 holdings: the cron poll median of 5 ${cron.get(kind)!.told(nodeFigure)}: ratio ${ratio.toFixed(2)} to none (target ≤ 1.3: ${ratio <= 1.3 ? 'met' : 'MISSED'}), peak RSS +${rss.toFixed(0)} MB (target +50 MB: ${rss <= 50 ? 'met' : 'MISSED'}); ` +
      `in the warm daemon ${toldWarm(kind)}: ratio ${warmRatio.toFixed(2)} to none (${warmRatio <= 1.3 ? 'met' : 'MISSED'}); keying the follows when added (subscribe, portfolio import): ${((dbs.get(kind)!.keyingMs * 1000) / 150_000).toFixed(0)} µs a follow`,
  );
}
console.log(
  `  a write beside the cron poll (a \`subscribe\` from another process) waits for it at most: ${[...waits].map(([kind, told]) => `${kind}: ${told}`).join('; ')}`,
);

// 2. Delivery at Slack's pace: 30 messages for one channel, 30 spread over 10 more, against a
// Slack that takes one message a second per channel and one each 200 ms from the workspace.
const fake = await new FakeSlack(1000, 200).start();
const h = createHarness();
try {
  ensureSource(h.db, 's', 'rss', null);
  const slack = createSlackAdapter(
    {
      botToken: 'xoxb-scale',
      appToken: null,
      signingSecret: null,
      apiUrl: fake.apiUrl,
      paceMs: 1000,
      workspacePaceMs: 200,
    },
    { env: {}, settings: readSettings({}), log: silentLogger, mode: 'poll', json: false },
  );
  const dispatcher = new Dispatcher(h.db, silentLogger, [slack], { batchSize: 1 });
  const at = new Date().toISOString();
  const channels = [
    ...Array.from({ length: 30 }, () => 'slack:CBUSY'),
    ...Array.from({ length: 30 }, (_, i) => `slack:C${i % 10}`),
  ];
  for (const [i, ch] of channels.entries())
    enqueueAlert(
      h.db,
      healthAlert('failing', `message ${i}`, { id: 's', label: 's' }, at),
      new Map([[ch, 't']]),
      null,
    );
  const sent = () =>
    h.db.prepare("SELECT count(*) FROM deliveries WHERE status = 'sent'").pluck().get() as number;
  const loop = new DispatchLoop(() => dispatcher.dispatch(), { beatMs: 5000 });
  const t = performance.now();
  await loop.run();
  while (sent() < channels.length && performance.now() - t < 180_000)
    await new Promise((r) => setTimeout(r, 50));
  const s = (performance.now() - t) / 1000;
  loop.stop();
  const floor = 29; // 30 messages to one channel, one a second: the first at once
  const refused = fake.calls.filter((c) => c.method === 'chat.postMessage' && !c.ok).length;
  console.log(
    `  a catch-up of ${channels.length} messages (30 to one channel, 30 over ten) against a Slack that takes one a second per channel and five a second per workspace: ${s.toFixed(1)} s against a floor of ${floor} s: ratio ${(s / floor).toFixed(2)} (target ≤ 1.2: ${s / floor <= 1.2 ? 'met' : 'MISSED'}); ${refused} answered 429`,
  );
} finally {
  h.close();
  await fake.stop();
}

// 3. The issue's catch-up: 1,348 messages to one channel, one by one, at Slack's pace scaled 20×
// (a message each 50 ms, 429 with Retry-After sooner), and the CPU each message costs early and
// late in the backlog: a refusal writes one row, not the backlog.
{
  const pace = 50;
  const total = 1348;
  const fast = await new FakeSlack(pace).start();
  const hc = createHarness();
  try {
    ensureSource(hc.db, 's', 'rss', null);
    const slack = createSlackAdapter(
      {
        botToken: 'xoxb-scale',
        appToken: null,
        signingSecret: null,
        apiUrl: fast.apiUrl,
        paceMs: pace,
      },
      { env: {}, settings: readSettings({}), log: silentLogger, mode: 'poll', json: false },
    );
    const dispatcher = new Dispatcher(hc.db, silentLogger, [slack], { batchSize: 1 });
    const at = new Date().toISOString();
    hc.db.transaction(() => {
      for (let i = 0; i < total; i++)
        enqueueAlert(
          hc.db,
          healthAlert('failing', `message ${i}`, { id: 's', label: 's' }, at),
          new Map([['slack:CCATCHUP', 't']]),
          null,
        );
    })();
    const sent = () =>
      hc.db
        .prepare("SELECT count(*) FROM deliveries WHERE status = 'sent'")
        .pluck()
        .get() as number;
    const loop = new DispatchLoop(() => dispatcher.dispatch(), { beatMs: 5000 });
    const t = performance.now();
    const cpu: { at: number; micros: number }[] = [];
    await loop.run();
    for (let n = sent(); n < total && performance.now() - t < 600_000; n = sent()) {
      const u = process.cpuUsage();
      cpu.push({ at: n, micros: u.user + u.system });
      await new Promise((r) => setTimeout(r, 200));
    }
    const s = (performance.now() - t) / 1000;
    loop.stop();
    const floor = ((total - 1) * pace) / 1000;
    const per = (from: number, to: number) => {
      const a = cpu.find((c) => c.at >= from)!;
      const b = [...cpu].reverse().find((c) => c.at <= to)!;
      return (b.micros - a.micros) / Math.max(1, b.at - a.at) / 1000;
    };
    const refused = fast.calls.filter((c) => c.method === 'chat.postMessage' && !c.ok).length;
    console.log(
      `  the catch-up of ${total} messages to one channel at a 50 ms pace: ${s.toFixed(1)} s against a floor of ${floor.toFixed(1)} s: ratio ${(s / floor).toFixed(2)} (target ≤ 1.2: ${s / floor <= 1.2 ? 'met' : 'MISSED'}); ${refused} answered 429; CPU a message ${per(0, 300).toFixed(2)} ms over the first 300, ${per(total - 350, total - 50).toFixed(2)} ms over the last 300`,
    );
  } finally {
    hc.close();
    await fast.stop();
    rmSync(work, { recursive: true, force: true });
  }
}
