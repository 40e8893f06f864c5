// Review reminders and quiet hours: the alerts a channel left undecided past the hours, listed once
// a day with links to their messages, through the real outbox, dispatcher and platform adapters
// (fake Slack and Discord APIs); quiet hours hold reminders and what a channel does not follow,
// never a designation.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../adapters/discord/discord-adapter.js';
import { createSlackAdapter } from '../adapters/slack/slack-adapter.js';
import { enqueueAlert } from '../db/outbox.js';
import { healthAlert } from '../src/alerts/derive.js';
import { readSettings } from '../src/config/settings.js';
import type { AdapterContext } from '../src/delivery/adapter.js';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import { quietUntil, readQuietHours, urgent } from '../src/delivery/quiet-hours.js';
import type { Alert, NewAlert } from '../src/domain.js';
import { silentLogger } from '../src/log.js';
import { runReview } from '../src/review/review.js';
import { openStore } from '../src/store/open.js';
import { cleanEnv, runCli } from './helpers/cli.js';
import { FakeDiscord } from './helpers/fake-discord.js';
import { FakeSlack } from './helpers/fake-slack.js';
import { createHarness, type Harness } from './helpers/poll-harness.js';
import { queueReminders } from './helpers/stored.js';

const record = (name: string) => ({
  key: `NS-CMIC:${name}`,
  list: 'NS-CMIC',
  name,
  aliases: [],
  type: 'entity',
  programs: ['CMIC-EO13959'],
  countries: ['CN'],
  addresses: [],
  listedOn: '2021-06-03',
  citation: null,
  url: null,
  remarks: null,
});
const added = (name: string, detectedAt: string): NewAlert => ({
  type: 'designation.added',
  source: 'csl',
  sourceLabel: 'trade.gov CSL',
  detectedAt,
  list: 'NS-CMIC',
  entity: { key: `NS-CMIC:${name}`, name, aliases: [], programs: [] },
  record: record(name),
});
const notice = (title: string, because: ('include' | 'label')[]): NewAlert =>
  ({
    type: 'feed.item',
    source: 'fr',
    sourceLabel: 'Federal Register',
    detectedAt: '2026-12-05T22:00:00.000Z',
    item: {
      guid: title,
      title,
      link: 'https://www.federalregister.gov/d/2026-00001',
      publishedAt: '2026-12-05T21:00:00.000Z',
      summary: '',
    },
    mentions: [],
    because,
  }) as NewAlert;

describe('quiet hours', () => {
  it('reads a span of hours and a time zone, and says what is wrong with one it cannot read', () => {
    expect(readQuietHours(undefined)).toBeNull();
    expect(readQuietHours('22-7')).toEqual({
      from: 22 * 60,
      to: 7 * 60,
      timeZone: 'UTC',
      text: '22-7',
    });
    expect(readQuietHours('22:30-06:45 Europe/Berlin')).toMatchObject({
      from: 22 * 60 + 30,
      to: 6 * 60 + 45,
      timeZone: 'Europe/Berlin',
    });
    expect(() => readSettings({ SANCTIONS_RADAR_QUIET_HOURS: '22-7 Mars/Olympus' })).toThrow(
      /"Mars\/Olympus" is not a time zone/,
    );
    expect(() => readSettings({ SANCTIONS_RADAR_QUIET_HOURS: '25-7' })).toThrow(
      /SANCTIONS_RADAR_QUIET_HOURS=25-7 is not valid: the hours are not a span like 22-7/,
    );
    expect(() => readSettings({ SANCTIONS_RADAR_QUIET_HOURS: '7-7' })).toThrow(
      /starts and ends at the same time/,
    );
    expect(() => readSettings({ SANCTIONS_RADAR_REVIEW_REMINDER_HOURS: 'daily' })).toThrow(
      /SANCTIONS_RADAR_REVIEW_REMINDER_HOURS=daily is not valid/,
    );
  });

  it('tells when the quiet hours in force end, in the time zone given, across midnight', () => {
    const q = readQuietHours('22-7 Europe/Berlin')!;
    // Berlin is UTC+1 in December: 23:30 local is quiet until 07:00 local, 06:00 UTC.
    expect(quietUntil(q, new Date('2026-12-05T22:30:10Z'))?.toISOString()).toBe(
      '2026-12-06T06:00:00.000Z',
    );
    expect(quietUntil(q, new Date('2026-12-06T05:59:00Z'))?.toISOString()).toBe(
      '2026-12-06T06:00:00.000Z',
    );
    expect(quietUntil(q, new Date('2026-12-06T06:00:00Z'))).toBeNull();
    expect(quietUntil(q, new Date('2026-12-05T20:59:00Z'))).toBeNull();
    // In July (UTC+2) the same local hours are an hour earlier in UTC.
    expect(quietUntil(q, new Date('2026-07-05T21:00:00Z'))?.toISOString()).toBe(
      '2026-07-06T05:00:00.000Z',
    );
    const lunch = readQuietHours('12-14')!;
    expect(quietUntil(lunch, new Date('2026-12-05T13:15:00Z'))?.toISOString()).toBe(
      '2026-12-05T14:00:00.000Z',
    );
    expect(quietUntil(lunch, new Date('2026-12-05T14:15:00Z'))).toBeNull();
  });

  it('never holds what a channel follows', () => {
    const as = (a: NewAlert) => ({ ...a, id: 1, channels: [] }) as Alert;
    expect(urgent(as(added('HUAWEI', '2026-12-05T22:00:00.000Z')))).toBe(true);
    expect(
      urgent(
        as({
          ...notice('Entity List additions', []),
          mentions: [{ name: 'Huawei', matched: 'Huawei', list: 'Entity List' }],
        } as NewAlert),
      ),
    ).toBe(true);
    expect(urgent(as({ ...notice('Xiaomi v. DoD', []), because: ['case'] } as NewAlert))).toBe(
      true,
    );
    expect(urgent(as(notice('Entity List: additions', ['label'])))).toBe(false);
    expect(
      urgent(
        as(
          healthAlert(
            'failing',
            'HTTP 503',
            { id: 'csl', label: 'CSL' },
            '2026-12-05T22:00:00.000Z',
          ) as NewAlert,
        ),
      ),
    ).toBe(false);
  });
});

