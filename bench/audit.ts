// `npm run bench -- audit`: a year of alerts and what proving it costs. 250 versions of a real SDN
// excerpt polled a year apart in steps (every poll adds, removes and amends ~40 entries), each
// change delivered to 50 channels that follow every alert, a decision on every tenth; then
// `sanctions-radar audit` over the whole year as a whole process (cold, the median of 5 with
// their range, as ratios to `node -e 0` and to the previous release), and the cost of remembered
// false positives when a poll routes its changes: a poll's routing with 1,000 clearances standing
// against none; and the hourly reminder check over the year.
import { copyFileSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { addClearance } from '../db/clearances.js';
import { reminderSteps } from '../src/review/reminders.js';
import { deliveredAlert } from '../db/delivered.js';
import { addSubscription } from '../db/subscriptions.js';
import type { ChangeAlert } from '../src/domain.js';
import { IndexedRouter } from '../src/routing/follow-index.js';
import { materialOf } from '../src/review/cleared.js';
import { runReview } from '../src/review/review.js';
import { fixture } from '../tests/helpers/fixtures.js';
import { createHarness, source } from '../tests/helpers/poll-harness.js';
import { openStore } from '../src/store/open.js';
import { previousRelease } from './previous-release.js';
import { figureOf, InTurn, WholeProcess } from './whole-process.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = join(root, 'bin', 'sanctions-radar.js');
if (!existsSync(join(root, 'dist', 'src', 'cli', 'main.js'))) {
  console.log('  audit: no build in dist/ (run `npm run build`); skipped');
  process.exit(0);
}
const rows = fixture('ofac/sdn_2024-04-12_trimmed.csv')
  .toString('latin1')
  .split('\r\n')
  .filter((l) => /^\d/.test(l));
// Two versions: the second without every third entry and with every fifth remark amended.
const versions = [
  rows,
  rows
    .filter((_, i) => i % 3 !== 1)
    .map((r, i) => (i % 5 === 0 ? r.replace(/-0- $/, '"Amended."') : r)),
].map((v) => Buffer.from(`${v.join('\r\n')}\r\n\x1a`, 'latin1'));

let clock = Date.parse('2026-01-01T00:00:00Z');
const h = createHarness({ maxShrink: 1, defaultChannels: [], now: () => new Date(clock) });
const work = mkdtempSync(join(tmpdir(), 'sr-bench-audit-'));
try {
  const at = new Date(clock).toISOString();
  for (let c = 0; c < 50; c++) addSubscription(h.db, `slack:C${c}`, { kind: 'all' }, at);
  const file = join(h.dir, 'sdn.csv');
  const cfg = source('ofac-sdn', 'ofac-csv', pathToFileURL(file).href);
  let alerts = 0;
  const built = performance.now();
  for (let i = 0; i < 250; i++) {
    clock += 35 * 3_600_000;
    writeFileSync(file, versions[i % 2]!);
    const r = await h.poll(cfg);
    alerts += r.alerts.length;
    h.db
      .prepare(
        "UPDATE deliveries SET status = 'sent', sent_at = ?, message_id = 'm' WHERE status = 'pending'",
      )
      .run(new Date(clock + 5000).toISOString());
    h.db.transaction(() => {
      for (const a of r.alerts.filter((_, k) => k % 10 === 0))
        runReview(
          h.db,
          {
            alertId: a.id,
            channel: 'slack:C0',
            userId: 'U0002',
            userName: 'ana',
            action: 'ack',
            requestKey: `bench:${a.id}`,
          },
          new Date(clock + 60_000),
        );
    })();
  }
  const deliveries = h.db.prepare('SELECT count(*) FROM deliveries').pluck().get() as number;
  h.db.pragma('wal_checkpoint(TRUNCATE)');
  const db = join(work, 'year.db');
  copyFileSync(join(h.dir, 'test.db'), db);
  console.log(
    `  a year: 250 polls, ${alerts} alerts, ${deliveries} deliveries to 50 channels, built in ${((performance.now() - built) / 1000).toFixed(0)} s`,
  );

  // As the app leaves it (the harness opens without the index marks a process checks).
  openStore(db).db.close();
  const processes = new WholeProcess();
  const audit = new InTurn(previousRelease(root));
  const node: { ms: number }[] = [];
  let bytes = 0;
  for (let i = 0; i < 5; i++) {
    node.push(processes.run(['-e', '0']));
    const r = audit.run(bin, (command) =>
      processes.run([command, 'audit', '--from', '2026-01-01', '--to', '2026-12-31', '--db', db]),
    );
    bytes = Buffer.byteLength(r.output);
  }
  processes.close();
  console.log(
    `  sanctions-radar audit over the year (${deliveries} rows, ${(bytes / 1e6).toFixed(0)} MB of CSV), a whole process: median of 5 ${audit.told(figureOf(node))}, peak RSS ${audit.figure.rssMb.toFixed(0)} MB`,
  );

  // Remembered false positives: the last poll's changes routed with 1,000 clearances standing
  // (20 on its own entries, 980 elsewhere) against none, median of 5.
  const last = (
    h.db
      .prepare("SELECT id FROM alerts WHERE type LIKE 'designation.%' ORDER BY id DESC LIMIT 40")
      .pluck()
      .all() as number[]
  ).map((id) => deliveredAlert(h.db, id, 'slack:C0')!.alert as ChangeAlert);
  addSubscription(h.db, 'slack:CNAMES', { kind: 'entity', value: 'Galax Trading' }, at);
  const routeAll = () => {
    const router = new IndexedRouter(h.db, []);
    const t = performance.now();
    router.prepare(last);
    for (const a of last) router.routes(a);
    return performance.now() - t;
  };
  const clear = () => h.db.prepare('DELETE FROM clearances').run();
  const stand = () =>
    h.db.transaction(() => {
      for (let i = 0; i < 1000; i++) {
        const entry = last[i % last.length]!.record;
        addClearance(h.db, {
          channel: `slack:C${i % 50}`,
          list: entry.list,
          entryKey: i < 20 ? entry.key : `other-${i}`,
          entryName: entry.name,
          material: materialOf(entry),
          decisionId: 1_000_000 + i,
          clearedAt: at,
          clearedBy: 'bench',
        });
      }
    })();
  for (let i = 0; i < 5; i++) routeAll(); // warm: the JIT, the page cache
  // Taking turns, so that neither runs on a warmer process.
  const without: number[] = [];
  const cleared: number[] = [];
  for (let i = 0; i < 5; i++) {
    clear();
    without.push(routeAll());
    stand();
    cleared.push(routeAll());
  }
  const med = (xs: number[]) => xs.sort((x, y) => x - y)[2]!;
  const none = med(without);
  const withCleared = med(cleared);
  console.log(
    `  routing a poll's ${last.length} changes with 1,000 clearances standing (20 on its entries): ${withCleared.toFixed(1)} ms against ${none.toFixed(1)} ms with none (median of 5; ${(((withCleared - none) * 1000) / last.length).toFixed(0)} µs a change)`,
  );

  // The daemon's hourly reminder check over the year: 49 channels decided nothing (every delivery
  // is a candidate), one decided a tenth. It runs in steps (a page of deliveries each, the daemon
  // answering between two): the whole and the longest step, which is what a slash command may wait.
  // Rolled back each time, so that each run finds the reminders due.
  const now = new Date(clock + 86_400_000);
  for (const fourEyes of ['off', 'escalated', 'all'] as const) {
    const took: number[] = [];
    const longest: number[] = [];
    let queued = 0;
    for (let i = 0; i < 3; i++) {
      h.db.exec('BEGIN');
      const steps = reminderSteps(h.db, { hours: 24, now, fourEyes, platforms: ['slack'] });
      let total = 0;
      let worst = 0;
      for (;;) {
        const t = performance.now();
        const r = steps.next();
        const step = performance.now() - t;
        total += step;
        worst = Math.max(worst, step);
        if (r.done) {
          queued = r.value.length;
          break;
        }
      }
      took.push(total);
      longest.push(worst);
      h.db.exec('ROLLBACK');
    }
    took.sort((x, y) => x - y);
    longest.sort((x, y) => x - y);
    console.log(
      `  reminder check over the year (four eyes ${fourEyes}): ${queued} reminders, median of 3 ${took[1]!.toFixed(0)} ms in all (${took[0]!.toFixed(0)}–${took[2]!.toFixed(0)}), longest step ${longest[1]!.toFixed(1)} ms`,
    );
  }
} finally {
  h.close();
  rmSync(work, { recursive: true, force: true });
}
