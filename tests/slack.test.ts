// The Slack adapter with real Bolt and a real Web client, against a fake Slack on 127.0.0.1.
import { createHmac } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createSlackAdapter, readSlackConfig } from '../adapters/slack/slack-adapter.js';
import { openDb, type Db } from '../db/database.js';
import { channelPause, enqueueAlert } from '../db/outbox.js';
import { ensureSource } from '../db/source-state.js';
import { runCommand } from '../src/commands/run.js';
import { readSettings } from '../src/config/settings.js';
import type {
  Adapter,
  AdapterContext,
  CommandRunner,
  DeliveryItem,
} from '../src/delivery/adapter.js';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import type { Alert, DesignationRecord } from '../src/domain.js';
import { HttpServer } from '../src/http/server.js';
import { silentLogger } from '../src/log.js';
import { NameMatcher } from '../src/names/matcher.js';
import { reviewButtons } from '../adapters/slack/review-blocks.js';
import { expectEveryVerb } from './helpers/help-text.js';
import { FakeSlack } from './helpers/fake-slack.js';
import { FakeSocketMode } from './helpers/fake-socket-mode.js';
import { evalIndex } from './helpers/matching-eval.js';
import type { Harness } from './helpers/poll-harness.js';
import { waitFor } from './helpers/wait.js';

const SECRET = '0123456789abcdef0123456789abcdef';
const record: DesignationRecord = {
  key: 'NS-CMIC:30947',
  list: 'NS-CMIC',
  name: 'HUAWEI TECHNOLOGIES CO., LTD.',
  aliases: ['Huawei'],
  type: 'entity',
  programs: ['CMIC-EO13959'],
  countries: ['CN'],
  addresses: [],
  listedOn: '2021-06-03',
  citation: null,
  url: 'https://ofac.treasury.gov/consolidated-sanctions-list/ns-cmic-list',
  remarks: null,
};
const base = {
  id: 1,
  source: 'csl',
  sourceLabel: 'trade.gov CSL',
  detectedAt: '2024-04-12T14:00:00.000Z',
  channels: ['slack:C1'],
};
const entity = {
  key: record.key,
  name: record.name,
  aliases: record.aliases,
  programs: record.programs,
};
const added: Alert = { ...base, type: 'designation.added', list: 'NS-CMIC', entity, record };
const amended: Alert = {
  ...base,
  id: 2,
  type: 'designation.amended',
  list: 'NS-CMIC',
  entity,
  record: { ...record, citation: '89 FR 12345' },
  fields: [{ field: 'citation', before: null, after: '89 FR 12345' }],
};
const court: Alert = {
  ...base,
  id: 3,
  type: 'feed.item',
  source: 'pacer-dcd',
  sourceLabel: 'D.D.C. PACER',
  mentions: [
    { key: 'dod:hesai', name: 'Hesai Technology Co., Ltd.', list: 'DoD 1260H', matched: 'hesai' },
  ],
  because: ['mention'],
  item: {
    guid: 'x',
    title: '1:24-cv-02003 HESAI GROUP v. DEPARTMENT OF DEFENSE',
    link: 'https://ecf.dcd.uscourts.gov/cgi-bin/DktRpt.pl?268003',
    publishedAt: '2024-07-10T20:00:00.000Z',
    summary: '[Memorandum Opinion] ( 46 )',
    court: 'dcd',
    docket: '1:24-cv-02003',
    caseName: 'HESAI GROUP v. DEPARTMENT OF DEFENSE',
    entryTypes: ['Memorandum Opinion'],
    documentNumber: '46',
    documentUrl: 'https://ecf.dcd.uscourts.gov/doc1/04511234567',
  },
};
const health: Alert = {
  ...base,
  id: 4,
  type: 'source.health',
  status: 'failing',
  reason: 'HTTP 503 Service Unavailable from https://data.trade.gov/x',
};

