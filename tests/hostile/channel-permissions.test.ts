// A member who may not manage a channel cannot change what it follows, however the verb is typed:
// quoted, in look-alike quotes, with invisible characters inside, in any case. Permission is
// decided on the command as it will run, through the real Slack (HTTP and Socket Mode) and
// Discord (HTTP interactions and the gateway) stacks; a direct message in Discord changes nothing.
import { createHmac, generateKeyPairSync, sign } from 'node:crypto';
import type { Client } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SANCTIONS_COMMAND } from '../../adapters/discord/command-definition.js';
import { createDiscordAdapter } from '../../adapters/discord/discord-adapter.js';
import { createGatewayClient } from '../../adapters/discord/gateway.js';
import { CHECK_FAILED, REFUSAL } from '../../adapters/slack/managers.js';
import { createSlackAdapter } from '../../adapters/slack/slack-adapter.js';
import { parseCommand, runCommand } from '../../src/commands/run.js';
import { readSettings } from '../../src/config/settings.js';
import type { Adapter, CommandRunner } from '../../src/delivery/adapter.js';
import { HttpServer } from '../../src/http/server.js';
import { silentLogger } from '../../src/log.js';
import { NameMatcher } from '../../src/names/matcher.js';
import { dispatchInteraction } from '../helpers/discord-gateway.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { FakeSocketMode } from '../helpers/fake-socket-mode.js';
import { evalIndex } from '../helpers/matching-eval.js';
import type { Harness } from '../helpers/poll-harness.js';
import { waitFor } from '../helpers/wait.js';

const SECRET = '0123456789abcdef0123456789abcdef';

/** What a channel follows and holds, to compare before and after. */
function stateOf(h: Harness, channel: string) {
  return {
    subscriptions: h.db
      .prepare('SELECT id, kind, value FROM subscriptions WHERE channel = ? ORDER BY id')
      .all(channel),
    holdings: h.db
      .prepare('SELECT id, name, isin, ticker FROM holdings WHERE channel = ? ORDER BY id')
      .all(channel),
  };
}

/** A channel that follows a company, a case and a list, and holds one security, as the operator set it. */
function seed(h: Harness, channel: string) {
  const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [], channel };
  for (const text of [
    'subscribe Hesai',
    'subscribe --case 1:21-cv-00280 --court dcd',
    'subscribe --list "Entity List"',
    'portfolio add US16941M1099',
  ]) {
    expect(runCommand(text, ctx).ok).toBe(true);
  }
  const ids = h.db
    .prepare("SELECT id FROM subscriptions WHERE channel = ? AND kind = 'entity'")
    .pluck()
    .all(channel) as number[];
  const holding = h.db
    .prepare('SELECT id FROM holdings WHERE channel = ?')
    .pluck()
    .get(channel) as number;
  return { sub: ids[0]!, holding };
}

/** Every way of typing a verb that changes a channel that the command reader accepts. */
const variants = (ids: { sub: number; holding: number }) => [
  '"subscribe" --all',
  `'unsubscribe' ${ids.sub}`,
  `“unsubscribe” ${ids.sub}`,
  'sub\u200bscribe Huawei',
  'portfolio "add" US0378331005',
  'SUBSCRIBE Huawei',
  'Subscribe --list "DoD 1260H"',
  'UnSubscribe Hesai',
  `portfolio 'REMOVE' #${ids.holding}`,
  '\ufeffsubscribe --all',
  'subscribe\u00ad Tencent',
  '  portfolio   “Add”   CHL US',
  '"unsubscribe" --case 1:21-cv-00280',
  'portfolio\u2060 remove US16941M1099',
  'unsub\u200dscribe --list "Entity List"',
  '\u200esubscribe Huawei\u200f',
];