describe('review reminders', () => {
  let h: Harness;
  beforeEach(() => {
    h = createHarness();
  });
  afterEach(() => h.close());

  /** An alert delivered to a channel at a time, as its message `ts`. */
  const delivered = (
    name: string,
    channel: string,
    sentAt: string,
    messageId = '1700000000.000100',
  ) => {
    const { id } = enqueueAlert(
      h.db,
      added(name, sentAt),
      new Map([[channel, 'list NS-CMIC']]),
      null,
    );
    h.db
      .prepare(
        "UPDATE deliveries SET status = 'sent', sent_at = ?, message_id = ? WHERE alert_id = ?",
      )
      .run(sentAt, messageId, id);
    return id;
  };
  const decide = (
    alertId: number,
    channel: string,
    action: 'ack' | 'escalate' | 'not-us' | 'note',
    user: string,
    at: string,
  ) =>
    expect(
      runReview(
        h.db,
        {
          alertId,
          channel,
          userId: user,
          userName: user,
          action,
          reason: action === 'not-us' ? 'other company' : null,
          note: action === 'escalate' || action === 'note' ? 'look' : null,
          requestKey: `${alertId}:${user}:${action}:${at}`,
        },
        new Date(at),
        'escalated',
      ),
    ).toMatchObject({ ok: true });

  it("lists a channel's alerts undecided past the hours, oldest first, once a day; decided ones and young ones are left out", () => {
    const old1 = delivered('ALPHA CO', 'slack:C1', '2026-12-01T09:00:00.000Z', '1764579600.000100');
    const old2 = delivered('BETA CO', 'slack:C1', '2026-12-02T09:00:00.000Z', '1764666000.000200');
    const acked = delivered('GAMMA CO', 'slack:C1', '2026-12-02T10:00:00.000Z');
    delivered('YOUNG CO', 'slack:C1', '2026-12-05T08:00:00.000Z');
    const escalated = delivered('DELTA CO', 'slack:C1', '2026-12-03T09:00:00.000Z');
    const fourEyes = delivered('EPSILON CO', 'slack:C1', '2026-12-03T10:00:00.000Z');
    delivered('ZETA CO', 'discord:998877665544332211', '2026-12-01T09:00:00.000Z');
    decide(acked, 'slack:C1', 'ack', 'U1', '2026-12-02T11:00:00.000Z');
    decide(escalated, 'slack:C1', 'escalate', 'U1', '2026-12-03T11:00:00.000Z');
    // Four eyes on escalated alerts: closed by one reviewer only, it still awaits a second.
    decide(fourEyes, 'slack:C1', 'escalate', 'U1', '2026-12-03T11:00:00.000Z');
    decide(fourEyes, 'slack:C1', 'ack', 'U1', '2026-12-03T12:00:00.000Z');
    const now = new Date('2026-12-05T10:00:00.000Z');

    const [reminder, ...others] = queueReminders(h.db, {
      hours: 24,
      now,
      fourEyes: 'escalated',
      platforms: ['slack'],
    });
    expect(others).toEqual([]);
    expect(reminder).toMatchObject({
      type: 'review.reminder',
      channels: ['slack:C1'],
      hours: 24,
      open: 4,
    });
    if (reminder?.type !== 'review.reminder') throw new Error('no reminder');
    expect(reminder.alerts.map((a) => [a.id, a.subject, a.state, a.messageId])).toEqual([
      [old1, 'ALPHA CO', 'open', '1764579600.000100'],
      [old2, 'BETA CO', 'open', '1764666000.000200'],
      [escalated, 'DELTA CO', 'escalated', '1700000000.000100'],
      [fourEyes, 'EPSILON CO', 'awaiting a second reviewer', '1700000000.000100'],
    ]);
    // Once a day: an hour later nothing, 23 hours later the next one, without what was decided since.
    expect(
      queueReminders(h.db, {
        hours: 24,
        now: new Date('2026-12-05T11:00:00.000Z'),
        fourEyes: 'escalated',
        platforms: ['slack'],
      }),
    ).toEqual([]);
    decide(old1, 'slack:C1', 'not-us', 'U2', '2026-12-05T12:00:00.000Z');
    decide(fourEyes, 'slack:C1', 'ack', 'U2', '2026-12-05T12:00:00.000Z');
    const next = queueReminders(h.db, {
      hours: 24,
      now: new Date('2026-12-06T09:00:01.000Z'),
      fourEyes: 'escalated',
      platforms: ['slack'],
    });
    // YOUNG CO is 25 hours old by now.
    expect(next.map((a) => a.type === 'review.reminder' && a.alerts.map((e) => e.subject))).toEqual(
      [['BETA CO', 'DELTA CO', 'YOUNG CO']],
    );
    // A reminder is not itself an alert to decide on, nor one to be reminded of.
    expect(
      queueReminders(h.db, {
        hours: 1,
        now: new Date('2026-12-08T09:00:00.000Z'),
        fourEyes: 'escalated',
        platforms: ['slack'],
      }).flatMap((a) => (a.type === 'review.reminder' ? a.alerts.map((e) => e.subject) : [])),
    ).toEqual(['BETA CO', 'DELTA CO', 'YOUNG CO']);
  });

  it('lists ten and counts the rest', () => {
    for (let i = 0; i < 14; i++)
      delivered(
        `COMPANY ${String(i).padStart(2, '0')}`,
        'slack:C1',
        `2026-12-01T09:${String(i).padStart(2, '0')}:00.000Z`,
      );
    const [r] = queueReminders(h.db, {
      hours: 24,
      now: new Date('2026-12-05T10:00:00.000Z'),
      fourEyes: 'off',
      platforms: ['slack'],
    });
    expect(r).toMatchObject({ open: 14 });
    expect(r?.type === 'review.reminder' && r.alerts.length).toBe(10);
  });

  it("reaches Slack with links to the alerts' messages and no review buttons, held during quiet hours while a designation is not", async () => {
    const slack = new FakeSlack();
    await slack.start();
    try {
      const ctx: AdapterContext = {
        env: {},
        settings: readSettings({}),
        log: silentLogger,
        mode: 'poll',
        json: false,
      };
      const adapter = createSlackAdapter(
        { botToken: 'xoxb-test', appToken: null, signingSecret: null, apiUrl: slack.apiUrl },
        ctx,
      );
      const alertId = delivered(
        'ALPHA CO',
        'slack:C1',
        '2026-12-01T09:00:00.000Z',
        '1764579600.000100',
      );
      const [queued] = queueReminders(h.db, {
        hours: 24,
        now: new Date('2026-12-05T22:30:00.000Z'),
        fourEyes: 'off',
        platforms: ['slack'],
      });
      enqueueAlert(
        h.db,
        added('HUAWEI', '2026-12-05T22:31:00.000Z'),
        new Map([['slack:C1', 'list NS-CMIC']]),
        null,
      );
      let clock = new Date('2026-12-05T22:31:00.000Z');
      const dispatcher = new Dispatcher(h.db, silentLogger, [adapter], {
        now: () => clock,
        quietHours: readQuietHours('22-7 Europe/Berlin'),
      });

      // 23:31 in Berlin: the designation goes out, the reminder waits for 07:00 (06:00 UTC).
      const night = await dispatcher.dispatch();
      expect(night).toMatchObject({ sent: 1, retrying: 1, nextDueAt: '2026-12-06T06:00:00.000Z' });
      expect(slack.posts().map((p) => p.text)).toEqual([
        expect.stringMatching(/Added to NS-CMIC: HUAWEI/),
      ]);
      expect(
        h.db
          .prepare('SELECT attempts, last_error FROM deliveries WHERE alert_id = ?')
          .get(queued!.id),
      ).toEqual({
        attempts: 0,
        last_error: 'quiet hours (22-7 Europe/Berlin): held until 2026-12-06T06:00:00.000Z',
      });
      clock = new Date('2026-12-06T03:00:00.000Z');
      expect(await dispatcher.dispatch()).toMatchObject({ sent: 0 });

      clock = new Date('2026-12-06T06:00:00.000Z');
      expect(await dispatcher.dispatch()).toMatchObject({ sent: 1 });
      const reminder = slack.posts()[1] as {
        text: string;
        blocks: { type: string; block_id?: string; text?: { text: string } }[];
      };
      expect(reminder.text).toMatch(/Review reminder: 1 alert undecided after 24 hours/);
      expect(reminder.blocks[1]!.text!.text).toBe(
        `• <https://example.slack.com/archives/C1/p1764579600000100|#${alertId} Added to NS-CMIC: ALPHA CO> · open since 2026-12-01 09:00 UTC`,
      );
      expect(JSON.stringify(reminder.blocks)).not.toMatch(/sanctions_review/);
    } finally {
      await slack.stop();
    }
  });

  it("reaches Discord with links naming the channel's server, asked of Discord once", async () => {
    const discord = new FakeDiscord();
    await discord.start();
    try {
      const CHANNEL = '998877665544332211';
      const ctx: AdapterContext = {
        env: {},
        settings: readSettings({}),
        log: silentLogger,
        mode: 'poll',
        json: false,
      };
      const adapter = createDiscordAdapter(
        {
          token: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB',
          applicationId: null,
          guildId: null,
          apiUrl: discord.api,
          publicKey: null,
        },
        ctx,
      );
      const alertId = delivered(
        'ALPHA CO',
        `discord:${CHANNEL}`,
        '2026-12-01T09:00:00.000Z',
        '1311111111111111111',
      );
      queueReminders(h.db, {
        hours: 24,
        now: new Date('2026-12-05T10:00:00.000Z'),
        fourEyes: 'off',
        platforms: ['discord'],
      });
      discord.queue({
        status: 200,
        body: { id: CHANNEL, type: 0, guild_id: '1222222222222222222' },
      });
      expect(await new Dispatcher(h.db, silentLogger, [adapter]).dispatch()).toMatchObject({
        sent: 1,
      });
      expect(discord.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
        `GET /api/v10/channels/${CHANNEL}`,
        `POST /api/v10/channels/${CHANNEL}/messages`,
      ]);
      const embed = (discord.calls[1]!.body.embeds as { title: string; description: string }[])[0]!;
      expect(embed.title).toBe('Review reminder');
      expect(embed.description).toContain(
        `• [\\#${alertId} Added to NS\\-CMIC: ALPHA CO](https://discord.com/channels/1222222222222222222/${CHANNEL}/1311111111111111111) · open since 2026-12-01 09:00 UTC`,
      );
      expect(discord.calls[1]!.body.components).toBeUndefined();
    } finally {
      await discord.stop();
    }
  });
});

