// The crash proof of issue #9: `poll --json` killed with SIGKILL at random points of its own
// progress (polling, committing, printing, posting to Slack, Discord and a webhook), over and over,
// against a local list server, the fake Slack and Discord and a webhook receiver; then one clean run. Checks that no alert is
// lost on any channel (stdout included), counts duplicates, and checks the database's integrity.
// `npm run crash -- [KILLS]` prints the report; tests/crash.test.ts runs a shorter one.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { queuedIndexingCount } from '../../db/index-queue.js';
import type { DesignationRecord } from '../../src/domain.js';
import { entityNames } from '../../src/names/entity-names.js';
import { BIN, cleanEnv } from '../helpers/cli.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { FeedServer } from '../helpers/feed-server.js';
import { closeServer, listenLocal, readBody } from '../helpers/listen.js';
import { sdnVersions } from '../helpers/list-versions.js';
import { rng } from '../helpers/rng.js';

export interface CrashReport {
  runs: number;
  crashes: number;
  /** Undisturbed runs it took at the end to empty the outbox. */
  cleanRuns: number;
  alerts: number;
  deliveries: number;
  lost: { stdout: number; slack: number; discord: number; webhook: number };
  duplicates: { stdout: number; slack: number; discord: number; webhook: number };
  /** Webhook posts of one alert under another Idempotency-Key than its first (a receiver could not drop them). */
  webhookKeyMismatches: number;
  pendingAfterCleanRun: number;
  /** Names indexed after the clean runs, against what the stored records give; records still queued. */
  index: { names: number; expected: number; queued: number };
  integrity: string;
  ok: boolean;
}

interface Run {
  stdout: string;
  killed: boolean;
  workMs: number;
}

function runPoll(env: NodeJS.ProcessEnv, args: string[], killAfterMs: number | null): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'poll', '--json', ...args], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let opened = 0;
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d: Buffer) => {
      // Start-up takes about a second; the kill is timed from the moment the database is open.
      if (!opened && /schema up to date|migration/.test(d.toString())) {
        opened = Date.now();
        if (killAfterMs !== null) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
      }
    });
    child.on('error', reject);
    child.on('exit', (_code, signal) => {
      clearTimeout(timer);
      resolve({ stdout, killed: signal === 'SIGKILL', workMs: opened ? Date.now() - opened : 0 });
    });
  });
}

function pendingIn(dbPath: string): number {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db
      .prepare("SELECT count(*) FROM deliveries WHERE status = 'pending'")
      .pluck()
      .get() as number;
  } finally {
    db.close();
  }
}

