// `sanctions-radar review` as an operator runs it: the open alerts, oldest first, and a decision
// recorded from the command line, the same record a Slack button makes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueAlert } from '../db/outbox.js';
import { ensureSource } from '../db/source-state.js';
import type { NewAlert } from '../src/domain.js';
import { runReview } from '../src/review/review.js';
import { openStore } from '../src/store/open.js';
import { cleanEnv, runCli } from './helpers/cli.js';

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

describe('review on the command line', () => {
  let dir: string;
  let db: string;
  const ids: number[] = [];
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'sr-review-'));
    db = join(dir, 'radar.db');
    const store = openStore(db).db;
    ensureSource(store, 'csl', 'csl', null);
    for (const [name, sentAt] of [
      ['HUAWEI TECHNOLOGIES CO., LTD.', '2026-12-01T10:00:00.000Z'],
      ['HESAI TECHNOLOGY CO., LTD.', '2026-12-03T09:00:00.000Z'],
    ] as const) {
      const alert: NewAlert = {
        type: 'designation.added',
        source: 'csl',
        sourceLabel: 'trade.gov CSL',
        detectedAt: sentAt,
        list: 'NS-CMIC',
        entity: { key: name, name, aliases: [], programs: [] },
        record: { ...record, key: name, name },
      };
      const { id } = enqueueAlert(
        store,
        alert,
        new Map([['slack:C0123', 'subscription #1: every alert']]),
        null,
      );
      store
        .prepare("UPDATE deliveries SET status = 'sent', sent_at = ? WHERE alert_id = ?")
        .run(sentAt, id);
      ids.push(id);
    }
    // Escalated in Slack: still open for review.
    runReview(store, {
      alertId: ids[1]!,
      channel: 'slack:C0123',
      userId: 'U0002',
      userName: 'ana',
      action: 'escalate',
      note: 'ask legal',
      requestKey: 'slack:1',
    });
    store.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('lists the open alerts oldest first, records a decision, and no longer lists what was cleared', async () => {
    const env = cleanEnv();
    const listed = await runCli(['review', '--db', db], env);
    expect(listed.code).toBe(0);
    const lines = listed.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(
      new RegExp(
        `^#${ids[0]}\\tslack:C0123\\t2026-12-01 10:00 \\(\\d+ days ago\\)\\tAdded to NS-CMIC: HUAWEI TECHNOLOGIES CO\\., LTD\\.\\topen$`,
      ),
    );
    expect(lines[1]).toMatch(/\tEscalated by ana 2026-\d\d-\d\d \d\d:\d\d UTC: ask legal$/);
    const missing = await runCli(
      ['review', String(ids[0]), 'not-us', '--channel', 'slack:C0123', '--by', 'ben', '--db', db],
      env,
    );
    expect(missing).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/Say why it is not us/),
    });
    const recorded = await runCli(
      [
        'review',
        String(ids[0]),
        'not-us',
        '--channel',
        'slack:C0123',
        '--by',
        'ben',
        '--reason',
        'different company: Shenzhen, not Beijing',
        '--db',
        db,
        '--json',
      ],
      env,
    );
    expect(recorded.code).toBe(0);
    expect(JSON.parse(recorded.stdout)).toMatchObject({
      alertId: ids[0],
      state: 'not us',
      decision: {
        action: 'not-us',
        userId: 'cli:ben',
        userName: 'ben',
        reason: 'different company: Shenzhen, not Beijing',
      },
    });
    const after = await runCli(['review', '--db', db, '--json'], env);
    expect(
      after.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).alertId),
    ).toEqual([ids[1]]);
    const all = await runCli(['review', '--all', '--db', db, '--json'], env);
    expect(
      all.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).state),
    ).toEqual(['not us', 'escalated']);
  });

  it('finds the open alerts behind thousands already decided', async () => {
    const store = openStore(db).db;
    store.transaction(() => {
      for (let i = 0; i < 2100; i++) {
        const name = `CLEARED ${i}`;
        const alert: NewAlert = {
          type: 'designation.added',
          source: 'csl',
          sourceLabel: 'trade.gov CSL',
          detectedAt: '2026-11-01T00:00:00.000Z',
          list: 'NS-CMIC',
          entity: { key: name, name, aliases: [], programs: [] },
          record: { ...record, key: name, name },
        };
        const { id } = enqueueAlert(
          store,
          alert,
          new Map([['slack:C0456', 'subscription #1: every alert']]),
          null,
        );
        store
          .prepare(
            "UPDATE deliveries SET status = 'sent', sent_at = '2026-11-01T00:00:01.000Z' WHERE alert_id = ?",
          )
          .run(id);
        runReview(store, {
          alertId: id,
          channel: 'slack:C0456',
          userId: 'U1',
          action: 'ack',
          requestKey: `bulk:${id}`,
        });
      }
    })();
    store.close();
    const r = await runCli(['review', '--db', db, '--json'], cleanEnv());
    expect(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).alertId),
    ).toEqual([ids[1]]);
  });

  it('says what is wrong with a bad request, and where the alert is not', async () => {
    const env = cleanEnv();
    expect(
      await runCli(
        ['review', 'abc', 'ack', '--channel', 'slack:C0123', '--by', 'ben', '--db', db],
        env,
      ),
    ).toMatchObject({ code: 2, stderr: expect.stringMatching(/"abc" is not an alert id/) });
    expect(
      await runCli(
        [
          'review',
          String(ids[0]),
          'approve',
          '--channel',
          'slack:C0123',
          '--by',
          'ben',
          '--db',
          db,
        ],
        env,
      ),
    ).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /"approve" is not a decision: one of ack, not-us, escalate, note/,
      ),
    });
    expect(
      await runCli(
        ['review', String(ids[0]), 'ack', '--channel', 'slack:C0999', '--by', 'ben', '--db', db],
        env,
      ),
    ).toMatchObject({ code: 2, stderr: expect.stringMatching(/was not delivered to slack:C0999/) });
    expect(
      await runCli(['review', String(ids[0]), 'ack', '--channel', 'slack:C0123', '--db', db], env),
    ).toMatchObject({ code: 2, stderr: expect.stringMatching(/needs --by NAME/) });
  });
});