describe('the command core decides permission on the command that runs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await evalIndex();
  });
  afterAll(() => h.close());

  it('refuses every spelling of a changing verb to a member who may not manage the channel, and changes nothing', () => {
    const channel = 'slack:CCORE';
    const ids = seed(h, channel);
    const before = stateOf(h, channel);
    const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [], channel };
    for (const text of variants(ids)) {
      expect(parseCommand(text), text).toMatchObject({ ok: true, changesChannel: true });
      const reply = runCommand(text, ctx, {
        access: { mayChangeChannel: false, refusal: 'not you' },
      });
      expect(reply, text).toMatchObject({ ok: false, summary: 'not you', visibility: 'private' });
      expect(stateOf(h, channel), text).toEqual(before);
    }
  });

  it('each of those spellings does change the channel when the operator types it (so the refusal above is real)', () => {
    variants({ sub: 0, holding: 0 }).forEach((_, i) => {
      const channel = `console:probe${i}`;
      const ids = seed(h, channel);
      const text = variants(ids)[i]!;
      const before = stateOf(h, channel);
      runCommand(text, { db: h.db, matcher: new NameMatcher(h.db), sources: [], channel });
      expect(stateOf(h, channel), text).not.toEqual(before);
    });
  });

  it('reading verbs stay open to everyone, however typed', () => {
    for (const text of [
      '"lookup" Hesai',
      'HISTORY Hesai',
      '“portfolio”',
      'subscriptions',
      "'sources'",
      'help',
      'portfolio',
    ] as const) {
      expect(parseCommand(text).changesChannel, text).toBe(false);
    }
  });
});

describe('Slack: a plain member cannot change the channel over HTTP or Socket Mode', () => {
  const fake = new FakeSlack();
  const socket = new FakeSocketMode();
  const http = new HttpServer();
  let port = 0;
  let h: Harness;
  let httpAdapter: Adapter;
  let socketAdapter: Adapter;
  beforeAll(async () => {
    await fake.start();
    await socket.start();
    fake.queue('apps.connections.open', { body: { ok: true, url: socket.url } });
    h = await evalIndex();
    const matcher = new NameMatcher(h.db);
    const commands: CommandRunner = (cmd, channel, access) =>
      runCommand(cmd, { db: h.db, matcher, sources: [], channel }, { access });
    const base = {
      env: {},
      settings: readSettings({}),
      log: silentLogger,
      mode: 'start' as const,
      json: false,
      commands,
    };
    httpAdapter = createSlackAdapter(
      { botToken: 'xoxb-test', appToken: null, signingSecret: SECRET, apiUrl: fake.apiUrl },
      { ...base, http },
    );
    socketAdapter = createSlackAdapter(
      {
        botToken: 'xoxb-test',
        appToken: 'xapp-1-A0001-test',
        signingSecret: null,
        apiUrl: fake.apiUrl,
      },
      base,
    );
    await httpAdapter.start!();
    port = await http.listen(0, '127.0.0.1');
    await socketAdapter.start!();
    await socket.ready;
  });
  afterAll(async () => {
    await httpAdapter.stop!();
    await socketAdapter.stop!();
    await http.close();
    await socket.stop();
    await fake.stop();
    h.close();
  });

  const overHttp = async (text: string, channel: string, user: string) => {
    const body = new URLSearchParams({
      token: 'legacy',
      team_id: 'T0001',
      channel_id: channel,
      user_id: user,
      command: '/sanctions',
      text,
      api_app_id: 'A0001',
      response_url: fake.url('/respond/1'),
      trigger_id: '1.2.3',
    }).toString();
    const ts = Math.floor(Date.now() / 1000);
    const signature = `v0=${createHmac('sha256', SECRET).update(`v0:${ts}:${body}`).digest('hex')}`;
    const res = await fetch(`http://127.0.0.1:${port}/slack/events`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-slack-request-timestamp': String(ts),
        'x-slack-signature': signature,
      },
    });
    return (await res.json()) as { response_type: string; text: string };
  };
  let envelope = 0;
  const overSocket = async (text: string, channel: string, user: string) => {
    const id = `env-${++envelope}`;
    socket.send({
      envelope_id: id,
      type: 'slash_commands',
      accepts_response_payload: true,
      payload: {
        token: 'legacy',
        team_id: 'T0001',
        channel_id: channel,
        user_id: user,
        command: '/sanctions',
        text,
        api_app_id: 'A0001',
        response_url: fake.url('/respond/9'),
        trigger_id: '1.2.3',
      },
    });
    return (await socket.waitForAck(id)).payload as { response_type: string; text: string };
  };

  for (const [name, send, channel] of [
    ['HTTP', () => overHttp, 'C0HTTP'],
    ['Socket Mode', () => overSocket, 'C0SOCK'],
  ] as const) {
    it(`${name}: refuses every spelling to a plain member (users.info is_admin false), and changes nothing`, async () => {
      fake.queue('users.info', {
        body: { ok: true, user: { id: `U0PLAIN${channel}`, is_admin: false, is_owner: false } },
      });
      const ids = seed(h, `slack:${channel}`);
      const before = stateOf(h, `slack:${channel}`);
      for (const text of variants(ids)) {
        const answer = await send()(text, channel, `U0PLAIN${channel}`);
        expect(answer, text).toMatchObject({ response_type: 'ephemeral', text: REFUSAL });
        expect(stateOf(h, `slack:${channel}`), text).toEqual(before);
      }
      // The member was asked about once (then cached), and reading verbs need no check.
      expect(
        fake.calls.filter((c) => c.method === 'users.info' && c.args.user === `U0PLAIN${channel}`),
      ).toHaveLength(1);
      expect((await send()('"lookup" Hesai', channel, 'U0NEW')).text).toMatch(
        /^\d+ match(es)? for "Hesai"/,
      );
      expect(fake.calls.some((c) => c.method === 'users.info' && c.args.user === 'U0NEW')).toBe(
        false,
      );
      // An admin typing the same quoted verb changes the channel.
      fake.queue('users.info', {
        body: { ok: true, user: { id: `U0ADMIN${channel}`, is_admin: true } },
      });
      expect((await send()('"subscribe" Huawei', channel, `U0ADMIN${channel}`)).text).toMatch(
        /^This channel now follows "Huawei"/,
      );
    });
  }

  it('a users.info that does not answer in time refuses within the 3-second window, saying why, and changes nothing', async () => {
    fake.queue('users.info', {
      body: { ok: true, user: { id: 'U0SLOW', is_admin: true } },
      delayMs: 8000,
    });
    const before = stateOf(h, 'slack:C0SLOW');
    const answer = await overHttp('subscribe Huawei', 'C0SLOW', 'U0SLOW');
    // It did not wait for Slack's answer (8 s, an admin: waiting would have subscribed): the
    // check gives up after 2 s, before Slack's 3-s window ends.
    expect(answer).toMatchObject({ response_type: 'ephemeral', text: CHECK_FAILED });
    expect(stateOf(h, 'slack:C0SLOW')).toEqual(before);
  });
});

