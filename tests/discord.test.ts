// The Discord adapter's delivery with the real discord.js REST client against a fake Discord.
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Client } from 'discord.js';
import { commandText } from '../adapters/discord/command-definition.js';
import { createDiscordAdapter, readDiscordConfig } from '../adapters/discord/discord-adapter.js';
import { createGatewayClient } from '../adapters/discord/gateway.js';
import { reviewComponents } from '../adapters/discord/review-components.js';
import { readSettings } from '../src/config/settings.js';
import type { Adapter, DeliveryItem } from '../src/delivery/adapter.js';
import type { Alert } from '../src/domain.js';
import { silentLogger } from '../src/log.js';
import { runCommand } from '../src/commands/run.js';
import { HttpServer } from '../src/http/server.js';
import { NameMatcher } from '../src/names/matcher.js';
import { dispatchInteraction } from './helpers/discord-gateway.js';
import { expectEveryVerb } from './helpers/help-text.js';
import { FakeDiscord } from './helpers/fake-discord.js';
import { evalIndex } from './helpers/matching-eval.js';
import type { Harness } from './helpers/poll-harness.js';
import { waitFor } from './helpers/wait.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB';
const record = {
  key: '48239',
  list: 'SDN',
  name: "AL-KAHLUT, Hudhayfa Samir 'Abdallah",
  aliases: ['@everyone'],
  type: 'individual',
  programs: ['SDGT'],
  countries: [],
  addresses: [],
  listedOn: null,
  citation: null,
  url: 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=48239',
  remarks: null,
};
const added: Alert = {
  id: 7,
  type: 'designation.added',
  source: 'ofac-sdn',
  sourceLabel: 'OFAC SDN list',
  detectedAt: '2024-04-12T14:00:00.000Z',
  channels: ['discord:1'],
  list: 'SDN',
  entity: {
    key: record.key,
    name: record.name,
    aliases: record.aliases,
    programs: record.programs,
  },
  record,
};