describe('reminders from `sanctions-radar poll` (a cron deployment)', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sr-remind-'));
    const store = openStore(join(dir, 'radar.db')).db;
    const { id } = enqueueAlert(
      store,
      added('HUAWEI TECHNOLOGIES CO., LTD.', '2026-12-01T10:00:00.000Z'),
      new Map([['console:desk', 'list NS-CMIC']]),
      null,
    );
    store
      .prepare(
        "UPDATE deliveries SET status = 'sent', sent_at = '2026-12-01T10:00:00.000Z' WHERE alert_id = ?",
      )
      .run(id);
    store.close();
    // One source that cannot be reached: the run polls, fails it, and goes on to deliver.
    writeFileSync(
      join(dir, 'sources.json'),
      JSON.stringify({
        sources: [
          {
            id: 'down',
            label: 'Down',
            kind: 'csv',
            url: 'http://127.0.0.1:1/list.csv',
            list: 'X',
            columns: { name: 'Name' },
          },
        ],
      }),
    );
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const env = (extra: Record<string, string> = {}) =>
    cleanEnv({
      SANCTIONS_RADAR_DB: join(dir, 'radar.db'),
      SANCTIONS_RADAR_SOURCES: join(dir, 'sources.json'),
      SANCTIONS_RADAR_FETCH_RETRIES: '0',
      SANCTIONS_RADAR_REVIEW_REMINDER_HOURS: '24',
      ...extra,
    });

  it('prints the reminder once, and none during quiet hours', async () => {
    const hour = new Date().getUTCHours();
    const quiet = await runCli(
      ['poll'],
      env({ SANCTIONS_RADAR_QUIET_HOURS: `${hour}-${(hour + 2) % 24}` }),
    );
    expect(quiet.code).toBe(0);
    expect(quiet.stdout).not.toMatch(/REVIEW/);
    const first = await runCli(['poll'], env());
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /REVIEW 1 alert undecided after 24 hours: #1 Added to NS-CMIC: HUAWEI TECHNOLOGIES CO\., LTD\. \(open, since 2026-12-01 10:00 UTC\)/,
    );
    const again = await runCli(['poll'], env());
    expect(again.stdout).not.toMatch(/REVIEW/);
  });
});