describe('Slack adapter', () => {
  const fake = new FakeSlack();
  let adapter: Adapter;
  const ctx = (extra: Partial<AdapterContext> = {}): AdapterContext => ({
    env: {},
    settings: readSettings({}),
    log: silentLogger,
    mode: 'poll',
    json: false,
    ...extra,
  });
  beforeAll(async () => {
    await fake.start();
    adapter = createSlackAdapter(
      { botToken: 'xoxb-test', appToken: null, signingSecret: null, apiUrl: fake.apiUrl },
      ctx(),
    );
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.calls.length = 0;
  });

  describe('Block Kit alerts', () => {
    it('an addition: headline, linked name, list fields, source and the subscription that brought it', async () => {
      expect(
        await adapter.deliver('C1', [{ alert: added, reason: 'subscription #3: "Huawei"' }]),
      ).toEqual({ ok: true, messageId: expect.stringMatching(/^\d+\.\d+$/) });
      expect(fake.posts()).toEqual([
        {
          channel: 'C1',
          text: ':rotating_light: Added to NS-CMIC: HUAWEI TECHNOLOGIES CO., LTD.',
          unfurl_links: 'false',
          unfurl_media: 'false',
          metadata: { event_type: 'sanctions_radar_alert', event_payload: { alert_ids: '1' } },
          blocks: [
            {
              type: 'section',
              text: {
                type: 'mrkdwn',
                text: ':rotating_light: *Added to NS-CMIC*\n*<https://ofac.treasury.gov/consolidated-sanctions-list/ns-cmic-list|HUAWEI TECHNOLOGIES CO., LTD.>*',
              },
            },
            {
              type: 'section',
              fields: [
                { type: 'mrkdwn', text: '*List*\nNS-CMIC' },
                { type: 'mrkdwn', text: '*Programs*\nCMIC-EO13959' },
                { type: 'mrkdwn', text: '*Listed on*\n2021-06-03' },
                { type: 'mrkdwn', text: '*Also known as*\nHuawei' },
                { type: 'mrkdwn', text: '*Type*\nentity' },
              ],
            },
            {
              type: 'context',
              elements: [
                {
                  type: 'mrkdwn',
                  text: 'trade.gov CSL · detected 2024-04-12 14:00 UTC · subscription #3: "Huawei"',
                },
              ],
            },
            reviewButtons(added),
          ],
        },
      ]);
    });

    it('an amendment shows before → after', async () => {
      await adapter.deliver('C1', [{ alert: amended, reason: null }]);
      const blocks = fake.posts()[0]!.blocks as { text?: { text: string } }[];
      expect(blocks[0]!.text!.text).toBe(
        ':pencil2: *Amended on NS-CMIC*\n*<https://ofac.treasury.gov/consolidated-sanctions-list/ns-cmic-list|HUAWEI TECHNOLOGIES CO., LTD.>*',
      );
      expect(blocks[2]).toEqual({
        type: 'section',
        text: { type: 'mrkdwn', text: '*Changed*\n• citation: (none) → 89 FR 12345' },
      });
    });

    it('a court filing and a source-health alert have their own emoji and content', async () => {
      await adapter.deliver('C1', [{ alert: court, reason: 'subscription #9: "Hesai"' }]);
      await adapter.deliver('C1', [{ alert: health, reason: null }]);
      const [c, h] = fake.posts();
      expect(c!.text).toBe(
        ':classical_building: Memorandum Opinion · DCD: HESAI GROUP v. DEPARTMENT OF DEFENSE (1:24-cv-02003)',
      );
      expect(c!.blocks).toEqual([
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: ':classical_building: *Memorandum Opinion · DCD*\n*<https://ecf.dcd.uscourts.gov/doc1/04511234567|HESAI GROUP v. DEPARTMENT OF DEFENSE>*',
          },
        },
        { type: 'section', text: { type: 'mrkdwn', text: '[Memorandum Opinion] ( 46 )' } },
        {
          type: 'section',
          fields: [
            { type: 'mrkdwn', text: '*Court*\nDCD' },
            {
              type: 'mrkdwn',
              text: '*Docket*\n<https://ecf.dcd.uscourts.gov/cgi-bin/DktRpt.pl?268003|1:24-cv-02003>',
            },
            {
              type: 'mrkdwn',
              text: '*Entry*\nMemorandum Opinion\ndocument <https://ecf.dcd.uscourts.gov/doc1/04511234567|46>',
            },
            { type: 'mrkdwn', text: '*Why*\nnames Hesai Technology Co., Ltd. (DoD 1260H)' },
            { type: 'mrkdwn', text: '*Published*\n2024-07-10 20:00 UTC' },
          ],
        },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: 'D.D.C. PACER · detected 2024-04-12 14:00 UTC · subscription #9: "Hesai"',
            },
          ],
        },
        reviewButtons(court),
      ]);
      expect(h!.blocks).toEqual([
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: ':warning: *Source failing: trade.gov CSL*\nHTTP 503 Service Unavailable from https://data.trade.gov/x',
          },
        },
        {
          type: 'context',
          elements: [{ type: 'mrkdwn', text: 'trade.gov CSL · detected 2024-04-12 14:00 UTC' }],
        },
      ]);
    });

    it('a removal and an agency notice', async () => {
      const removed: Alert = { ...added, id: 5, type: 'designation.removed' };
      const agency: Alert = {
        ...court,
        id: 6,
        source: 'fr-bis',
        sourceLabel: 'Federal Register: BIS',
        mentions: [],
        because: ['all'],
        item: {
          guid: '2024-10003',
          title: 'Additions to the Entity List',
          link: 'https://www.federalregister.gov/documents/2024/05/09/2024-10003/additions-to-the-entity-list',
          publishedAt: null,
          summary: '',
        },
      };
      await adapter.deliver('C1', [{ alert: removed, reason: null }]);
      await adapter.deliver('C1', [{ alert: agency, reason: 'subscription #2: source fr-bis' }]);
      const [r, a] = fake.posts();
      expect((r!.blocks as unknown[])[0]).toEqual({
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: ':white_check_mark: *Removed from NS-CMIC*\n*<https://ofac.treasury.gov/consolidated-sanctions-list/ns-cmic-list|HUAWEI TECHNOLOGIES CO., LTD.>*',
        },
      });
      expect(a!.blocks).toEqual([
        {
          type: 'section',
          text: {
            type: 'mrkdwn',
            text: ':page_facing_up: *Agency notice · Federal Register: BIS*\n*<https://www.federalregister.gov/documents/2024/05/09/2024-10003/additions-to-the-entity-list|Additions to the Entity List>*',
          },
        },
        {
          type: 'context',
          elements: [
            {
              type: 'mrkdwn',
              text: 'Federal Register: BIS · detected 2024-04-12 14:00 UTC · subscription #2: source fr-bis',
            },
          ],
        },
        reviewButtons(agency),
      ]);
    });

    it('many alerts for one channel become one digest with the details in its thread', async () => {
      const items: DeliveryItem[] = [added, amended, court, health].map((alert) => ({
        alert,
        reason: null,
      }));
      const r = await adapter.deliver('C1', items);
      expect(r.ok).toBe(true);
      const [parent, ...thread] = fake.posts();
      expect(parent).toEqual({
        channel: 'C1',
        text: '3 sanctions changes from trade.gov CSL, D.D.C. PACER',
        unfurl_links: 'false',
        unfurl_media: 'false',
        metadata: { event_type: 'sanctions_radar_alert', event_payload: { alert_ids: '1,2,3,4' } },
        blocks: [
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: '*3 changes* from trade.gov CSL, D.D.C. PACER\n:rotating_light: 1 added  :pencil2: 1 amended  :classical_building: 1 court  :warning: 1 health',
            },
          },
          {
            type: 'section',
            text: {
              type: 'mrkdwn',
              text: [
                ':rotating_light: Added to NS-CMIC: <https://ofac.treasury.gov/consolidated-sanctions-list/ns-cmic-list|HUAWEI TECHNOLOGIES CO., LTD.>',
                ':pencil2: Amended on NS-CMIC: <https://ofac.treasury.gov/consolidated-sanctions-list/ns-cmic-list|HUAWEI TECHNOLOGIES CO., LTD.>',
                ':classical_building: Memorandum Opinion · DCD: <https://ecf.dcd.uscourts.gov/doc1/04511234567|HESAI GROUP v. DEPARTMENT OF DEFENSE (1:24-cv-02003)>',
                ':warning: Source failing: trade.gov CSL: HTTP 503 Service Unavailable from https://data.trade.gov/x',
              ].join('\n'),
            },
          },
          // The health alert is not one to decide on: three are.
          {
            type: 'context',
            block_id: 'sanctions_digest_review',
            elements: [
              {
                type: 'mrkdwn',
                text: 'Details of each change are in this thread, each with its review buttons · 0 of 3 reviewed',
              },
            ],
          },
        ],
      });
      expect(thread).toHaveLength(4);
      expect(thread.every((t) => t.thread_ts === (r as { messageId: string }).messageId)).toBe(
        true,
      );
      expect(thread.map((t) => t.text)).toEqual([
        ':rotating_light: Added to NS-CMIC: HUAWEI TECHNOLOGIES CO., LTD.',
        ':pencil2: Amended on NS-CMIC: HUAWEI TECHNOLOGIES CO., LTD.',
        ':classical_building: Memorandum Opinion · DCD: HESAI GROUP v. DEPARTMENT OF DEFENSE (1:24-cv-02003)',
        ':warning: Source failing: trade.gov CSL: HTTP 503 Service Unavailable from https://data.trade.gov/x',
      ]);
    });

    it('escapes feed text: no @channel, @here, user mention or foreign link can be formed', async () => {
      const text =
        'Order <!channel> <!here|here> <@U024BE7LH> <https://evil.example|click me> & more';
      const evil: Alert = {
        ...court,
        item: {
          ...court.item,
          title: text,
          caseName: text,
          entryTypes: [text],
          summary: '<!everyone> see <https://evil.example>',
        },
      };
      await adapter.deliver('C1', [{ alert: evil, reason: null }]);
      const post = JSON.stringify(fake.posts()[0]);
      for (const bad of [
        '<!channel>',
        '<!here',
        '<@U024BE7LH>',
        '<https://evil.example',
        '<!everyone>',
      ])
        expect(post).not.toContain(bad);
      expect(post).toContain(
        'Order &lt;!channel&gt; &lt;!here¦here&gt; &lt;@U024BE7LH&gt; &lt;https://evil.example¦click me&gt; &amp; more',
      );
      expect(post).toContain('&lt;!everyone&gt; see &lt;https://evil.example&gt;');
    });
  });

  describe('delivery errors through the dispatcher', () => {
    let db: Db;
    const route = () =>
      enqueueAlert(
        db,
        { ...health, id: undefined, channels: undefined } as never,
        new Map([['slack:C9', 'test']]),
        null,
      );
    const delivery = () =>
      db
        .prepare(
          "SELECT status, attempts, next_attempt_at AS next, last_error AS error FROM deliveries WHERE channel = 'slack:C9'",
        )
        .get() as Record<string, unknown>;
    const now = new Date('2024-04-12T15:00:00.000Z');
    beforeEach(() => {
      db = openDb(':memory:').db;
      ensureSource(db, 'csl', 'csl', null);
    });
    afterEach(() => db.close());

    it('not_in_channel pauses the channel and keeps its alerts', async () => {
      route();
      fake.queue('chat.postMessage', { body: { ok: false, error: 'not_in_channel' } });
      const r = await new Dispatcher(db, silentLogger, [adapter], { now: () => now }).dispatch();
      expect(r.paused).toBe(1);
      expect(channelPause(db, 'slack:C9')!.reason).toMatch(/not_in_channel.*invite it/);
      expect(delivery()).toMatchObject({ status: 'pending' });
      // The command core shows why, where the channel's people will look.
      const reply = runCommand('subscriptions', {
        db,
        matcher: new NameMatcher(db),
        sources: [],
        channel: 'slack:C9',
      });
      expect(reply.footer).toMatch(/paused since 2024-04-12T15:00: Slack: not_in_channel/);
    });

    it('429 with Retry-After delays that channel by exactly that, without counting an attempt', async () => {
      route();
      fake.queue('chat.postMessage', {
        status: 429,
        headers: { 'retry-after': '7' },
        body: { ok: false, error: 'ratelimited' },
      });
      const r = await new Dispatcher(db, silentLogger, [adapter], { now: () => now }).dispatch();
      expect(r).toMatchObject({ retrying: 1, nextDueAt: '2024-04-12T15:00:07.000Z' });
      expect(delivery()).toMatchObject({
        status: 'pending',
        attempts: 0,
        next: '2024-04-12T15:00:07.000Z',
      });
    });

    it('a rejected payload is given up; a 5xx is retried with backoff', async () => {
      route();
      fake.queue('chat.postMessage', { status: 503, body: { ok: false } });
      await new Dispatcher(db, silentLogger, [adapter], { now: () => now }).dispatch();
      expect(delivery()).toMatchObject({
        status: 'pending',
        attempts: 1,
        next: '2024-04-12T15:00:30.000Z',
        error: 'Slack answered HTTP 503',
      });
      fake.queue('chat.postMessage', { body: { ok: false, error: 'invalid_blocks' } });
      await new Dispatcher(db, silentLogger, [adapter], {
        now: () => new Date('2024-04-12T15:01:00.000Z'),
      }).dispatch();
      expect(delivery()).toMatchObject({ status: 'dead', error: 'Slack: invalid_blocks' });
    });
  });

  describe('configuration', () => {
    it.each([
      [
        { SLACK_BOT_TOKEN: 'xoxp-user-token' },
        'poll',
        /SLACK_BOT_TOKEN must be the Bot User OAuth Token, which starts with "xoxb-"/,
      ],
      [{ SLACK_APP_TOKEN: 'xapp-1' }, 'poll', /SLACK_BOT_TOKEN is not/],
      [
        { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_APP_TOKEN: 'xoxb-2' },
        'start',
        /SLACK_APP_TOKEN must be an app-level token/,
      ],
      [
        { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 'short' },
        'start',
        /SLACK_SIGNING_SECRET must be the 32-character/,
      ],
      [
        { SLACK_BOT_TOKEN: 'xoxb-1' },
        'start',
        /need SLACK_APP_TOKEN \(Socket Mode, no public URL\) or SLACK_SIGNING_SECRET/,
      ],
    ])('%j (%s) → says which variable to fix', (env, mode, message) => {
      expect(() => readSlackConfig(env, mode as 'poll' | 'start')).toThrow(message);
    });

    it('needs only the bot token to deliver from `poll`, and nothing at all to stay off', () => {
      expect(readSlackConfig({}, 'start')).toBeNull();
      expect(readSlackConfig({ SLACK_BOT_TOKEN: 'xoxb-1-2-abc' }, 'poll')).toMatchObject({
        botToken: 'xoxb-1-2-abc',
        appToken: null,
      });
    });
  });
});