describe('Discord adapter delivery', () => {
  const fake = new FakeDiscord();
  let adapter: Adapter;
  beforeAll(async () => {
    await fake.start();
    adapter = createDiscordAdapter(
      {
        token: TOKEN,
        applicationId: '123456789012345678',
        guildId: '876543210987654321',
        apiUrl: fake.api,
        publicKey: null,
      },
      { env: {}, settings: readSettings({}), log: silentLogger, mode: 'poll', json: false },
    );
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.calls.length = 0;
  });

  it('renders a court entry with court, docket, caption and a link to the document, and a citation as a link', async () => {
    const court: Alert = {
      id: 8,
      type: 'feed.item',
      source: 'pacer-dcd',
      sourceLabel: 'D.D.C. PACER',
      detectedAt: '2021-03-12T23:00:00.000Z',
      channels: ['discord:1'],
      item: {
        guid: 'g',
        title: '1:21-cv-00280-RC XIAOMI CORPORATION v. U.S. DEPARTMENT OF DEFENSE et al',
        link: 'https://ecf.dcd.uscourts.gov/cgi-bin/DktRpt.pl?226816',
        publishedAt: '2021-03-12T22:10:31.000Z',
        summary: '[Memorandum & Opinion]',
        court: 'dcd',
        docket: '1:21-cv-00280',
        caseName: 'XIAOMI CORPORATION v. U.S. DEPARTMENT OF DEFENSE et al',
        entryTypes: ['Memorandum & Opinion'],
        documentNumber: '21',
        documentUrl: 'https://ecf.dcd.uscourts.gov/doc1/04518190123?caseid=226816&de_seq_num=95',
      },
      mentions: [{ name: 'Xiaomi', key: 'subscription', list: null, matched: 'xiaomi' }],
      because: ['case', 'mention'],
    };
    const cited: Alert = {
      ...added,
      id: 9,
      record: { ...record, citation: '83 FR 37423; 87 FR 77505' },
    };
    await adapter.deliver('111122223333444455', [
      { alert: court, reason: 'subscription #1: case 1:21-cv-00280 (dcd)' },
    ]);
    await adapter.deliver('111122223333444455', [{ alert: cited, reason: null }]);
    const [c, d] = fake.calls.map(
      (x) =>
        (
          x.body as {
            embeds: {
              title: string;
              url?: string;
              description?: string;
              fields: { name: string; value: string }[];
            }[];
          }
        ).embeds[0]!,
    );
    expect(c!.title).toBe('Memorandum & Opinion · DCD');
    expect(c!.url).toBe(
      'https://ecf.dcd.uscourts.gov/doc1/04518190123?caseid=226816&de_seq_num=95',
    );
    expect(c!.description).toBe(
      'XIAOMI CORPORATION v. U.S. DEPARTMENT OF DEFENSE et al\n\\[Memorandum & Opinion\\]',
    );
    expect(c!.fields.slice(0, 4)).toEqual([
      { name: 'Court', value: 'DCD', inline: true },
      { name: 'Docket', value: '1:21\\-cv\\-00280', inline: true },
      { name: 'Entry', value: 'Memorandum & Opinion, document 21', inline: true },
      {
        name: 'Why',
        value: 'a followed case; names Xiaomi \\(followed, on no list\\)',
        inline: false,
      },
    ]);
    expect(d!.fields.find((f) => f.name === 'Federal Register')!.value).toBe(
      '[83 FR 37423](https://www.federalregister.gov/citation/83-FR-37423); [87 FR 77505](https://www.federalregister.gov/citation/87-FR-77505)',
    );
  });

  it('posts an embed with no mentions allowed and a nonce enforced', async () => {
    const r = await adapter.deliver('111122223333444455', [
      { alert: added, reason: 'subscription #2: the SDN list' },
    ]);
    expect(r).toEqual({ ok: true, messageId: expect.stringMatching(/^\d+$/) });
    expect(fake.calls).toHaveLength(1);
    const call = fake.calls[0]!;
    expect(call).toMatchObject({
      method: 'POST',
      path: '/api/v10/channels/111122223333444455/messages',
      auth: `Bot ${TOKEN}`,
    });
    expect(call.body).toEqual({
      allowed_mentions: { parse: [] },
      nonce: 'sr7-7',
      enforce_nonce: true,
      components: reviewComponents(7),
      embeds: [
        {
          title: 'Added to SDN',
          url: 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=48239',
          description: "AL\\-KAHLUT, Hudhayfa Samir 'Abdallah",
          color: 0xd62828,
          fields: [
            { name: 'List', value: 'SDN', inline: true },
            { name: 'Programs', value: 'SDGT', inline: true },
            { name: 'Also known as', value: '@everyone', inline: false },
            { name: 'Why this channel', value: 'subscription \\#2: the SDN list', inline: false },
          ],
          footer: { text: 'OFAC SDN list · alert #7' },
          timestamp: '2024-04-12T14:00:00.000Z',
        },
      ],
    });
  });

  it('turns many alerts into a digest embed followed by the details, ten embeds a message', async () => {
    const items: DeliveryItem[] = Array.from({ length: 12 }, (_, i) => ({
      alert: { ...added, id: 100 + i },
      reason: null,
    }));
    expect((await adapter.deliver('1', items)).ok).toBe(true);
    expect(fake.calls.map((c) => (c.body.embeds as unknown[]).length)).toEqual([10, 3]);
    expect((fake.calls[0]!.body.embeds as { title: string }[])[0]!.title).toBe(
      '12 sanctions changes',
    );
    expect(fake.calls.map((c) => c.body.nonce)).toEqual(['sr100-108d', 'sr109-111']);
  });

  it.each([
    [403, { code: 50001, message: 'Missing Access' }, 'pause', /Discord 50001: Missing Access/],
    [404, { code: 10003, message: 'Unknown Channel' }, 'pause', /Discord 10003: Unknown Channel/],
    [
      403,
      { code: 50013, message: 'Missing Permissions' },
      'pause',
      /Discord 50013: Missing Permissions/,
    ],
    [400, { code: 50035, message: 'Invalid Form Body' }, 'fail', /Discord 50035/],
    [502, { message: 'Bad Gateway' }, 'retry', /HTTP 502/],
  ])('maps HTTP %i %j to %s', async (status, body, kind, message) => {
    fake.queue({ status, body });
    const r = await adapter.deliver('1', [{ alert: added, reason: null }]);
    expect(r).toMatchObject({
      ok: false,
      kind,
      error: expect.stringMatching(message),
      delivered: 0,
    });
  });

  it('honours the Retry-After header of a 429', async () => {
    fake.queue({
      status: 429,
      headers: { 'retry-after': '3', 'x-ratelimit-scope': 'user' },
      body: { message: 'You are being rate limited.', retry_after: 3, global: false },
    });
    const r = await adapter.deliver('1', [{ alert: added, reason: null }]);
    // 3 s from the header, plus the 50 ms safety offset discord.js adds by default.
    expect(r).toMatchObject({ ok: false, kind: 'retry', retryAfterMs: 3050 });
  });

  it('registers /sanctions in the configured server with a PUT (idempotent)', async () => {
    expect(await adapter.registerCommands!()).toBe(
      '/sanctions registered in server 876543210987654321 (available now)',
    );
    const call = fake.calls[0]!;
    expect(call).toMatchObject({
      method: 'PUT',
      path: '/api/v10/applications/123456789012345678/guilds/876543210987654321/commands',
    });
    const [cmd] = call.body as unknown as {
      name: string;
      options: { name: string; options?: { name: string; autocomplete?: boolean }[] }[];
    }[];
    expect(cmd!.name).toBe('sanctions');
    expect(cmd!.options.map((o) => o.name)).toEqual([
      'lookup',
      'subscribe',
      'unsubscribe',
      'subscriptions',
      'history',
      'portfolio',
      'sources',
      'review',
      'cleared',
      'uncleared',
      'test',
      'doctor',
      'help',
    ]);
    expect(cmd!.options[0]!.options![0]).toMatchObject({ name: 'name', autocomplete: true });
    // `sources` takes a source id, handed to the command core as its one word.
    expect(cmd!.options.find((o) => o.name === 'sources')!.options!.map((o) => o.name)).toEqual([
      'id',
    ]);
    expect(
      commandText([
        { name: 'sources', type: 1, options: [{ name: 'id', type: 3, value: 'ofac-sdn' }] },
      ]),
    ).toEqual({ verb: 'sources', text: 'sources "ofac-sdn"' });
  });

  it('says which variable to fix', () => {
    expect(() => readDiscordConfig({ DISCORD_TOKEN: 'abc' })).toThrow(
      /DISCORD_TOKEN does not look like a bot token/,
    );
    expect(() => readDiscordConfig({ DISCORD_APPLICATION_ID: '123' })).toThrow(
      /DISCORD_TOKEN is not/,
    );
    expect(() =>
      readDiscordConfig({ DISCORD_TOKEN: TOKEN, DISCORD_APPLICATION_ID: 'app' }),
    ).toThrow(/DISCORD_APPLICATION_ID must be the numeric/);
    expect(readDiscordConfig({})).toBeNull();
  });
});

