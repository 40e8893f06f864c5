// Review buttons on Discord alerts, through the real interactions endpoint (Ed25519-signed
// requests on the daemon's port): the buttons on a delivered alert, a click answered by updating
// the message (type 7), the modal for a reason (type 9) and its submission, a member without
// Manage Channels refused privately, a repeated interaction recorded once.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../adapters/discord/discord-adapter.js';
import { enqueueAlert } from '../db/outbox.js';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import { ensureSource } from '../db/source-state.js';
import { runCommand } from '../src/commands/run.js';
import { readSettings } from '../src/config/settings.js';
import type { Adapter } from '../src/delivery/adapter.js';
import type { Alert, NewAlert } from '../src/domain.js';
import { HttpServer } from '../src/http/server.js';
import { silentLogger } from '../src/log.js';
import { NameMatcher } from '../src/names/matcher.js';
import { REVIEW_LIMITS, runReview } from '../src/review/review.js';
import { FakeDiscord } from './helpers/fake-discord.js';
import { postDiscordInteraction } from './helpers/signed-requests.js';
import { createHarness, type Harness } from './helpers/poll-harness.js';
import { waitFor } from './helpers/wait.js';
import { cmicAddition } from './helpers/review-alerts.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB';
const CHANNEL = '998877665544332211';
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