describe('Slack /sanctions over HTTP (real Bolt, signed requests)', () => {
  const fake = new FakeSlack();
  const http = new HttpServer();
  let port = 0,
    h: Harness,
    adapter: Adapter;
  beforeAll(async () => {
    await fake.start();
    h = await evalIndex();
    const matcher = new NameMatcher(h.db);
    const commands: CommandRunner = (cmd, channel, access) =>
      runCommand(cmd, { db: h.db, matcher, sources: [], channel }, { access });
    adapter = createSlackAdapter(
      { botToken: 'xoxb-test', appToken: null, signingSecret: SECRET, apiUrl: fake.apiUrl },
      {
        env: {},
        settings: readSettings({}),
        log: silentLogger,
        mode: 'start',
        json: false,
        http,
        commands,
      },
    );
    await adapter.start!();
    port = await http.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await adapter.stop!();
    await http.close();
    await fake.stop();
    h.close();
  });

  const sign = (body: string, ts: number, secret = SECRET) =>
    `v0=${createHmac('sha256', secret).update(`v0:${ts}:${body}`).digest('hex')}`;
  const send = async (
    fields: Record<string, string>,
    opts: { ts?: number; secret?: string; signature?: string } = {},
  ) => {
    const body = new URLSearchParams(fields).toString();
    const ts = opts.ts ?? Math.floor(Date.now() / 1000);
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': opts.signature ?? sign(body, ts, opts.secret),
      },
      body,
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : null };
  };
  const slash = (text: string, channel = 'C0123') => ({
    token: 'legacy',
    team_id: 'T0001',
    team_domain: 'acme',
    channel_id: channel,
    channel_name: 'compliance',
    user_id: 'U0001',
    user_name: 'ana',
    command: '/sanctions',
    text,
    api_app_id: 'A0001',
    response_url: fake.url('/respond/1'),
    trigger_id: '1.2.3',
  });

  it('answers a lookup privately, inside the ack, with a button to post it to the channel', async () => {
    const r = await send(slash('lookup Huawei Technologies'));
    expect(r.status).toBe(200);
    expect(r.body.response_type).toBe('ephemeral');
    expect(r.body.text).toMatch(/^1 match for "Huawei Technologies" across the 14 tracked lists/);
    expect(r.body.blocks[1]).toEqual({
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: '*<https://ofac.treasury.gov/consolidated-sanctions-list/ns-cmic-list|Huawei Technologies Co., Ltd.>*',
      },
    });
    expect(r.body.blocks.at(-1)).toEqual({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: 'sanctions_share',
          text: { type: 'plain_text', text: 'Post to channel' },
          value: 'lookup Huawei Technologies',
        },
      ],
    });
  });

  it('answers "not listed" with the closest names, privately, never a bare "not listed"', async () => {
    const r = await send(slash('lookup Hikvision Europa'));
    expect(r.body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(
        /^"Hikvision Europa" is not on any of the 14 tracked lists .*Not listed, closest names:$/,
      ),
    });
    expect(JSON.stringify(r.body.blocks)).toMatch(
      /Closest names \(below the match threshold: check them\)[\s\S]*HIKVISION DIGITAL TECHNOLOGY CO\., LTD\. \(NS-CMIC\) — similar name, score 0\.\d\d/i,
    );
  });

  it('lets only admins, owners and listed managers change what a channel follows; lookups are for everyone', async () => {
    fake.queue('users.info', {
      body: {
        ok: true,
        user: { id: 'U0001', is_admin: false, is_owner: false, is_restricted: true },
      },
    });
    const refused = await send(slash('subscribe Hesai', 'C0666'));
    expect(refused.body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(
        /^Only workspace admins and owners, and the people the operator lists in SANCTIONS_RADAR_SLACK_MANAGERS/,
      ),
    });
    expect(
      h.db
        .prepare("SELECT count(*) FROM subscriptions WHERE channel = 'slack:C0666'")
        .pluck()
        .get(),
    ).toBe(0);
    expect((await send(slash('lookup Hesai', 'C0666'))).body.response_type).toBe('ephemeral');
    expect((await send(slash('portfolio add US16941M1099', 'C0666'))).body.text).toMatch(
      /^Only workspace admins and owners/,
    );
    expect((await send(slash('portfolio', 'C0666'))).body).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/^This channel holds nothing yet/),
      blocks: expect.arrayContaining([expect.objectContaining({ type: 'actions' })]),
    });
    expect(fake.calls.filter((c) => c.method === 'users.info').map((c) => c.args.user)).toEqual([
      'U0001',
    ]);
  });

  it('subscribes the Slack channel it was typed in, and says so to the channel', async () => {
    fake.queue('users.info', { body: { ok: true, user: { id: 'U0002', is_admin: true } } });
    const r = await send({ ...slash('subscribe Hesai', 'C0777'), user_id: 'U0002' });
    expect(r.body).toMatchObject({
      response_type: 'in_channel',
      text: expect.stringMatching(/^This channel now follows "Hesai"/),
    });
    expect(
      h.db
        .prepare("SELECT channel, kind, value FROM subscriptions WHERE channel = 'slack:C0777'")
        .all(),
    ).toEqual([{ channel: 'slack:C0777', kind: 'entity', value: 'Hesai' }]);
  });

  it('subscriptions, unsubscribe, sources and help, as Slack sends them', async () => {
    const as = async (text: string, user = 'U0ADM9') =>
      (await send({ ...slash(text, 'C0999'), user_id: user })).body as {
        response_type: string;
        text: string;
        blocks: { text?: { text: string } }[];
      };
    const shown = (b: { blocks: { text?: { text: string } }[] }) =>
      b.blocks.map((x) => x.text?.text ?? '').join('\n');
    const following = () =>
      h.db.prepare("SELECT value FROM subscriptions WHERE channel = 'slack:C0999'").pluck().all();
    fake.queue('users.info', { body: { ok: true, user: { id: 'U0ADM9', is_admin: true } } });
    fake.queue('users.info', { body: { ok: true, user: { id: 'U0PLN9', is_admin: false } } });
    expect((await as('subscribe Hesai')).text).toMatch(/^This channel now follows "Hesai"/);

    // What the channel follows, privately, and where it stands.
    const list = await as('subscriptions', 'U0PLN9');
    expect(list).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/^This channel follows 1 thing\. Listed now: 1 of 1/),
    });
    expect(shown(list)).toMatch(
      /#\d+ "Hesai" \(since \d{4}-\d\d-\d\d\) — listed now: Hesai Technology/,
    );

    // Ending a follow changes the channel: a plain member is refused and nothing changes.
    expect((await as('unsubscribe Hesai', 'U0PLN9')).text).toMatch(/^Only workspace admins/);
    expect(following()).toEqual(['Hesai']);
    expect(await as('unsubscribe Hesai')).toMatchObject({
      response_type: 'in_channel',
      text: expect.stringMatching(/^This channel no longer follows "Hesai" \(#\d+\)\.$/),
    });
    expect(following()).toEqual([]);
    expect((await as('subscriptions', 'U0PLN9')).text).toMatch(/^This channel follows nothing yet/);

    // Sources: this harness configures none, and says which stored sources lookups still search.
    const sources = await as('sources', 'U0PLN9');
    expect(sources.response_type).toBe('ephemeral');
    expect(shown(sources)).toMatch(/Not in this configuration, still searched by lookups/);
    expect(shown(sources)).toMatch(/^dod: 11 entries on DoD 1260H/m);

    // Help names every verb, escaped for mrkdwn.
    const help = shown(await as('help', 'U0PLN9'));
    expectEveryVerb(help);
    expect(help).toContain('&lt;company&gt;');
    expect(fake.calls.filter((c) => c.method === 'users.info').map((c) => c.args.user)).toEqual(
      expect.arrayContaining(['U0ADM9', 'U0PLN9']),
    );
  });

  it('answers bad input with a short usage message', async () => {
    const r = await send(slash('lookup'));
    expect(r.body).toMatchObject({
      response_type: 'ephemeral',
      text: 'Usage: /sanctions lookup &lt;company name | identifier&gt; (give a company name)',
    });
  });

  it('posts a shared lookup to the channel through response_url', async () => {
    const payload = JSON.stringify({
      type: 'block_actions',
      team: { id: 'T0001' },
      user: { id: 'U0001' },
      api_app_id: 'A0001',
      token: 'legacy',
      trigger_id: '1.2.3',
      channel: { id: 'C0123', name: 'compliance' },
      response_url: fake.url('/respond/2'),
      container: { type: 'message' },
      actions: [
        {
          type: 'button',
          action_id: 'sanctions_share',
          block_id: 'b',
          value: 'lookup AVIC',
          action_ts: '1',
        },
      ],
    });
    const r = await send({ payload });
    expect(r.status).toBe(200);
    await waitFor(() => fake.responses.some((x) => x.path === '/respond/2'));
    const posted = fake.responses.find((x) => x.path === '/respond/2')!.body as {
      response_type: string;
      replace_original: boolean;
      blocks: { type: string; elements?: { text: string }[] }[];
    };
    expect(posted).toMatchObject({ response_type: 'in_channel', replace_original: false });
    expect(posted.blocks.some((b) => b.type === 'actions')).toBe(false);
    expect(posted.blocks.at(-1)).toEqual({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: 'Shared by <@U0001>' }],
    });
  });

  it('rejects forged and stale requests with 401', async () => {
    expect(
      (await send(slash('lookup Huawei'), { secret: 'ffffffffffffffffffffffffffffffff' })).status,
    ).toBe(401);
    expect((await send(slash('lookup Huawei'), { signature: 'v0=deadbeef' })).status).toBe(401);
    expect(
      (await send(slash('lookup Huawei'), { ts: Math.floor(Date.now() / 1000) - 6 * 60 })).status,
    ).toBe(401);
  });

  it('rejects a request signed an hour in the future, and answers 413 to a body over 4 MB before reading it', async () => {
    expect(
      (await send(slash('lookup Huawei'), { ts: Math.floor(Date.now() / 1000) + 3600 })).status,
    ).toBe(401);
    const ts = Math.floor(Date.now() / 1000);
    const big = `text=${'a'.repeat(5 * 1024 * 1024)}`;
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      body: big,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': sign(big, ts),
      },
    });
    expect(res.status).toBe(413);
  });
});