describe('Discord HTTP interactions (Ed25519, real HTTP on the shared port)', () => {
  const http = new HttpServer();
  const rest = new FakeDiscord();
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
  let port = 0;
  let h: Harness;
  beforeAll(async () => {
    await rest.start();
    h = await evalIndex();
    const matcher = new NameMatcher(h.db);
    const adapter = createDiscordAdapter(
      {
        token: TOKEN,
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
        commands: (cmd, channel, access) =>
          runCommand(cmd, { db: h.db, matcher, sources: [], channel }, { access }),
        suggest: (p) => matcher.suggest(p),
      },
    );
    await adapter.start!();
    port = await http.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await http.close();
    await rest.stop();
    h.close();
  });

  const post = async (
    payload: unknown,
    opts: { key?: KeyObject; signature?: string | null } = {},
  ) => {
    const body = JSON.stringify(payload);
    const ts = String(Math.floor(Date.now() / 1000));
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      'x-signature-timestamp': ts,
    };
    const signature =
      opts.signature === undefined
        ? sign(null, Buffer.from(ts + body), opts.key ?? privateKey).toString('hex')
        : opts.signature;
    if (signature !== null) headers['x-signature-ed25519'] = signature;
    const res = await fetch(`http://127.0.0.1:${port}/discord/interactions`, {
      method: 'POST',
      headers,
      body,
    });
    const text = await res.text();
    return {
      status: res.status,
      body: res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text,
    };
  };
  const command = (
    sub: string,
    options: { name: string; type: number; value: unknown; focused?: boolean }[] = [],
    permissions = '2147483647',
    type = 2,
  ) => ({
    type,
    id: '1',
    application_id: '123456789012345678',
    channel_id: '998877665544332211',
    guild_id: '1',
    member: { permissions, user: { id: '42' } },
    data: { id: '2', name: 'sanctions', type: 1, options: [{ type: 1, name: sub, options }] },
  });

  it('answers a signed PING with PONG', async () => {
    expect(await post({ type: 1 })).toEqual({ status: 200, body: { type: 1 } });
  });

  it('rejects forged, foreign and unsigned requests with 401', async () => {
    const other = generateKeyPairSync('ed25519').privateKey;
    expect((await post({ type: 1 }, { key: other })).status).toBe(401);
    expect((await post({ type: 1 }, { signature: 'ab'.repeat(64) })).status).toBe(401);
    expect((await post({ type: 1 }, { signature: null })).status).toBe(401);
  });

  it('answers a lookup ephemerally with embeds and no mentions', async () => {
    const r = await post(command('lookup', [{ name: 'name', type: 3, value: 'AVIC' }]));
    expect(r.status).toBe(200);
    expect(r.body.type).toBe(4);
    expect(r.body.data.flags).toBe(64);
    expect(r.body.data.allowed_mentions).toEqual({ parse: [] });
    expect(r.body.data.content).toMatch(/^8 matches for "AVIC" across the 14 tracked lists/);
    expect(r.body.data.embeds[0].title).toMatch(/^Aviation Industry Corporation of China/i);
    expect(r.body.data.embeds[0].fields[0]).toEqual({
      name: 'Matched',
      value: 'AVIC \\(alias\\) — exact alias, score 1.00',
    });
  });

  it('answers "not listed" with the closest names, ephemerally', async () => {
    const r = await post(command('lookup', [{ name: 'name', type: 3, value: 'Hikvision Europa' }]));
    expect(r.body.data.flags).toBe(64);
    expect(r.body.data.content).toMatch(
      /^"Hikvision Europa" is not on any of the 14 tracked lists .*Not listed, closest names:\n/,
    );
    expect(r.body.data.embeds[0]).toMatchObject({
      title: 'Closest names (below the match threshold: check them)',
      description: expect.stringMatching(
        /^Hangzhou Hikvision Digital Technology Co\., Ltd\. \\\(NS\\-CMIC\\\) — similar name, score 0\.\d\d$/,
      ),
    });
  });

  it('lets only members with Manage Channels subscribe the channel', async () => {
    const refused = await post(
      command('subscribe', [{ name: 'name', type: 3, value: 'Hesai' }], '0'),
    );
    expect(refused.body.data).toMatchObject({
      content: '⚠️ /sanctions subscribe needs the Manage Channels permission in this channel.',
      flags: 64,
    });
    const ok = await post(
      command('subscribe', [{ name: 'name', type: 3, value: 'Hesai' }], String(1 << 4)),
    );
    expect(ok.body.data.content).toMatch(/^This channel now follows "Hesai"/);
    expect(ok.body.data.flags).toBeUndefined();
    expect(
      h.db
        .prepare("SELECT value FROM subscriptions WHERE channel = 'discord:998877665544332211'")
        .pluck()
        .all(),
    ).toEqual(['Hesai']);
    // Adding a holding changes the channel too; the exposure report does not.
    const holding = [
      { name: 'action', type: 3, value: 'add' },
      { name: 'holding', type: 3, value: 'US16941M1099' },
    ];
    expect((await post(command('portfolio', holding, '0'))).body.data.content).toBe(
      '⚠️ /sanctions portfolio needs the Manage Channels permission in this channel.',
    );
    expect((await post(command('portfolio', holding, String(1 << 4)))).body.data.content).toMatch(
      /^Added "US16941M1099": 1 holding added\./,
    );
    expect((await post(command('portfolio', [], '0'))).body.data).toMatchObject({
      flags: 64,
      content: expect.stringMatching(
        /^1 of this channel's 1 holding is on a tracked list now \\\(as of \d{4}\\-\d\d\\-\d\d \d\d:\d\d UTC\\\)\./,
      ),
    });
  });

  it('subscriptions, unsubscribe, sources and help, as Discord sends them', async () => {
    const manager = String(1 << 4);
    const hesai = [{ name: 'what', type: 3, value: 'Hesai' }];
    const following = () =>
      h.db
        .prepare("SELECT value FROM subscriptions WHERE channel = 'discord:998877665544332211'")
        .pluck()
        .all();
    await post(command('subscribe', [{ name: 'name', type: 3, value: 'Hesai' }], manager));
    expect(following()).toContain('Hesai');
    // What the channel follows: anyone may ask, and the answer is private.
    const list = (await post(command('subscriptions', [], '0'))).body.data;
    expect(list.flags).toBe(64);
    expect(list.content).toMatch(/^This channel follows 1 thing\. Listed now: 1 of 1/);
    expect(list.embeds[0]).toMatchObject({
      title: 'Subscriptions',
      description: expect.stringMatching(/^\\#\d+ "Hesai" .* listed now: Hesai Technology/),
    });
    // Ending a follow needs Manage Channels; refused, nothing changes.
    expect((await post(command('unsubscribe', hesai, '0'))).body.data).toMatchObject({
      content: '⚠️ /sanctions unsubscribe needs the Manage Channels permission in this channel.',
      flags: 64,
    });
    expect(following()).toEqual(['Hesai']);
    const done = (await post(command('unsubscribe', hesai, manager))).body.data;
    expect(done.content).toMatch(/^This channel no longer follows "Hesai" \\\(\\#\d+\\\)\.$/);
    expect(done.flags).toBeUndefined();
    expect(following()).toEqual([]);
    // Sources: none configured here; the stored ones lookups still search, and what no source covers.
    const sources = (await post(command('sources', [], '0'))).body.data;
    expect(sources.embeds.map((e: { title: string }) => e.title)).toEqual([
      'Not in this configuration, still searched by lookups',
      'Not covered by these sources',
    ]);
    expect(sources.embeds[0].description).toMatch(/^dod: 11 entries on DoD 1260H/m);
    // Help names every verb, with Discord's markdown escaped.
    const help = (await post(command('help', [], '0'))).body.data.embeds[0].description as string;
    expectEveryVerb(help);
    expect(help).toContain('\\-\\-list');
  });

  it('rejects a validly signed interaction 30 days old, and answers 413 (not a reset) to a body over 64 KB', async () => {
    const body = JSON.stringify({ type: 1 });
    const old = String(Math.floor(Date.now() / 1000) - 30 * 86_400);
    const stale = await fetch(`http://127.0.0.1:${port}/discord/interactions`, {
      method: 'POST',
      body,
      headers: {
        'content-type': 'application/json',
        'x-signature-timestamp': old,
        'x-signature-ed25519': sign(null, Buffer.from(old + body), privateKey).toString('hex'),
      },
    });
    expect(stale.status).toBe(401);
    const big = await fetch(`http://127.0.0.1:${port}/discord/interactions`, {
      method: 'POST',
      body: 'x'.repeat(100 * 1024),
      headers: { 'content-type': 'application/json' },
    });
    expect(big.status).toBe(413);
  });

  it("without DISCORD_APPLICATION_ID, answers a deferred history through the interaction's own application id", async () => {
    const http2 = new HttpServer();
    const matcher = new NameMatcher(h.db);
    const bare = createDiscordAdapter(
      { token: TOKEN, applicationId: null, guildId: null, apiUrl: rest.api, publicKey: publicHex },
      {
        env: {},
        settings: readSettings({}),
        log: silentLogger,
        mode: 'start',
        json: false,
        http: http2,
        commands: (cmd, channel, access) =>
          runCommand(cmd, { db: h.db, matcher, sources: [], channel }, { access }),
      },
    );
    await bare.start!();
    const port2 = await http2.listen(0, '127.0.0.1');
    try {
      rest.calls.length = 0;
      const body = JSON.stringify({
        ...command('history', [{ name: 'name', type: 3, value: 'AVIC' }]),
        application_id: '555555555555555555',
        token: 'tok2',
      });
      const ts = String(Math.floor(Date.now() / 1000));
      const r = await fetch(`http://127.0.0.1:${port2}/discord/interactions`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-signature-timestamp': ts,
          'x-signature-ed25519': sign(null, Buffer.from(ts + body), privateKey).toString('hex'),
        },
      });
      expect(await r.json()).toEqual({ type: 5, data: { flags: 64 } });
      await waitFor(() => rest.calls.some((c) => c.method === 'PATCH'));
      expect(rest.calls.find((c) => c.method === 'PATCH')!.path).toBe(
        '/api/v10/webhooks/555555555555555555/tok2/messages/%40original',
      );
    } finally {
      rest.calls.length = 0;
      await http2.close();
    }
  });

  it('defers a history (type 5) and sends the answer as a follow-up edit', async () => {
    const r = await post({
      ...command('history', [{ name: 'name', type: 3, value: 'AVIC' }]),
      token: 'itoken',
    });
    expect(r.body).toEqual({ type: 5, data: { flags: 64 } });
    await waitFor(() => rest.calls.some((c) => c.method === 'PATCH'));
    const patch = rest.calls.find((c) => c.method === 'PATCH')!;
    // discord.js percent-encodes the @ of @original, as it does against the real API.
    expect(patch.path).toBe('/api/v10/webhooks/123456789012345678/itoken/messages/%40original');
    expect(patch.auth).toBeUndefined();
    expect((patch.body as { content: string }).content).toMatch(/^History of /);
    expect(patch.body).toMatchObject({ allowed_mentions: { parse: [] } });
  });

  it('autocompletes company names from the name index', async () => {
    const r = await post(
      command('lookup', [{ name: 'name', type: 3, value: 'huaw', focused: true }], '0', 4),
    );
    expect(r.body.type).toBe(8);
    const names = r.body.data.choices.map((c: { name: string }) => c.name);
    expect(names).toContain('Huawei Technologies Co., Ltd.');
    expect(names.length).toBeLessThanOrEqual(25);
  });
});