describe('Discord review buttons', () => {
  const http = new HttpServer();
  const rest = new FakeDiscord();
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const publicHex = publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex');
  let port = 0;
  let h: Harness;
  let adapter: Adapter;
  beforeAll(async () => {
    await rest.start();
    h = createHarness();
    ensureSource(h.db, 'csl', 'csl', null);
    adapter = createDiscordAdapter(
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
          runCommand(
            cmd,
            { db: h.db, matcher: new NameMatcher(h.db), sources: [], channel },
            { access },
          ),
        review: (input) => runReview(h.db, input),
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

  const delivered = (): Alert => {
    const alert: NewAlert = cmicAddition(record);
    const { id } = enqueueAlert(
      h.db,
      alert,
      new Map([[`discord:${CHANNEL}`, 'subscription #1: "Huawei"']]),
      null,
    );
    h.db
      .prepare("UPDATE deliveries SET status = 'sent', sent_at = ? WHERE alert_id = ?")
      .run(new Date().toISOString(), id);
    return { ...alert, id, channels: [`discord:${CHANNEL}`] } as Alert;
  };
  const post = (payload: unknown) =>
    postDiscordInteraction<{ type: number; data: Record<string, unknown> }>(
      port,
      privateKey,
      payload,
    );
  // Manage Channels (1 << 4) in the channel, or nothing but View Channel (1 << 10).
  const interaction = (
    type: number,
    id: string,
    customId: string,
    opts: { permissions?: string; values?: Record<string, string> } = {},
  ) => ({
    type,
    id,
    application_id: '123456789012345678',
    token: 'tok',
    channel_id: CHANNEL,
    guild_id: '1',
    member: {
      permissions: opts.permissions ?? String(1 << 4),
      nick: 'Ana',
      user: { id: '112233445566778899', username: 'ana' },
    },
    message: { id: '555', content: '' },
    data: {
      custom_id: customId,
      ...(opts.values
        ? {
            components: Object.entries(opts.values).map(([k, v]) => ({
              type: 1,
              components: [{ type: 4, custom_id: k, value: v }],
            })),
          }
        : {}),
    },
  });
  const decisions = (alertId: number) =>
    h.db
      .prepare(
        'SELECT action, user_id AS userId, user_name AS userName, reason FROM decisions WHERE alert_id = ? ORDER BY id',
      )
      .all(alertId);

  it('posts a one-alert message with the four buttons', async () => {
    const alert = delivered();
    rest.calls.length = 0;
    await adapter.deliver(CHANNEL, [{ alert, reason: null }]);
    expect(
      (
        rest.calls[0]!.body.components as { components: { custom_id: string; label: string }[] }[]
      )[0]!.components.map((c) => [c.label, c.custom_id]),
    ).toEqual([
      ['Acknowledge', `sr:review:ack:${alert.id}`],
      ['Not us', `sr:review:not-us:${alert.id}`],
      ['Escalate', `sr:review:escalate:${alert.id}`],
      ['Note', `sr:review:note:${alert.id}`],
    ]);
  });

  it('acknowledges by updating the message, once per interaction however often it is sent', async () => {
    const alert = delivered();
    const click = interaction(3, '9001', `sr:review:ack:${alert.id}`);
    const r = await post(click);
    expect(r.body.type).toBe(7);
    expect(r.body.data).toMatchObject({
      content: expect.stringMatching(
        /^:memo: Acknowledged by <@112233445566778899> \d{4}-\d\d-\d\d \d\d:\d\d UTC$/,
      ),
      allowed_mentions: { parse: [] },
    });
    await post(click);
    expect(decisions(alert.id)).toEqual([
      { action: 'ack', userId: '112233445566778899', userName: 'Ana', reason: null },
    ]);
  });

  it('opens a modal for "Not us" and records the reason it returns', async () => {
    const alert = delivered();
    const opened = await post(interaction(3, '9002', `sr:review:not-us:${alert.id}`));
    expect(opened.body.type).toBe(9);
    const rows = opened.body.data.components as {
      components: { custom_id: string; max_length: number; required: boolean }[];
    }[];
    expect(opened.body.data.custom_id).toBe(`sr:review-modal:not-us:${alert.id}`);
    expect(
      rows.map((r) => [
        r.components[0]!.custom_id,
        r.components[0]!.max_length,
        r.components[0]!.required,
      ]),
    ).toEqual([
      ['reason', REVIEW_LIMITS.reason, true],
      ['note', REVIEW_LIMITS.note, false],
    ]);
    const submitted = await post(
      interaction(5, '9003', `sr:review-modal:not-us:${alert.id}`, {
        values: { reason: 'different company: Shenzhen, not Beijing @everyone', note: '' },
      }),
    );
    expect(submitted.body).toMatchObject({
      type: 7,
      data: {
        content: expect.stringMatching(
          /Not us by <@112233445566778899> .* UTC: different company: Shenzhen, not Beijing @everyone$/,
        ),
        allowed_mentions: { parse: [] },
      },
    });
    expect(decisions(alert.id)).toEqual([
      {
        action: 'not-us',
        userId: '112233445566778899',
        userName: 'Ana',
        reason: 'different company: Shenzhen, not Beijing @everyone',
      },
    ]);
  });

  it('gives a packed digest a menu of its alerts; the one picked gets its buttons privately, and the digest counts it', async () => {
    const DIGEST_CHANNEL = '998877665544330000';
    const ids = ['ALPHA CO', 'BETA CO', 'GAMMA CO', 'DELTA CO'].map((name) => {
      const alert: NewAlert = cmicAddition({ ...record, key: `NS-CMIC:${name}`, name });
      return enqueueAlert(
        h.db,
        alert,
        new Map([[`discord:${DIGEST_CHANNEL}`, 'list NS-CMIC']]),
        null,
      ).id;
    });
    rest.calls.length = 0;
    expect(await new Dispatcher(h.db, silentLogger, [adapter]).dispatch()).toMatchObject({
      sent: 4,
    });
    const first = rest.calls[0]!;
    expect(first.body.content).toBe(':memo: 0 of 4 reviewed');
    const menu = (
      first.body.components as {
        components: {
          type: number;
          custom_id: string;
          options: { label: string; value: string }[];
        }[];
      }[]
    )[0]!.components[0]!;
    expect(menu).toMatchObject({ type: 3, custom_id: 'sr:review-pick' });
    expect(menu.options.map((o) => [o.label, o.value])).toEqual(
      ids.map((id, n) => [
        `Added to NS-CMIC: ${['ALPHA CO', 'BETA CO', 'GAMMA CO', 'DELTA CO'][n]}`,
        String(id),
      ]),
    );
    const digestMessageId = h.db
      .prepare('SELECT DISTINCT thread FROM deliveries WHERE channel = ?')
      .pluck()
      .get(`discord:${DIGEST_CHANNEL}`) as string;

    const inDigest = (base: object) => ({ ...base, channel_id: DIGEST_CHANNEL });
    const picked = await post(
      inDigest({
        ...interaction(3, '9101', 'sr:review-pick'),
        data: { custom_id: 'sr:review-pick', component_type: 3, values: [String(ids[1])] },
      }),
    );
    expect(picked.body).toMatchObject({
      type: 4,
      data: { flags: 64, content: `Your decision on alert #${ids[1]}:` },
    });
    expect(
      (picked.body.data.components as { components: { custom_id: string }[] }[])[0]!.components.map(
        (c) => c.custom_id,
      ),
    ).toEqual(['ack', 'not-us', 'escalate', 'note'].map((a) => `sr:review:${a}:${ids[1]}`));
    // A member who may not decide is refused before the menu answers.
    const refused = await post(
      inDigest({
        ...interaction(3, '9102', 'sr:review-pick', { permissions: String(1 << 10) }),
        data: { custom_id: 'sr:review-pick', component_type: 3, values: [String(ids[1])] },
      }),
    );
    expect(refused.body).toMatchObject({
      type: 4,
      data: { flags: 64, content: expect.stringMatching(/Manage Channels/) },
    });

    rest.calls.length = 0;
    const acked = await post(inDigest(interaction(3, '9103', `sr:review:ack:${ids[1]}`)));
    expect(acked.body.type).toBe(7);
    await waitFor(() => rest.calls.some((c) => c.method === 'PATCH'));
    expect(rest.calls.filter((c) => c.method === 'PATCH').map((c) => [c.path, c.body])).toEqual([
      [
        `/api/v10/channels/${DIGEST_CHANNEL}/messages/${digestMessageId.replace('discord:', '')}`,
        { content: ':memo: 1 of 4 reviewed', allowed_mentions: { parse: [] } },
      ],
    ]);
  });

  it('refuses, privately, a member without Manage Channels, and a note over the bound', async () => {
    const alert = delivered();
    const refused = await post(
      interaction(3, '9004', `sr:review:ack:${alert.id}`, { permissions: String(1 << 10) }),
    );
    expect(refused.body).toMatchObject({
      type: 4,
      data: {
        flags: 64,
        content: expect.stringMatching(
          /needs the Manage Channels permission in this channel. Nothing was recorded/,
        ),
      },
    });
    const long = await post(
      interaction(5, '9005', `sr:review-modal:note:${alert.id}`, {
        values: { note: 'x'.repeat(REVIEW_LIMITS.note + 1) },
      }),
    );
    expect(long.body).toMatchObject({
      type: 4,
      data: {
        flags: 64,
        content: expect.stringMatching(/^The note is 1001 characters; at most 1000 are kept/),
      },
    });
    expect(decisions(alert.id)).toEqual([]);
  });
});
