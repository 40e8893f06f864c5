// Slack takes about one message a second per channel: a backlog for one channel goes out at that
// pace, each message asked once (no 429 earned), while another channel is not held up.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSlackAdapter, readSlackConfig } from '../adapters/slack/slack-adapter.js';
import { openDb, type Db } from '../db/database.js';
import { enqueueAlert } from '../db/outbox.js';
import { ensureSource } from '../db/source-state.js';
import { healthAlert } from '../src/alerts/derive.js';
import { readSettings } from '../src/config/settings.js';
import { DispatchLoop } from '../src/delivery/dispatch-loop.js';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import { silentLogger } from '../src/log.js';
import { FakeSlack } from './helpers/fake-slack.js';
import { waitFor } from './helpers/wait.js';

describe('Slack pace', () => {
  const fake = new FakeSlack();
  let dir: string;
  let db: Db;
  beforeAll(async () => {
    await fake.start();
    dir = mkdtempSync(join(tmpdir(), 'sr-pace-'));
    db = openDb(join(dir, 'radar.db')).db;
    ensureSource(db, 's', 'rss', null);
  });
  afterAll(async () => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    await fake.stop();
  });

  it('is one message a second per channel by default, and SANCTIONS_RADAR_SLACK_PACE_MS sets it', () => {
    expect(readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1' }, 'poll')!.paceMs).toBe(1000);
    expect(
      readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SANCTIONS_RADAR_SLACK_PACE_MS: '0' }, 'poll')!
        .paceMs,
    ).toBe(0);
    expect(() =>
      readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1', SANCTIONS_RADAR_SLACK_PACE_MS: 'fast' }, 'poll'),
    ).toThrow(/SANCTIONS_RADAR_SLACK_PACE_MS=fast is not valid/);
  });

  it('sends a backlog of one channel at the pace set (200 ms here), asking Slack once per message, and another channel meanwhile', async () => {
    const slack = createSlackAdapter(
      {
        botToken: 'xoxb-pace',
        appToken: null,
        signingSecret: null,
        apiUrl: fake.apiUrl,
        paceMs: 200,
      },
      { env: {}, settings: readSettings({}), log: silentLogger, mode: 'poll', json: false },
    );
    // One alert a pass for each channel's batch, so each is a message of its own (no digest).
    const dispatcher = new Dispatcher(db, silentLogger, [slack], { batchSize: 1 });
    const at = new Date().toISOString();
    for (let i = 0; i < 5; i++)
      enqueueAlert(
        db,
        healthAlert('failing', `busy ${i}`, { id: 's', label: 's' }, at),
        new Map([['slack:CBUSY', 't']]),
        null,
      );
    enqueueAlert(
      db,
      healthAlert('failing', 'other', { id: 's', label: 's' }, at),
      new Map([['slack:COTHER', 't']]),
      null,
    );
    const loop = new DispatchLoop(() => dispatcher.dispatch(), { beatMs: 5000 });
    const started = Date.now();
    await loop.run();
    const sent = () =>
      db.prepare("SELECT count(*) FROM deliveries WHERE status = 'sent'").pluck().get() as number;
    // No beat runs here: only the loop's own wake-ups can get the five out.
    await waitFor(() => sent() >= 6);
    loop.stop();
    await dispatcher.dispatch();
    const posts = fake.posts();
    expect(posts).toHaveLength(6);
    expect(fake.calls.filter((c) => c.method === 'chat.postMessage' && !c.ok)).toHaveLength(0);
    // The other channel did not wait behind the busy one.
    expect(
      posts
        .slice(0, 2)
        .map((p) => p.channel)
        .sort(),
    ).toEqual(['CBUSY', 'COTHER']);
    // Five messages to one channel at one per 200 ms: at least 800 ms from first to last.
    expect(Date.now() - started).toBeGreaterThanOrEqual(800);
    expect(sent()).toBe(6);
  });

  it('sent faster than Slack takes them, the 429s are sent again when their Retry-After ends, not at the next beat', async () => {
    const strict = await new FakeSlack(1000).start();
    try {
      const slack = createSlackAdapter(
        {
          botToken: 'xoxb-429',
          appToken: null,
          signingSecret: null,
          apiUrl: strict.apiUrl,
          paceMs: 0,
        },
        { env: {}, settings: readSettings({}), log: silentLogger, mode: 'poll', json: false },
      );
      const dispatcher = new Dispatcher(db, silentLogger, [slack], { batchSize: 1 });
      const at = new Date().toISOString();
      for (let i = 0; i < 3; i++)
        enqueueAlert(
          db,
          healthAlert('failing', `fast ${i}`, { id: 's', label: 's' }, at),
          new Map([['slack:CFAST', 't']]),
          null,
        );
      const sentHere = () =>
        db
          .prepare(
            "SELECT count(*) FROM deliveries WHERE channel = 'slack:CFAST' AND status = 'sent'",
          )
          .pluck()
          .get() as number;
      // A beat of 30 s: only the loop's wake-ups at each Retry-After can finish within the test.
      const loop = new DispatchLoop(() => dispatcher.dispatch(), { beatMs: 30_000 });
      const started = Date.now();
      await loop.run();
      while (sentHere() < 3 && Date.now() - started < 20_000)
        await new Promise((r) => setTimeout(r, 50));
      loop.stop();
      expect(sentHere()).toBe(3);
      expect(strict.accepted()).toHaveLength(3);
      // All three within the 20 s waited, under the 30 s beat: the Retry-After woke the loop.
      expect(strict.calls.some((c) => c.method === 'chat.postMessage' && !c.ok)).toBe(true);
    } finally {
      await strict.stop();
    }
  }, 30_000);

  it('a 429 touches only the message it answered: the channel waits as a whole, and an alert queued meanwhile does not overtake', async () => {
    const strict = await new FakeSlack(1000).start();
    try {
      const slack = createSlackAdapter(
        {
          botToken: 'xoxb-hold',
          appToken: null,
          signingSecret: null,
          apiUrl: strict.apiUrl,
          paceMs: 0,
        },
        { env: {}, settings: readSettings({}), log: silentLogger, mode: 'poll', json: false },
      );
      const dispatcher = new Dispatcher(db, silentLogger, [slack], { batchSize: 1 });
      const at = new Date().toISOString();
      const ids = Array.from(
        { length: 200 },
        (_, i) =>
          enqueueAlert(
            db,
            healthAlert('failing', `backlog ${i}`, { id: 's', label: 's' }, at),
            new Map([['slack:CHOLD', 't']]),
            null,
          ).id,
      );
      const rows = () =>
        db
          .prepare(
            "SELECT alert_id AS id, status, next_attempt_at AS next, last_error AS error FROM deliveries WHERE channel = 'slack:CHOLD' ORDER BY alert_id",
          )
          .all() as { id: number; status: string; next: string; error: string | null }[];
      const before = rows();
      // The first message goes out, the second is answered 429: one pass.
      await dispatcher.dispatch();
      const after = rows();
      expect(after.filter((r) => r.status === 'sent').map((r) => r.id)).toEqual([ids[0]]);
      const touched = after.filter(
        (r, i) =>
          r.status === 'pending' && (r.next !== before[i]!.next || r.error !== before[i]!.error),
      );
      expect(touched.map((r) => r.id)).toEqual([ids[1]]);
      expect(
        db
          .prepare("SELECT held_until FROM channel_state WHERE channel = 'slack:CHOLD'")
          .pluck()
          .get(),
      ).toBe(touched[0]!.next);
      // Queued during the hold: nothing is claimed for the channel until it ends, then in order.
      const late = enqueueAlert(
        db,
        healthAlert('failing', 'late', { id: 's', label: 's' }, new Date().toISOString()),
        new Map([['slack:CHOLD', 't']]),
        null,
      ).id;
      const passed = await dispatcher.dispatch();
      expect(passed.sent).toBe(0);
      expect(Date.parse(passed.nextDueAt!)).toBe(Date.parse(touched[0]!.next));
      await new Promise((r) =>
        setTimeout(r, Math.max(0, Date.parse(touched[0]!.next) - Date.now()) + 50),
      );
      await dispatcher.dispatch();
      const accepted = strict.accepted().map((p) => String(p.text ?? ''));
      expect(accepted[1]).toMatch(/backlog 1\b/);
      expect(accepted.some((t) => /late/.test(t))).toBe(false);
      expect(late).toBeGreaterThan(ids[199]!);
    } finally {
      await strict.stop();
    }
  }, 30_000);

  it('paces the workspace too (SANCTIONS_RADAR_SLACK_WORKSPACE_PACE_MS, 200 by default): twelve channels at once earn no 429 from a Slack that takes one message each 100 ms', async () => {
    expect(readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1' }, 'poll')!.workspacePaceMs).toBe(200);
    expect(
      readSlackConfig(
        { SLACK_BOT_TOKEN: 'xoxb-1', SANCTIONS_RADAR_SLACK_WORKSPACE_PACE_MS: '0' },
        'poll',
      )!.workspacePaceMs,
    ).toBe(0);
    expect(() =>
      readSlackConfig(
        { SLACK_BOT_TOKEN: 'xoxb-1', SANCTIONS_RADAR_SLACK_WORKSPACE_PACE_MS: '-5' },
        'poll',
      ),
    ).toThrow(/SANCTIONS_RADAR_SLACK_WORKSPACE_PACE_MS=-5 is not valid/);
    // A Slack of its own for each run: a run's refusals leave no rate window for the next to wait out.
    const fakes = [await new FakeSlack(1000, 100).start(), await new FakeSlack(1000, 100).start()];
    // Twelve channels with one alert each, in a database of their own (the backlogs the tests above
    // leave would take turns of the workspace).
    const twelve = (workspacePaceMs: number, tag: string, strict: FakeSlack) => {
      const own = openDb(join(dir, `${tag}.db`)).db;
      ensureSource(own, 's', 'rss', null);
      const at = new Date().toISOString();
      for (let c = 0; c < 12; c++)
        enqueueAlert(
          own,
          healthAlert('failing', `${tag} ${c}`, { id: 's', label: 's' }, at),
          new Map([[`slack:C${tag}${c}`, 't']]),
          null,
        );
      const slack = createSlackAdapter(
        {
          botToken: 'xoxb-ws',
          appToken: null,
          signingSecret: null,
          apiUrl: strict.apiUrl,
          paceMs: 1000,
          workspacePaceMs,
        },
        { env: {}, settings: readSettings({}), log: silentLogger, mode: 'poll', json: false },
      );
      const refused = () =>
        strict.calls.filter(
          (c) =>
            c.method === 'chat.postMessage' &&
            !c.ok &&
            String(c.args.channel).startsWith(`C${tag}`),
        ).length;
      return {
        own,
        dispatcher: new Dispatcher(own, silentLogger, [slack], { batchSize: 1 }),
        refused,
      };
    };
    try {
      // Without the workspace's pace, the channels all go at once and Slack refuses most of them.
      const free = twelve(0, 'FREE', fakes[0]!);
      await free.dispatcher.dispatch();
      expect(free.refused()).toBeGreaterThan(5);
      free.own.close();
      const paced = twelve(120, 'PACED', fakes[1]!);
      const sent = () =>
        paced.own
          .prepare("SELECT count(*) FROM deliveries WHERE status = 'sent'")
          .pluck()
          .get() as number;
      const loop = new DispatchLoop(() => paced.dispatcher.dispatch(), { beatMs: 30_000 });
      const started = Date.now();
      await loop.run();
      await waitFor(() => sent() >= 12, 20_000).catch(() => undefined);
      loop.stop();
      expect({ sent: sent(), refused: paced.refused() }).toEqual({ sent: 12, refused: 0 });
      // Twelve messages at one per 120 ms: the last goes out at least 11 turns after the first.
      expect(Date.now() - started).toBeGreaterThanOrEqual(11 * 120);
      paced.own.close();
    } finally {
      for (const f of fakes) await f.stop();
    }
  }, 30_000);
});
