// `npm run soak -- [SECONDS]` (default 120): a bounded run of accelerated polls against a local
// server serving real SDN and CSL versions with random faults (500, 503 with Retry-After, bodies
// cut mid-record and at a record boundary, HTML pages, connection resets), 500 subscriptions over
// the console, a fake Slack and a fake Discord (with rate limits), and two dispatching processes:
// the daemon and a cron-style `poll` loop. Reports alerts created vs delivered, duplicates per
// change and channel, false removals, RSS at start and end, and the database's size.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDb } from '../../db/database.js';
import { runCommand } from '../../src/commands/run.js';
import { NameMatcher } from '../../src/names/matcher.js';
import { BIN, cleanEnv, waitFor } from '../helpers/cli.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { FeedServer, type Behaviour } from '../helpers/feed-server.js';
import { fixture } from '../helpers/fixtures.js';
import { sdnVersions } from '../helpers/list-versions.js';
import { rng } from '../helpers/rng.js';

const seconds = Number(process.argv[2] ?? process.env.SOAK_SECONDS ?? 120);
const say = (s: string) => console.error(`[soak ${new Date().toISOString().slice(11, 19)}] ${s}`);
const rand = rng(Number(process.env.SEED ?? 42));

/** Two real CSL versions: the excerpt, and the same with every 25th row gone and some remarks changed. */
function cslVersions(): [Buffer, Buffer] {
  const text = fixture('csl/consolidated_2023-11_excerpt.csv').toString('utf8');
  const [header, ...rows] = text.split('\n').filter(Boolean);
  const b = rows
    .filter((_, i) => i % 25 !== 3)
    .map((r, i) => (i % 40 === 0 ? r.replace(/"$/, ' (soak)"') : r));
  return [
    Buffer.from(`${header}\n${rows.join('\n')}\n`),
    Buffer.from(`${header}\n${b.join('\n')}\n`),
  ];
}

/** A fault or a good version, at random; the good ones come up most of the time. */
function behaviour(
  good: Buffer[],
  cutAtRecord: (b: Buffer) => Buffer,
): { b: Behaviour; what: string } {
  const body = good[Math.floor(rand() * good.length)]!;
  const r = rand();
  if (r < 0.55) return { b: { kind: 'body', body }, what: 'good' };
  if (r < 0.62)
    return { b: { kind: 'status', status: 500, body: 'Internal Server Error' }, what: '500' };
  if (r < 0.69)
    return {
      b: { kind: 'status', status: 503, body: 'busy', headers: { 'retry-after': '2' } },
      what: '503',
    };
  if (r < 0.76)
    return {
      b: { kind: 'body', body: body.subarray(0, Math.floor(body.length * (0.5 + rand() * 0.49))) },
      what: 'cut mid-record',
    };
  if (r < 0.83)
    return { b: { kind: 'body', body: cutAtRecord(body) }, what: 'cut at a record boundary' };
  if (r < 0.9)
    return {
      b: {
        kind: 'body',
        body: Buffer.from(
          '<html><head><title>Maintenance</title></head><body>Back soon</body></html>',
        ),
        contentType: 'text/html',
      },
      what: 'HTML page',
    };
  return { b: { kind: 'truncate', body, after: Math.floor(body.length / 3) }, what: 'reset' };
}

/** Drops the last 1-3 whole records (and, for OFAC, the end-of-file mark). */
function cutAtRecord(body: Buffer, sep: string): Buffer {
  const text = body.toString('latin1');
  const rows = text.split(sep).filter((l) => /^["\d]/.test(l));
  return Buffer.from(
    `${rows.slice(0, rows.length - 1 - Math.floor(rand() * 3)).join(sep)}${sep}`,
    'latin1',
  );
}

function rssMb(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : 0;
}

const dir = mkdtempSync(join(tmpdir(), 'sr-soak-'));
const server = await new FeedServer().start();
const slack = await new FakeSlack().start();
const discord = await new FakeDiscord().start();
let daemon: ChildProcess | null = null;
try {
  const sdn = sdnVersions();
  const csl = cslVersions();
  const sources = join(dir, 'sources.json');
  writeFileSync(
    sources,
    JSON.stringify({
      sources: [
        {
          id: 'ofac-sdn',
          kind: 'ofac-csv',
          url: server.url('/sdn.csv'),
          label: 'OFAC SDN',
          schedule: '*/2 * * * * *',
        },
        {
          id: 'csl',
          kind: 'csl',
          url: server.url('/csl.csv'),
          label: 'CSL',
          schedule: '1-59/2 * * * * *',
        },
      ],
    }),
  );
  const dbPath = join(dir, 'radar.db');
  const env = cleanEnv({
    LOG_LEVEL: 'warn',
    PORT: '0',
    SANCTIONS_RADAR_SLACK_PACE_MS: '0',
    SANCTIONS_RADAR_SLACK_WORKSPACE_PACE_MS: '0',
    SLACK_BOT_TOKEN: 'xoxb-soak',
    SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
    SLACK_API_URL: slack.apiUrl,
    DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB',
    DISCORD_API_URL: discord.api,
    SANCTIONS_RADAR_ALERT_CHANNELS: 'console:ops',
    SANCTIONS_RADAR_RETENTION_DAYS: String(30 / 86_400),
  });
  const args = ['--sources', sources, '--db', dbPath];

  // Baselines, then 500 subscriptions: names from both lists, the lists, the sources.
  server.set('/sdn.csv', { kind: 'body', body: sdn[0] });
  server.set('/csl.csv', { kind: 'body', body: csl[0] });
  await new Promise<void>((resolve) =>
    spawn(process.execPath, [BIN, 'poll', ...args], { env, stdio: 'ignore' }).on('exit', () =>
      resolve(),
    ),
  );
  {
    const { db } = openDb(dbPath);
    const names = db.prepare('SELECT name FROM designations ORDER BY id').pluck().all() as string[];
    const ctx = { db, matcher: new NameMatcher(db), sources: [] as never[] };
    const channels = [
      ...Array.from({ length: 5 }, (_, i) => `console:c${i}`),
      ...Array.from({ length: 10 }, (_, i) => `slack:C${i}`),
      ...Array.from({ length: 10 }, (_, i) => `discord:${100000000000000000 + i}`),
    ];
    let n = 0;
    for (let i = 0; n < 500; i++) {
      const ch = channels[i % channels.length]!;
      const what =
        i % 50 === 0
          ? '--list SDN'
          : i % 50 === 1
            ? '--list "Entity List"'
            : `"${names[i % names.length]!.replace(/"/g, '')}"`;
      if (runCommand(`subscribe ${what}`, { ...ctx, channel: ch }).ok) n++;
    }
    db.close();
    say(`500 subscriptions over ${channels.length} channels`);
  }

  daemon = spawn(process.execPath, [BIN, 'start', '--json', ...args], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let daemonErr = '';
  daemon.stderr!.on('data', (d) => (daemonErr += d));
  await waitFor(() => existsSync(dbPath) && daemonErr !== null, 5000);
  await new Promise((r) => setTimeout(r, 3000));
  const rssStart = rssMb(daemon.pid!);
  say(`daemon up, RSS ${rssStart.toFixed(0)} MB; soaking ${seconds} s`);

  const faults = new Map<string, number>();
  const end = Date.now() + seconds * 1000;
  let polls = 0;
  const pollLoop = (async () => {
    while (Date.now() < end) {
      await new Promise<void>((resolve) =>
        spawn(process.execPath, [BIN, 'poll', ...args], { env, stdio: 'ignore' }).on('exit', () =>
          resolve(),
        ),
      );
      polls++;
      await new Promise((r) => setTimeout(r, 3000));
    }
  })();
  while (Date.now() < end) {
    const s = behaviour(sdn, (b) => cutAtRecord(b, '\r\n'));
    const c = behaviour(csl, (b) => cutAtRecord(b, '\n'));
    server.set('/sdn.csv', s.b);
    server.set('/csl.csv', c.b);
    for (const w of [`sdn ${s.what}`, `csl ${c.what}`]) faults.set(w, (faults.get(w) ?? 0) + 1);
    if (rand() < 0.1)
      slack.queue('chat.postMessage', {
        status: 429,
        headers: { 'retry-after': '1' },
        body: { ok: false, error: 'ratelimited' },
      });
    if (rand() < 0.1)
      discord.queue({
        status: 429,
        headers: { 'retry-after': '1', 'x-ratelimit-scope': 'user' },
        body: { message: 'You are being rate limited.', retry_after: 1, global: false },
      });
    await new Promise((r) => setTimeout(r, 1000 + rand() * 1500));
  }
  await pollLoop;
  // Good content again, and time for the daemon to deliver what is due.
  server.set('/sdn.csv', { kind: 'body', body: sdn[0] });
  server.set('/csl.csv', { kind: 'body', body: csl[0] });
  await new Promise((r) => setTimeout(r, 15_000));
  const rssEnd = rssMb(daemon.pid!);
  daemon.kill('SIGTERM');
  await new Promise((r) => daemon!.on('exit', r));
  daemon = null;

  const db = new Database(dbPath, { readonly: true });
  const count = (sql: string) => db.prepare(sql).pluck().get() as number;
  const kept = count('SELECT count(*) FROM alerts');
  // Ids are never reused (retention keeps the newest), so the highest is how many were created.
  const created = count('SELECT coalesce(max(id), 0) FROM alerts');
  const changes = count('SELECT count(*) FROM changes');
  const byStatus = Object.fromEntries(
    (
      db.prepare('SELECT status, count(*) AS n FROM deliveries GROUP BY status').all() as {
        status: string;
        n: number;
      }[]
    ).map((r) => [r.status, r.n]),
  );
  // Removals of entries present in both served versions are false: faults must never cause one.
  const keysOf = (b: Buffer, re: RegExp) =>
    new Set([...b.toString('latin1').matchAll(re)].map((m) => m[1]!));
  const sdnBoth = [...keysOf(sdn[0], /^(\d+),/gm)].filter((k) =>
    keysOf(sdn[1], /^(\d+),/gm).has(k),
  );
  const falseSdn = (
    db
      .prepare(
        "SELECT key FROM changes WHERE source_id = 'ofac-sdn' AND type = 'designation.removed'",
      )
      .pluck()
      .all() as string[]
  ).filter((k) => sdnBoth.includes(k)).length;
  const cslRemoved = count(
    "SELECT count(*) FROM changes WHERE source_id = 'csl' AND type = 'designation.removed'",
  );
  // Duplicates: the same alert detailed twice in the same channel.
  const dups = (pairs: string[]) => {
    const m = new Map<string, number>();
    for (const p of pairs) m.set(p, (m.get(p) ?? 0) + 1);
    const twice = [...m].filter(([, n]) => n > 1);
    if (twice.length)
      say(
        `duplicated: ${twice
          .slice(0, 10)
          .map(([p, n]) => `${p}×${n}`)
          .join(', ')}`,
      );
    if (twice.length && process.env.KEEP_SOAK_DIR)
      writeFileSync(
        join(dir, 'slack-posts.json'),
        JSON.stringify(
          slack.posts().map((p) => ({
            channel: p.channel,
            thread: p.thread_ts,
            ids: slack.alertIdsOf(p),
            text: p.text,
          })),
          null,
          1,
        ),
      );
    return twice.reduce((n, [, v]) => n + v - 1, 0);
  };
  const slackDup = dups(
    slack
      .accepted()
      .filter((p) => slack.alertIdsOf(p).length === 1)
      .map((p) => `slack:${String(p.channel)}#${slack.alertIdsOf(p)[0]}`),
  );
  const discordDup = dups(
    discord.created
      .flatMap((m) =>
        (m.embeds as { footer?: { text?: string } }[]).map(
          (e) =>
            `${String(m.channelPath)}#${/alert #(\d+)/.exec(e.footer?.text ?? '')?.[1] ?? '?'}`,
        ),
      )
      .filter((p) => !p.endsWith('#?')),
  );
  const size = (p: string) => (existsSync(p) ? statSync(p).size : 0);
  db.close();
  const report = {
    seconds,
    polls: `daemon every 2 s + ${polls} cron-style polls`,
    faults: Object.fromEntries([...faults].sort()),
    changes,
    alertsCreated: created,
    alertsKeptAfterRetention: kept,
    undelivered: (byStatus.pending ?? 0) + (byStatus.dead ?? 0),
    deliveriesOfKeptAlerts: byStatus,
    accepted: { slackMessages: slack.accepted().length, discordMessages: discord.created.length },
    duplicates: { slack: slackDup, discord: discordDup },
    falseRemovals: { sdn: falseSdn },
    cslRemovalsRecorded: cslRemoved,
    rssMb: { start: Math.round(rssStart), end: Math.round(rssEnd) },
    databaseMb: Math.round(((size(dbPath) + size(`${dbPath}-wal`)) / 1048576) * 10) / 10,
  };
  console.log(JSON.stringify(report, null, 2));
  const ok =
    (byStatus.pending ?? 0) === 0 &&
    (byStatus.dead ?? 0) === 0 &&
    slackDup === 0 &&
    discordDup === 0 &&
    falseSdn === 0;
  console.log(
    ok ? 'OK: everything created was delivered, once; no false removal on SDN' : 'FAILED',
  );
  process.exitCode = ok ? 0 : 1;
} finally {
  daemon?.kill('SIGKILL');
  await Promise.all([server.stop(), slack.stop(), discord.stop()]);
  if (process.env.KEEP_SOAK_DIR) console.error(`kept ${dir}`);
  else rmSync(dir, { recursive: true, force: true });
}