describe('Discord: Manage Channels in a server channel; a direct message changes nothing', () => {
  const http = new HttpServer();
  const rest = new FakeDiscord();
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
  let port = 0;
  let h: Harness;
  let gateway: Client;
  const CHANNEL = '998877665544332211';
  beforeAll(async () => {
    await rest.start();
    h = await evalIndex();
    const matcher = new NameMatcher(h.db);
    const commands: CommandRunner = (cmd, channel, access) =>
      runCommand(cmd, { db: h.db, matcher, sources: [], channel }, { access });
    const adapter = createDiscordAdapter(
      {
        token: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB',
        applicationId: '123456789012345678',
        guildId: null,
        apiUrl: rest.api,
        publicKey: publicHex,
      },
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
    gateway = createGatewayClient(rest.api, { commands }, silentLogger);
  });
  afterAll(async () => {
    await gateway.destroy();
    await http.close();
    await rest.stop();
    h.close();
  });

  const post = async (payload: unknown) => {
    const body = JSON.stringify(payload);
    const ts = String(Math.floor(Date.now() / 1000));
    const res = await fetch(`http://127.0.0.1:${port}/discord/interactions`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-signature-timestamp': ts,
        'x-signature-ed25519': sign(null, Buffer.from(ts + body), privateKey).toString('hex'),
      },
    });
    return ((await res.json()) as { data: { content: string; flags?: number } }).data;
  };
  const user = { id: '42', username: 'ana', discriminator: '0', avatar: null, global_name: 'Ana' };
  const inGuild = (sub: string, options: unknown[], permissions: string) => ({
    type: 2,
    id: '1',
    application_id: '123456789012345678',
    token: 't',
    version: 1,
    channel_id: CHANNEL,
    guild_id: '1',
    context: 0,
    member: { permissions, user },
    data: { id: '2', name: 'sanctions', type: 1, options: [{ type: 1, name: sub, options }] },
  });
  // A direct message with the bot: no guild, no member, only the user (Discord's DM interaction).
  const inDm = (sub: string, options: unknown[]) => ({
    type: 2,
    id: '1',
    application_id: '123456789012345678',
    token: 't',
    version: 1,
    channel_id: CHANNEL,
    channel: { id: CHANNEL, type: 1 },
    context: 1,
    user,
    data: { id: '2', name: 'sanctions', type: 1, options: [{ type: 1, name: sub, options }] },
  });
  const changing: [string, unknown[]][] = [
    ['subscribe', [{ type: 5, name: 'all', value: true }]],
    ['subscribe', [{ type: 3, name: 'name', value: 'Huawei' }]],
    ['unsubscribe', [{ type: 3, name: 'what', value: 'Hesai' }]],
    [
      'portfolio',
      [
        { type: 3, name: 'action', value: 'add' },
        { type: 3, name: 'holding', value: 'US0378331005' },
      ],
    ],
    [
      'portfolio',
      [
        { type: 3, name: 'action', value: 'remove' },
        { type: 3, name: 'holding', value: 'US16941M1099' },
      ],
    ],
  ];

  it('registers /sanctions for server channels only, installed to a server', () => {
    expect(SANCTIONS_COMMAND).toMatchObject({ contexts: [0], integration_types: [0] });
  });

  it('over HTTP: refuses every changing verb in a DM and without Manage Channels; Manage Channels or Administrator may', async () => {
    seed(h, `discord:${CHANNEL}`);
    const before = stateOf(h, `discord:${CHANNEL}`);
    for (const [sub, options] of changing) {
      expect(await post(inDm(sub, options)), `DM ${sub}`).toMatchObject({
        content: `⚠️ /sanctions ${sub} changes a server channel's alerts: use it in that channel, not in a direct message.`,
        flags: 64,
      });
      expect(await post(inGuild(sub, options, '0')), `member ${sub}`).toMatchObject({
        content: `⚠️ /sanctions ${sub} needs the Manage Channels permission in this channel.`,
        flags: 64,
      });
      expect(stateOf(h, `discord:${CHANNEL}`)).toEqual(before);
    }
    // A DM may still look up.
    expect(
      (await post(inDm('lookup', [{ type: 3, name: 'name', value: 'Hesai' }]))).content,
    ).toMatch(/^\d+ match(es)? for "Hesai"/);
    expect(
      (
        await post(
          inGuild('subscribe', [{ type: 3, name: 'name', value: 'Huawei' }], String(1 << 3)),
        )
      ).content,
    ).toMatch(/^This channel now follows "Huawei"/);
    expect(
      (await post(inGuild('subscribe', [{ type: 3, name: 'name', value: 'AVIC' }], String(1 << 4))))
        .content,
    ).toMatch(/^This channel now follows "AVIC"/);
  });

  it('through the gateway: a DM (no member) cannot subscribe', async () => {
    rest.calls.length = 0;
    const dm = {
      ...inDm('subscribe', [{ type: 5, name: 'all', value: true }]),
      id: '1234567890123456789',
      token: 'interaction-token',
      authorizing_integration_owners: {},
      entitlements: [],
      locale: 'en-US',
      app_permissions: '0',
      attachment_size_limit: 8388608,
    };
    const before = stateOf(h, `discord:${CHANNEL}`);
    dispatchInteraction(gateway, dm);
    await waitFor(() => rest.calls.some((c) => c.path.includes('/callback')));
    const call = rest.calls.find((c) => c.path.includes('/callback'))!;
    expect((call.body as { data: { content: string } }).data.content).toBe(
      "⚠️ /sanctions subscribe changes a server channel's alerts: use it in that channel, not in a direct message.",
    );
    expect(stateOf(h, `discord:${CHANNEL}`)).toEqual(before);
  });
});
