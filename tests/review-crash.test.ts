// A click acknowledged but not yet written when the daemon dies: the decision is journaled before
// it is written, and the next start records it, once, at the time it was made. The daemon is a
// real process (`sanctions-radar start`, Slack over HTTP against a fake Slack); the database is
// held locked by this test, so the click waits between its acknowledgement and its record, and
// the daemon is killed there with SIGKILL.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../db/database.js';
import { enqueueAlert } from '../db/outbox.js';
import type { NewAlert } from '../src/domain.js';
import { DecisionJournal } from '../src/review/journal.js';
import { openStore } from '../src/store/open.js';
import { cleanEnv, spawnCli, waitFor } from './helpers/cli.js';
import { FakeSlack } from './helpers/fake-slack.js';
import { postSlackInteraction, reviewClick } from './helpers/signed-requests.js';

const SECRET = '0123456789abcdef0123456789abcdef';
const record = {
  key: 'NS-CMIC:30947',
  list: 'NS-CMIC',
  name: 'HUAWEI TECHNOLOGIES CO., LTD.',
  aliases: [],
  type: 'entity',
  programs: ['CMIC-EO13959'],
  countries: ['CN'],
  addresses: [],
  listedOn: '2021-06-03',
  citation: null,
  url: null,
  remarks: null,
};

describe('the decision journal', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sr-journal-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives back what was not handled, skips a line a crash cut short, and keeps what comes in meanwhile', () => {
    const j = new DecisionJournal(join(dir, 'radar.db.decisions'));
    const entry = (key: string) => ({
      input: {
        alertId: 1,
        channel: 'slack:C1',
        userId: 'U1',
        action: 'ack' as const,
        requestKey: key,
      },
      at: '2026-12-05T10:00:00.000Z',
    });
    j.append(entry('a'));
    j.append(entry('b'));
    j.handled('a');
    // A write cut short by a crash, then the next click on a line of its own.
    writeFileSync(j.path, `${readFileSync(j.path, 'utf8')}{"input":{"alertId":1,"chan`, {
      flag: 'w',
    });
    j.append(entry('c'));
    const taken = j.take();
    expect(taken.entries.map((e) => e.input.requestKey)).toEqual(['b', 'c']);
    // A click arriving while they are recorded starts a new journal.
    j.append(entry('d'));
    // A crash before `done`: the next take has them again, with the new one.
    expect(j.take().entries.map((e) => e.input.requestKey)).toEqual(['b', 'c', 'd']);
  });
});

describe('a crash between a click and its record', () => {
  const slack = new FakeSlack();
  let dir: string;
  let alertId = 0;
  beforeAll(async () => {
    await slack.start();
    dir = mkdtempSync(join(tmpdir(), 'sr-review-crash-'));
    const db = openStore(join(dir, 'radar.db')).db;
    const alert: NewAlert = {
      type: 'designation.added',
      source: 'csl',
      sourceLabel: 'trade.gov CSL',
      detectedAt: '2026-12-05T09:00:00.000Z',
      list: 'NS-CMIC',
      entity: { key: record.key, name: record.name, aliases: [], programs: [] },
      record,
    };
    alertId = enqueueAlert(
      db,
      alert,
      new Map([['slack:C0123', 'subscription #1: "Huawei"']]),
      null,
    ).id;
    db.prepare(
      "UPDATE deliveries SET status = 'sent', sent_at = '2026-12-05T09:00:05.000Z', message_id = '1700000000.000100' WHERE alert_id = ?",
    ).run(alertId);
    db.close();
    // A source that is never due (and cannot be reached): the daemon has nothing else to do.
    writeFileSync(
      join(dir, 'sources.json'),
      JSON.stringify({
        sources: [
          {
            id: 'down',
            kind: 'csv',
            url: 'http://127.0.0.1:1/list.csv',
            list: 'X',
            columns: { name: 'Name' },
            schedule: '0 0 1 1 *',
          },
        ],
      }),
    );
  });
  afterAll(async () => {
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const env = () =>
    cleanEnv({
      PORT: '0',
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_SIGNING_SECRET: SECRET,
      SLACK_API_URL: slack.apiUrl,
      SANCTIONS_RADAR_ALERT_CHANNELS: 'console:default',
      SANCTIONS_RADAR_FETCH_RETRIES: '0',
    });
  const start = async () => {
    const run = spawnCli(
      ['start', '--sources', join(dir, 'sources.json'), '--db', join(dir, 'radar.db')],
      env(),
    );
    const started = await waitFor(() =>
      run
        .stderr()
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { msg: string; port?: number })
        .find((l) => l.msg === 'sanctions-radar started'),
    );
    return { run, port: started.port! };
  };
  const click = (port: number, retry?: number) =>
    postSlackInteraction(
      port,
      SECRET,
      reviewClick({ alertId, actionTs: '1764928800.000100', responseUrl: slack.url('/respond/1') }),
      retry ? { retry } : {},
    );
  const decisions = () => {
    const { db } = openDb(join(dir, 'radar.db'));
    try {
      return db
        .prepare(
          'SELECT action, user_id AS userId, decided_at AS decidedAt FROM decisions WHERE alert_id = ?',
        )
        .all(alertId) as { action: string; userId: string; decidedAt: string }[];
    } finally {
      db.close();
    }
  };

  it('loses no decision, and records it once when Slack sends the click again', async () => {
    slack.queue('users.info', { body: { ok: true, user: { id: 'U0002', is_admin: true } } });
    const first = await start();
    // Once its first poll is over (the source is down), the daemon only dispatches on its beat.
    await waitFor(() => first.run.stdout().includes('SOURCE FAILING down') || undefined);
    // The database held by another writer: the click waits between its acknowledgement and its record.
    const { db: lock } = openDb(join(dir, 'radar.db'));
    lock.exec('BEGIN IMMEDIATE');
    const clickedAt = Date.now();
    try {
      expect((await click(first.port)).status).toBe(200);
      // Each write of the daemon waits 5 s for the lock (SQLite's busy timeout) before it gives up.
      await waitFor(
        () =>
          (existsSync(join(dir, 'radar.db.decisions')) &&
            readFileSync(join(dir, 'radar.db.decisions'), 'utf8').includes('"requestKey"')) ||
          undefined,
        25_000,
      );
      first.run.child.kill('SIGKILL');
      await new Promise((resolve) => first.run.child.once('close', resolve));
    } finally {
      lock.exec('ROLLBACK');
      lock.close();
    }
    expect(decisions()).toEqual([]);

    slack.queue('users.info', { body: { ok: true, user: { id: 'U0002', is_admin: true } } });
    const second = await start();
    try {
      // Recorded at start, at the time of the click, not of the restart.
      const recorded = decisions();
      expect(recorded).toEqual([{ action: 'ack', userId: 'U0002', decidedAt: expect.any(String) }]);
      expect(Math.abs(Date.parse(recorded[0]!.decidedAt) - clickedAt)).toBeLessThan(5_000);
      expect(second.run.stderr()).toMatch(
        /recorded decisions a crash or a locked database had left in the journal/,
      );
      // Slack sends the same click again: nothing more.
      expect((await click(second.port, 1)).status).toBe(200);
      await waitFor(() => slack.calls.some((c) => c.method === 'chat.update') || undefined);
      expect(decisions()).toHaveLength(1);
    } finally {
      second.run.child.kill('SIGTERM');
      await new Promise((resolve) => second.run.child.once('close', resolve));
    }
  }, 60_000);
});
