// A changeset carries its whole change list: in Slack as a CSV uploaded into the changeset's thread
// (files.getUploadURLExternal, the bytes, files.completeUploadExternal), in Discord as a reply
// carrying it as an attachment. The file is a delivery of its own: an upload that fails is retried
// and never holds back or repeats the summary. On the real SDN 2024-04-04 → 04-12 update (7
// changes) with a channel limit of three, through the real poller, outbox and dispatcher.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleAdapter } from '../adapters/console/console-adapter.js';
import { createDiscordAdapter } from '../adapters/discord/discord-adapter.js';
import { createSlackAdapter } from '../adapters/slack/slack-adapter.js';
import { changesetCsv } from '../src/alerts/changeset-csv.js';
import { readSettings } from '../src/config/settings.js';
import type { AdapterContext } from '../src/delivery/adapter.js';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import { silentLogger } from '../src/log.js';
import { FakeDiscord } from './helpers/fake-discord.js';
import { FakeSlack } from './helpers/fake-slack.js';
import { fixture } from './helpers/fixtures.js';
import { pollTestbed, source } from './helpers/poll-harness.js';

const DISCORD = '111122223333444455';

describe('a changeset with its whole change list', () => {
  const { server, h } = pollTestbed({
    fresh: 'block',
    deps: {
      defaultChannels: ['slack:C1', `discord:${DISCORD}`, 'console:ops'],
      maxListAlerts: 3,
      withFiles: new Set(['slack', 'discord']),
    },
  });
  const slack = new FakeSlack();
  const discord = new FakeDiscord();
  const printed: string[] = [];
  let clock = Date.now();
  let dispatcher: Dispatcher;
  beforeAll(async () => {
    await slack.start();
    await discord.start();
    const ctx: AdapterContext = {
      env: {},
      settings: readSettings({}),
      log: silentLogger,
      mode: 'poll',
      json: false,
    };
    dispatcher = new Dispatcher(
      h.db,
      silentLogger,
      [
        createSlackAdapter(
          { botToken: 'xoxb-test', appToken: null, signingSecret: null, apiUrl: slack.apiUrl },
          ctx,
        ),
        createDiscordAdapter(
          {
            token: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB',
            applicationId: null,
            guildId: null,
            apiUrl: discord.api,
            publicKey: null,
          },
          ctx,
        ),
        createConsoleAdapter({
          json: false,
          mode: 'poll',
          write: async (l) => void printed.push(l),
        }),
      ],
      { now: () => new Date(clock) },
    );
    const sdn = source(
      'ofac-sdn',
      'ofac-csv',
      server.url('/sdn.csv'),
      {},
      { label: 'OFAC SDN list' },
    );
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    await h.poll(sdn);
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-12_trimmed.csv') });
    const r = await h.poll(sdn);
    expect(r.alerts.map((a) => [a.type, a.channels])).toEqual([
      ['designation.changeset', ['console:ops', `discord:${DISCORD}`, 'slack:C1']],
      ['changeset.file', [`discord:${DISCORD}`, 'slack:C1']],
    ]);
    clock = Date.now() + 1000;
  });
  afterAll(async () => {
    await slack.stop();
    await discord.stop();
  });

  it('sends the summary even when the upload fails, then the file into its thread, and the summary once', async () => {
    slack.uploadStatus = 500;
    const first = await dispatcher.dispatch();
    expect(first).toMatchObject({ retrying: 1 });
    expect(slack.posts()).toHaveLength(1);
    expect(slack.posts()[0]!.text).toMatch(/7 changes to SDN/);
    const summaryTs = h.db
      .prepare(
        "SELECT d.message_id FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE a.type = 'designation.changeset' AND d.channel = 'slack:C1'",
      )
      .pluck()
      .get() as string;
    expect(
      h.db
        .prepare(
          "SELECT d.status, d.last_error FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE a.type = 'changeset.file' AND d.channel = 'slack:C1'",
        )
        .get(),
    ).toEqual({ status: 'pending', last_error: 'the file upload answered HTTP 500' });

    slack.uploadStatus = 200;
    clock += 60_000;
    expect(await dispatcher.dispatch()).toMatchObject({ sent: 1 });
    expect(slack.posts()).toHaveLength(1);
    const asked = slack.calls.filter((c) => c.method === 'files.getUploadURLExternal').at(-1)!.args;
    const completed = slack.calls.find((c) => c.method === 'files.completeUploadExternal')!.args;
    const [id] = [...slack.uploads.keys()];
    expect(asked).toMatchObject({
      filename: expect.stringMatching(/^ofac-sdn-changes-\d{4}-\d\d-\d\d-\d\d-\d\d\.csv$/),
      length: String(Buffer.byteLength(slack.uploads.get(id!)!)),
    });
    expect(completed).toMatchObject({
      channel_id: 'C1',
      thread_ts: summaryTs,
      files: [{ id, title: asked.filename }],
      initial_comment: expect.stringMatching(/^All 7 changes of this changeset/),
    });

    const csv = slack.uploads.get(id!)!.split('\r\n');
    expect(csv[0]).toBe('change,list,key,name,aliases,programs,listed on,citation,fields changed');
    expect(csv.filter(Boolean)).toHaveLength(8);
    expect(csv.filter((l) => l.startsWith('added,SDN,'))).toHaveLength(4);
    expect(csv.find((l) => l.startsWith('removed,'))).toMatch(
      /^removed,SDN,\d+,"STANKOVIC, Slobodan",/,
    );
    expect(csv.find((l) => l.startsWith('amended,'))).toMatch(/,remarks$/);
  });

  it('skips the file, not the channel, when the Slack app lacks files:write', async () => {
    const sdn = source(
      'ofac-sdn',
      'ofac-csv',
      server.url('/sdn.csv'),
      {},
      { label: 'OFAC SDN list' },
    );
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    await h.poll(sdn);
    slack.queue('files.getUploadURLExternal', {
      body: { ok: false, error: 'missing_scope', needed: 'files:write' },
    });
    // Past the hold the failed upload of the first test left on the channel.
    clock = Math.max(clock, Date.now()) + 120_000;
    const before = slack.posts().length;
    expect(await dispatcher.dispatch()).toMatchObject({ dead: 1 });
    expect(slack.posts().length).toBe(before + 1);
    expect(
      h.db
        .prepare(
          "SELECT d.last_error FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE a.type = 'changeset.file' AND d.channel = 'slack:C1' AND d.status = 'dead'",
        )
        .pluck()
        .get(),
    ).toMatch(/lacks files:write/);
  });

  it('gives Discord the file as a reply to the changeset message, and the console none', async () => {
    const messages = discord.calls.filter(
      (c) => c.method === 'POST' && c.path.endsWith(`/channels/${DISCORD}/messages`),
    );
    expect(messages.length).toBeGreaterThanOrEqual(2);
    const summaryId = h.db
      .prepare(
        "SELECT d.message_id FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE a.type = 'designation.changeset' AND d.channel = ?",
      )
      .pluck()
      .get(`discord:${DISCORD}`);
    expect(messages[1]!.body).toMatchObject({
      content: expect.stringMatching(/^All 7 changes/),
      message_reference: { message_id: summaryId },
      allowed_mentions: { parse: [] },
    });
    expect(messages[1]!.files).toEqual([
      {
        name: expect.stringMatching(/\.csv$/),
        content: expect.stringMatching(/^change,list,key,name/),
      },
    ]);
    expect(printed.every((l) => /CHANGESET OFAC SDN list: 7 changes/.test(l))).toBe(true);
  });

  it('quotes what needs quoting, and shows a formula as text', () => {
    const csv = changesetCsv([
      {
        type: 'designation.added',
        key: '1',
        list: 'SDN',
        name: 'X',
        fields: null,
        record: JSON.stringify({
          name: '=HYPERLINK("http://evil")',
          aliases: ['A, B', 'He said "hi"'],
          programs: ['SDGT'],
          listedOn: '2024-04-12',
          citation: '89 FR 1',
        }),
      },
    ]).split('\r\n');
    expect(csv[1]).toBe(
      `added,SDN,1,"'=HYPERLINK(""http://evil"")","A, B; He said ""hi""",SDGT,2024-04-12,89 FR 1,`,
    );
  });
});