describe('Discord gateway handler (real discord.js Client, raw interaction payloads)', () => {
  const fake = new FakeDiscord();
  let h: Harness;
  let client: Client;
  beforeAll(async () => {
    await fake.start();
    h = await evalIndex();
    const matcher = new NameMatcher(h.db);
    client = createGatewayClient(
      fake.api,
      {
        commands: (cmd, channel, access) =>
          runCommand(cmd, { db: h.db, matcher, sources: [], channel }, { access }),
        suggest: (p) => matcher.suggest(p),
      },
      silentLogger,
    );
  });
  afterAll(async () => {
    await client.destroy();
    await fake.stop();
    h.close();
  });
  beforeEach(() => {
    fake.calls.length = 0;
  });

  const raw = (sub: string, options: unknown[], type = 2, permissions = '2147483647') => ({
    id: '1234567890123456789',
    application_id: '123456789012345678',
    type,
    token: 'interaction-token',
    version: 1,
    channel_id: '998877665544332211',
    channel: {
      id: '998877665544332211',
      type: 0,
      guild_id: '112233445566778899',
      name: 'compliance',
      permissions: '0',
    },
    guild_id: '112233445566778899',
    app_permissions: '0',
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: {},
    context: 0,
    attachment_size_limit: 8388608,
    member: {
      permissions,
      roles: [],
      joined_at: '2024-01-01T00:00:00.000Z',
      deaf: false,
      mute: false,
      flags: 0,
      user: { id: '42', username: 'ana', discriminator: '0', avatar: null, global_name: 'Ana' },
    },
    data: { id: '2', name: 'sanctions', type: 1, options: [{ type: 1, name: sub, options }] },
  });
  const callback = async () => {
    await waitFor(() => fake.calls.some((c) => c.path.includes('/callback')));
    return fake.calls.find((c) => c.path.includes('/callback'))!;
  };

  it('answers a lookup through the interaction callback, ephemeral, no mentions', async () => {
    dispatchInteraction(client, raw('lookup', [{ type: 3, name: 'name', value: 'Hesai' }]));
    const call = await callback();
    expect(call.path).toMatch(
      /^\/api\/v10\/interactions\/1234567890123456789\/interaction-token\/callback/,
    );
    expect(call.body).toMatchObject({
      type: 4,
      data: { flags: 64, allowed_mentions: { parse: [] } },
    });
    expect((call.body.data as { content: string }).content).toMatch(/^\d+ match(es)? for "Hesai"/);
  });

  it('refuses subscribe without Manage Channels', async () => {
    dispatchInteraction(
      client,
      raw('subscribe', [{ type: 3, name: 'name', value: 'Hesai' }], 2, '0'),
    );
    const call = await callback();
    expect((call.body.data as { content: string }).content).toBe(
      '⚠️ /sanctions subscribe needs the Manage Channels permission in this channel.',
    );
  });

  it('defers a history, then edits in the answer', async () => {
    dispatchInteraction(client, raw('history', [{ type: 3, name: 'name', value: 'AVIC' }]));
    const call = await callback();
    expect(call.body).toMatchObject({ type: 5, data: { flags: 64 } });
    await waitFor(() => fake.calls.some((c) => c.method === 'PATCH'));
    const edit = fake.calls.find((c) => c.method === 'PATCH')!;
    expect(edit.path).toMatch(
      /\/webhooks\/123456789012345678\/interaction-token\/messages\/%40original/,
    );
    expect((edit.body as { content: string }).content).toMatch(/^History of /);
  });

  it('answers autocomplete with names from the index', async () => {
    dispatchInteraction(
      client,
      raw('lookup', [{ type: 3, name: 'name', value: 'hikv', focused: true }], 4),
    );
    const call = await callback();
    expect(call.body).toMatchObject({ type: 8 });
    expect(
      (call.body.data as { choices: { name: string }[] }).choices.map((c) => c.name),
    ).toContain('Hikvision');
  });
});