describe('Slack /sanctions over Socket Mode (real Bolt, a local WebSocket end)', () => {
  const fake = new FakeSlack();
  const socket = new FakeSocketMode();
  let h: Harness;
  let adapter: Adapter;
  beforeAll(async () => {
    await fake.start();
    await socket.start();
    fake.queue('apps.connections.open', { body: { ok: true, url: socket.url } });
    h = await evalIndex();
    const matcher = new NameMatcher(h.db);
    adapter = createSlackAdapter(
      {
        botToken: 'xoxb-test',
        appToken: 'xapp-1-A0001-test',
        signingSecret: null,
        apiUrl: fake.apiUrl,
      },
      {
        env: {},
        settings: readSettings({}),
        log: silentLogger,
        mode: 'start',
        json: false,
        commands: (cmd, channel, access) =>
          runCommand(cmd, { db: h.db, matcher, sources: [], channel }, { access }),
      },
    );
    await adapter.start!();
    await socket.ready;
  });
  afterAll(async () => {
    await adapter.stop!();
    await socket.stop();
    await fake.stop();
    h.close();
  });

  it('acks a slash command envelope with the answer as its payload', async () => {
    socket.send({
      envelope_id: 'env-1',
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        token: 'legacy',
        team_id: 'T0001',
        channel_id: 'C0123',
        user_id: 'U0001',
        command: '/sanctions',
        text: 'lookup AVIC',
        api_app_id: 'A0001',
        response_url: fake.url('/respond/9'),
        trigger_id: '1.2.3',
      },
    });
    const ack = await socket.waitForAck('env-1');
    const payload = ack.payload as { response_type: string; text: string };
    expect(payload.response_type).toBe('ephemeral');
    expect(payload.text).toMatch(/^8 matches for "AVIC" across the 14 tracked lists/);
    expect(fake.calls.find((c) => c.method === 'apps.connections.open')).toBeDefined();
  });
});
