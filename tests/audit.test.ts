// Evidence and the audit export, end to end: a real list polled twice, the file the changing poll
// read kept with its sha256, the audit rows through the real command (the same range, the same
// bytes), and `evidence` writing the file exactly as fetched.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evidenceOfAlert, pruneEvidence } from '../db/evidence.js';
import { auditDeliveries } from '../db/delivered.js';
import { runReview } from '../src/review/review.js';
import { cleanEnv, runCli } from './helpers/cli.js';
import { sdnVersions } from './helpers/list-versions.js';
import { createHarness, source, type Harness } from './helpers/poll-harness.js';

describe('evidence and the audit export', () => {
  let h: Harness;
  let db: string;
  const [before, after] = sdnVersions();
  const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
  let alertIds: number[] = [];
  beforeAll(async () => {
    h = createHarness({
      maxShrink: 1,
      defaultChannels: ['slack:C0123'],
      now: () => new Date('2026-12-01T10:00:00.000Z'),
    });
    const file = join(h.dir, 'sdn.csv');
    const cfg = source('ofac-sdn', 'ofac-csv', pathToFileURL(file).href);
    writeFileSync(file, before);
    await h.poll(cfg);
    writeFileSync(file, after);
    h.deps.now = () => new Date('2026-12-02T10:00:00.000Z');
    const r = await h.poll(cfg);
    expect(r.added + r.removed + r.amended).toBeGreaterThan(10);
    h.db
      .prepare(
        "UPDATE deliveries SET status = 'sent', sent_at = '2026-12-02T10:00:05.000Z', message_id = '1700000000.000100'",
      )
      .run();
    alertIds = h.db
      .prepare("SELECT id FROM alerts WHERE type LIKE 'designation.%' ORDER BY id")
      .pluck()
      .all() as number[];
    runReview(
      h.db,
      {
        alertId: alertIds[0]!,
        channel: 'slack:C0123',
        userId: 'U0002',
        userName: 'ana',
        action: 'not-us',
        reason: 'different company',
        requestKey: 'k1',
      },
      new Date('2026-12-02T11:00:00.000Z'),
    );
    h.db.pragma('wal_checkpoint(TRUNCATE)');
    db = join(h.dir, 'test.db');
  });
  afterAll(() => h.close());

  it("keeps the file a changing poll read, once, with its sha256, as each of its alerts' evidence", () => {
    const files = evidenceOfAlert(h.db, alertIds[0]!);
    expect(files).toHaveLength(1);
    expect(files[0]).toMatchObject({
      sourceId: 'ofac-sdn',
      pollAt: '2026-12-02T10:00:00.000Z',
      name: 'main',
      size: after.byteLength,
      sha256: sha(after),
    });
    // The baseline's file too: what everything was compared with.
    expect(h.db.prepare('SELECT sha256 FROM evidence ORDER BY poll_at').pluck().all()).toEqual([
      sha(before),
      sha(after),
    ]);
  });

  it('exports one row per alert per channel with the change, the document hash and the decisions; the same range gives the same bytes', async () => {
    const env = cleanEnv();
    const args = ['audit', '--from', '2026-12-02', '--to', '2026-12-02', '--db', db];
    const first = await runCli(args, env);
    const second = await runCli(args, env);
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    const lines = first.stdout.trim().split('\n');
    expect(lines[0]).toBe(
      'alert_id,detected_at,source,change,list,key,name,aliases,programs,listed_on,citation,fields_changed,document_url,document_sha256,channel,delivery,delivered_at,message_id,routed_because,decisions',
    );
    expect(lines).toHaveLength(alertIds.length + 1);
    const json = await runCli([...args, '--format', 'json'], env);
    const rows = json.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, string>);
    expect(rows[0]).toMatchObject({
      alert_id: String(alertIds[0]),
      detected_at: '2026-12-02T10:00:00.000Z',
      source: 'ofac-sdn',
      document_sha256: sha(after),
      channel: 'slack:C0123',
      delivery: 'sent',
      message_id: '1700000000.000100',
      decisions: '2026-12-02T11:00:00.000Z not-us ana different company',
    });
    expect(new Set(rows.map((r) => r.change))).toEqual(new Set(['removed', 'amended']));
    expect(rows.find((r) => r.change === 'amended')!.fields_changed).toMatch(
      /remarks: .* → .*\(crash round\)/,
    );
    // The day before holds only the baseline, which alerted no one.
    expect(
      (
        await runCli(['audit', '--from', '2026-12-01', '--to', '2026-12-01', '--db', db], env)
      ).stdout
        .trim()
        .split('\n'),
    ).toHaveLength(1);
    expect(await runCli(['audit', '--from', '2026-12-02', '--db', db], env)).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/audit needs --from YYYY-MM-DD and --to YYYY-MM-DD/),
    });
  });

  it('reads a range a page of alerts at a time, in the order it reads it whole', () => {
    // A second channel for every other alert: pages then split alerts that have several deliveries.
    h.db
      .prepare(
        "INSERT INTO deliveries (alert_id, channel, status, next_attempt_at) SELECT alert_id, 'discord:9', 'pending', next_attempt_at FROM deliveries WHERE alert_id % 2 = 0",
      )
      .run();
    const range = ['2026-12-01T00:00:00.000Z', '2026-12-03T00:00:00.000Z'] as const;
    const whole = [...auditDeliveries(h.db, ...range, null, 100_000)];
    expect(whole.length).toBeGreaterThan(alertIds.length + 5);
    const order = whole.map((d) => [d.alert.detectedAt, d.alert.id, d.channel].join(' '));
    expect(order).toEqual(
      [...order].sort((a, b) => {
        const [x, y] = [a.split(' '), b.split(' ')];
        return (
          x[0]!.localeCompare(y[0]!) || Number(x[1]) - Number(y[1]) || x[2]!.localeCompare(y[2]!)
        );
      }),
    );
    for (const page of [1, 2, 7])
      expect([...auditDeliveries(h.db, ...range, null, page)]).toEqual(whole);
    const one = [...auditDeliveries(h.db, ...range, 'discord:9', 3)];
    expect(one.length).toBeGreaterThan(0);
    expect(one).toEqual(whole.filter((d) => d.channel === 'discord:9'));
    h.db.prepare("DELETE FROM deliveries WHERE channel = 'discord:9'").run();
  });

  it('writes the file as fetched and checks its hash; says so plainly once the bytes are dropped', async () => {
    const env = cleanEnv();
    const out = join(h.dir, 'evidence.csv');
    const r = await runCli(['evidence', String(alertIds[0]), '--out', out, '--db', db], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`sha256 ${sha(after)} \\(verified\\)`));
    expect(readFileSync(out).equals(after)).toBe(true);
    expect(pruneEvidence(h.db, '2027-01-01T00:00:00.000Z')).toBe(2);
    h.db.pragma('wal_checkpoint(TRUNCATE)');
    const gone = await runCli(['evidence', String(alertIds[0]), '--out', out, '--db', db], env);
    expect(gone).toMatchObject({
      code: 1,
      stderr: expect.stringMatching(
        new RegExp(
          `the bytes are no longer kept \\(SANCTIONS_RADAR_EVIDENCE_DAYS\\); its sha256 was ${sha(after)}`,
        ),
      ),
    });
  });
});
