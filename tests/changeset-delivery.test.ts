// A changeset alert as Slack and Discord receive it, against their fake APIs on 127.0.0.1.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../adapters/discord/discord-adapter.js';
import { reviewButtons } from '../adapters/slack/review-blocks.js';
import { createSlackAdapter } from '../adapters/slack/slack-adapter.js';
import { readSettings } from '../src/config/settings.js';
import type { AdapterContext } from '../src/delivery/adapter.js';
import type { Alert } from '../src/domain.js';
import { silentLogger } from '../src/log.js';
import { FakeDiscord } from './helpers/fake-discord.js';
import { FakeSlack } from './helpers/fake-slack.js';

const ctx: AdapterContext = {
  env: {},
  settings: readSettings({}),
  log: silentLogger,
  mode: 'poll',
  json: false,
};
const base = { detectedAt: '2024-04-12T14:00:00.000Z', changeIds: { first: 1, last: 8467 } };

/** The three-year SDN catch-up as one alert; an example's name is hostile list text. */
const sdn: Alert = {
  ...base,
  id: 10,
  channels: ['slack:C1'],
  source: 'ofac-sdn',
  sourceLabel: 'OFAC SDN',
  type: 'designation.changeset',
  url: 'https://www.treasury.gov/ofac/downloads/sdn.csv',
  counts: { added: 6871, removed: 881, amended: 715 },
  lists: [{ list: 'SDN', added: 6871, removed: 881, amended: 715 }],
  examples: [
    {
      type: 'designation.added',
      key: '1',
      name: 'ACME <!channel> TRADING',
      list: 'SDN',
      programs: ['SDGT'],
    },
    {
      type: 'designation.amended',
      key: '4243',
      name: 'EBANO',
      list: 'SDN',
      programs: ['CUBA'],
      fields: ['name', 'aliases'],
    },
  ],
  limit: 200,
};

/** Two CSL lists at once, with markdown and a mention in an example. */
const csl: Alert = {
  ...base,
  id: 11,
  channels: ['discord:1'],
  source: 'csl',
  sourceLabel: 'trade.gov CSL',
  type: 'designation.changeset',
  url: 'https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv',
  counts: { added: 54, removed: 0, amended: 2 },
  lists: [
    { list: 'NS-CMIC', added: 31, removed: 0, amended: 2 },
    { list: 'Entity List', added: 23, removed: 0, amended: 0 },
  ],
  examples: [
    {
      type: 'designation.added',
      key: 'x',
      name: '@everyone *bold* CORP',
      list: 'Entity List',
      programs: [],
    },
  ],
  limit: 30,
};

/** Three more alerts for the same channel: with a changeset, a digest. */
const others: Alert[] = [1, 2, 3].map((n) => ({
  ...base,
  id: 20 + n,
  channels: ['slack:C1'],
  source: `fr-${n}`,
  sourceLabel: `Feed ${n}`,
  type: 'source.health',
  status: 'failing',
  reason: 'HTTP 503',
}));

describe('Slack', () => {
  const fake = new FakeSlack();
  const slack = () =>
    createSlackAdapter(
      { botToken: 'xoxb-test', appToken: null, signingSecret: null, apiUrl: fake.apiUrl },
      ctx,
    );
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.calls.length = 0;
  });

  it('posts counts, lists and examples in one message, escaped, saying where the rest is', async () => {
    const adapter = slack();
    expect(
      await adapter.deliver('C1', [
        {
          alert: sdn,
          reason: 'subscription #1: every alert (8467 changes in one poll, more than 200)',
        },
      ]),
    ).toMatchObject({ ok: true });
    const [m] = fake.posts();
    expect(m!.text).toBe(
      ':card_index_dividers: 8,467 changes to SDN: 6,871 added, 881 removed, 715 amended',
    );
    expect(m!.blocks).toEqual([
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: ':card_index_dividers: *8,467 changes to SDN* in one poll\n*<https://www.treasury.gov/ofac/downloads/sdn.csv|OFAC SDN>*: 6,871 added, 881 removed, 715 amended',
        },
      },
      { type: 'section', fields: [{ type: 'mrkdwn', text: '*SDN*\n+6,871  −881  ~715' }] },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*For example*\n• added: ACME &lt;!channel&gt; TRADING (SDN) [SDGT]\n• amended: EBANO (SDN) [CUBA]: name, aliases',
        },
      },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: 'OFAC SDN · detected 2024-04-12 14:00 UTC · subscription #1: every alert (8467 changes in one poll, more than 200) · More than 200 list changes for this channel in one poll, so they come as this one message. Every change is in the history: "history &lt;name&gt;" shows an entity\'s, "sources ofac-sdn" lists every change of the source\'s latest changing poll.',
          },
        ],
      },
      reviewButtons(sdn),
    ]);
  });
  it("counts a changeset's changes in a digest's headline", async () => {
    const adapter = slack();
    await adapter.deliver(
      'C1',
      [sdn, ...others].map((alert) => ({ alert, reason: null })),
    );
    const [digest] = fake.posts();
    // The three health alerts are news of the sources, not changes.
    expect(digest!.text).toBe('8,467 sanctions changes from OFAC SDN, Feed 1, Feed 2, Feed 3');
  });
});

describe('Discord', () => {
  const fake = new FakeDiscord();
  const discord = () =>
    createDiscordAdapter(
      {
        token: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB',
        applicationId: '123456789012345678',
        guildId: '876543210987654321',
        apiUrl: fake.api,
        publicKey: null,
      },
      ctx,
    );
  beforeAll(() => fake.start());
  afterAll(() => fake.stop());

  it('posts an embed with counts per list, examples escaped, no mentions allowed', async () => {
    const adapter = discord();
    expect(
      await adapter.deliver('111122223333444455', [{ alert: csl, reason: 'operator setting' }]),
    ).toMatchObject({ ok: true });
    const call = fake.calls[0]!;
    expect(call.body.allowed_mentions).toEqual({ parse: [] });
    expect((call.body.embeds as unknown[])[0]).toEqual({
      title: '56 changes to NS-CMIC, Entity List',
      url: 'https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv',
      description: 'trade.gov CSL: 54 added, 2 amended',
      color: 0x264653,
      fields: [
        { name: 'NS\\-CMIC', value: '+31 −0 \\~2', inline: true },
        { name: 'Entity List', value: '+23 −0 \\~0', inline: true },
        {
          name: 'For example',
          value: 'added: @everyone \\*bold\\* CORP \\(Entity List\\)',
          inline: false,
        },
        {
          name: 'The rest',
          value: expect.stringMatching(/^More than 30 list changes for this channel in one poll/),
          inline: false,
        },
        { name: 'Why this channel', value: 'operator setting', inline: false },
      ],
      footer: { text: 'trade.gov CSL · alert #11' },
      timestamp: '2024-04-12T14:00:00.000Z',
    });
  });

  it("counts a changeset's changes in a digest's title", async () => {
    fake.calls.length = 0;
    const adapter = discord();
    await adapter.deliver(
      '111122223333444455',
      [csl, ...others].map((alert) => ({ alert, reason: null })),
    );
    expect((fake.calls[0]!.body.embeds as { title: string }[])[0]!.title).toBe(
      '56 sanctions changes',
    );
  });
});