export async function crashRun(opts: {
  kills: number;
  seed?: number;
  log?: (line: string) => void;
}): Promise<CrashReport> {
  const log = opts.log ?? (() => {});
  const rand = rng(opts.seed ?? 1);
  const dir = mkdtempSync(join(tmpdir(), 'sr-crash-'));
  const server = await new FeedServer().start();
  const slack = await new FakeSlack().start();
  const discord = await new FakeDiscord().start();
  // A webhook receiver that takes everything: what it got, by alert, with the key it came under.
  const hooked: { id: number; key: string }[] = [];
  const receiver = createServer((req, res) => {
    void readBody(req).then((body) => {
      hooked.push({
        id: (JSON.parse(body) as { id: number }).id,
        key: String(req.headers['idempotency-key']),
      });
      res.writeHead(204).end();
    });
  });
  const receiverPort = await listenLocal(receiver);
  try {
    const [a, b] = sdnVersions();
    const sources = join(dir, 'sources.json');
    writeFileSync(
      sources,
      JSON.stringify({
        sources: [
          { id: 'ofac-sdn', kind: 'ofac-csv', url: server.url('/sdn.csv'), label: 'OFAC SDN' },
        ],
      }),
    );
    const dbPath = join(dir, 'radar.db');
    const env = cleanEnv({
      LOG_LEVEL: 'info',
      SLACK_BOT_TOKEN: 'xoxb-crash-test',
      // Loss and duplicates are measured here, not Slack's pace: messages go out as fast as they can.
      SANCTIONS_RADAR_SLACK_PACE_MS: '0',
      SANCTIONS_RADAR_SLACK_WORKSPACE_PACE_MS: '0',
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB',
      DISCORD_API_URL: discord.api,
      SANCTIONS_RADAR_WEBHOOK_CASES_URL: `http://127.0.0.1:${receiverPort}/hook`,
      SANCTIONS_RADAR_WEBHOOK_CASES_SECRET: 'crash-test-secret-0123456789',
      SANCTIONS_RADAR_ALERT_CHANNELS:
        'console:default,slack:C0CRASH,discord:111122223333444455,webhook:cases',
      SANCTIONS_RADAR_MAX_SHRINK: '1',
    });
    const args = ['--sources', sources, '--db', dbPath];
    const outputs: string[] = [];

    // The baseline, then one undisturbed changed poll to learn how long the work takes.
    server.set('/sdn.csv', { kind: 'body', body: a });
    outputs.push((await runPoll(env, args, null)).stdout);
    server.set('/sdn.csv', { kind: 'body', body: b });
    const calibration = await runPoll(env, args, null);
    outputs.push(calibration.stdout);
    const window = Math.max(50, calibration.workMs);
    log(`calibration: a changed poll works ${calibration.workMs} ms after the database opens`);

    let runs = 2;
    let crashes = 0;
    for (let k = 0; crashes < opts.kills && k < opts.kills * 3; k++) {
      server.set('/sdn.csv', { kind: 'body', body: k % 2 === 0 ? a : b });
      const at = Math.floor(rand() * window);
      const r = await runPoll(env, args, at);
      runs++;
      outputs.push(r.stdout);
      if (r.killed) crashes++;
      log(
        `run ${runs}: ${r.killed ? `killed ${at} ms after the database opened` : 'finished before its kill'}`,
      );
    }
    // Clean runs deliver whatever the crashes left behind (one suffices unless the machine is so
    // loaded that a run's 30-second delivery budget ends first, as a cron poll's would).
    let cleanRuns = 0;
    do {
      outputs.push((await runPoll(env, args, null)).stdout);
      runs++;
      cleanRuns++;
    } while (cleanRuns < 5 && pendingIn(dbPath) > 0);

    const db = new Database(dbPath, { readonly: true });
    try {
      const integrity = db.pragma('integrity_check', { simple: true }) as string;
      const routes = db.prepare('SELECT alert_id AS id, channel, status FROM deliveries').all() as {
        id: number;
        channel: string;
        status: string;
      }[];
      const alerts = db.prepare('SELECT count(*) FROM alerts').pluck().get() as number;
      const pendingAfterCleanRun = routes.filter((r) => r.status !== 'sent').length;
      // A kill between a poll's commit and its indexing leaves the queue to the next run.
      const records = db.prepare('SELECT record FROM designations').pluck().all() as string[];
      const index = {
        names: db.prepare('SELECT count(*) FROM entity_names').pluck().get() as number,
        expected: records.reduce(
          (n, r) => n + entityNames(JSON.parse(r) as DesignationRecord).length,
          0,
        ),
        queued: queuedIndexingCount(db),
      };

      const tally = (ids: number[]) => {
        const m = new Map<number, number>();
        for (const id of ids) m.set(id, (m.get(id) ?? 0) + 1);
        return m;
      };
      const printed = tally(
        outputs
          .flatMap((o) => o.split('\n'))
          .flatMap((l) => {
            try {
              return [(JSON.parse(l) as { id: number }).id];
            } catch {
              return []; // a line cut by the kill
            }
          }),
      );
      // Slack: one detail message per alert (a digest's parent names several and is not counted).
      const posted = tally(
        slack
          .accepted()
          .map((p) => slack.alertIdsOf(p))
          .filter((ids) => ids.length === 1)
          .map((ids) => ids[0]!),
      );
      const embedded = tally(
        discord.created
          .flatMap((m) =>
            (m.embeds as { footer?: { text?: string } }[]).map((e) =>
              Number(/alert #(\d+)/.exec(e.footer?.text ?? '')?.[1] ?? NaN),
            ),
          )
          .filter((n) => !Number.isNaN(n)),
      );
      const measure = (channel: string, seen: Map<number, number>) => {
        const ids = routes.filter((r) => r.channel === channel).map((r) => r.id);
        return {
          lost: ids.filter((id) => !seen.has(id)).length,
          duplicates: ids.reduce((n, id) => n + Math.max(0, (seen.get(id) ?? 0) - 1), 0),
        };
      };
      const out = measure('console:default', printed);
      const sl = measure('slack:C0CRASH', posted);
      const dc = measure('discord:111122223333444455', embedded);
      const wh = measure('webhook:cases', tally(hooked.map((h) => h.id)));
      const firstKey = new Map<number, string>();
      let webhookKeyMismatches = 0;
      for (const h of hooked) {
        if (!firstKey.has(h.id)) firstKey.set(h.id, h.key);
        else if (firstKey.get(h.id) !== h.key) webhookKeyMismatches++;
      }
      const report: CrashReport = {
        runs,
        crashes,
        cleanRuns,
        alerts,
        deliveries: routes.length,
        lost: { stdout: out.lost, slack: sl.lost, discord: dc.lost, webhook: wh.lost },
        duplicates: {
          stdout: out.duplicates,
          slack: sl.duplicates,
          discord: dc.duplicates,
          webhook: wh.duplicates,
        },
        webhookKeyMismatches,
        pendingAfterCleanRun,
        index,
        integrity,
        ok: false,
      };
      report.ok =
        integrity === 'ok' &&
        pendingAfterCleanRun === 0 &&
        index.queued === 0 &&
        index.names === index.expected &&
        out.lost + sl.lost + dc.lost + wh.lost === 0 &&
        dc.duplicates === 0 &&
        sl.duplicates <= crashes &&
        out.duplicates <= crashes &&
        wh.duplicates <= crashes &&
        webhookKeyMismatches === 0;
      return report;
    } finally {
      db.close();
    }
  } finally {
    await Promise.all([server.stop(), slack.stop(), discord.stop(), closeServer(receiver)]);
    if (process.env.KEEP_CRASH_DIR) console.error(`kept ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === `file://${process.argv[1]}`) {
  const kills = Number(process.argv[2] ?? 50);
  const report = await crashRun({
    kills,
    seed: Number(process.env.SEED ?? 1),
    log: (l) => console.error(l),
  });
  console.log(JSON.stringify(report, null, 2));
  console.log(
    report.ok ? `OK: ${report.crashes} crashes, nothing lost, duplicates within bounds` : 'FAILED',
  );
  process.exitCode = report.ok ? 0 : 1;
}
