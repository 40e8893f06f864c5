// SANCTIONS_RADAR_REVIEWERS: who may press an alert's review buttons, named by the operator per
// platform (Slack users and user groups, Discord roles), through the real Bolt app and the real
// Discord interactions endpoint. A platform the variable names nobody of keeps its default.
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../adapters/discord/discord-adapter.js';
import { reviewerRule } from '../adapters/slack/managers.js';
import { createSlackAdapter } from '../adapters/slack/slack-adapter.js';
import { enqueueAlert } from '../db/outbox.js';
import { ensureSource } from '../db/source-state.js';
import { runCommand } from '../src/commands/run.js';
import { readSettings } from '../src/config/settings.js';
import type { Adapter, AdapterContext } from '../src/delivery/adapter.js';
import type { NewAlert } from '../src/domain.js';
import { HttpServer } from '../src/http/server.js';
import { silentLogger } from '../src/log.js';
import { NameMatcher } from '../src/names/matcher.js';
import { runReview } from '../src/review/review.js';
import { readReviewers } from '../src/review/reviewers.js';
import { FakeDiscord } from './helpers/fake-discord.js';
import { FakeSlack } from './helpers/fake-slack.js';
import {
  postDiscordInteraction,
  postSlackInteraction,
  reviewClick,
} from './helpers/signed-requests.js';
import { createHarness, type Harness } from './helpers/poll-harness.js';
import { waitFor } from './helpers/wait.js';
import { cmicAddition } from './helpers/review-alerts.js';

const SECRET = '0123456789abcdef0123456789abcdef';
const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB';
const DISCORD_CHANNEL = '998877665544332211';
const REVIEWER_ROLE = '445566778899001122';
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

describe('reading SANCTIONS_RADAR_REVIEWERS', () => {
  it('tells Slack ids from Discord roles, takes "*", and names what it cannot read', () => {
    expect(readReviewers(undefined)).toBeNull();
    expect(readReviewers(' ')).toBeNull();
    expect(readReviewers('S0REVIEW, U0ANA,445566778899001122')).toEqual({
      everyone: false,
      slack: ['S0REVIEW', 'U0ANA'],
      discordRoles: ['445566778899001122'],
    });
    expect(readReviewers('U0ANA,*')).toEqual({ everyone: true, slack: [], discordRoles: [] });
    expect(() => readSettings({ SANCTIONS_RADAR_REVIEWERS: 'U0ANA,@compliance' })).toThrow(
      /SANCTIONS_RADAR_REVIEWERS has "@compliance": list Slack user ids/,
    );
  });
});

describe('reviewers named for each platform', () => {
  const settings = readSettings({ SANCTIONS_RADAR_REVIEWERS: `S0REVIEW,${REVIEWER_ROLE}` });
  const slack = new FakeSlack();
  const discord = new FakeDiscord();
  const http = new HttpServer();
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  let port = 0;
  let h: Harness;
  const adapters: Adapter[] = [];

  const delivered = (channel: string): number => {
    const alert: NewAlert = cmicAddition(record);
    const { id } = enqueueAlert(
      h.db,
      alert,
      new Map([[channel, 'subscription #1: "Huawei"']]),
      null,
    );
    h.db
      .prepare(
        "UPDATE deliveries SET status = 'sent', sent_at = ?, message_id = '1700000000.000100' WHERE alert_id = ?",
      )
      .run(new Date().toISOString(), id);
    return id;
  };
  const decisions = (alertId: number) =>
    h.db
      .prepare('SELECT action, user_id AS userId FROM decisions WHERE alert_id = ? ORDER BY id')
      .all(alertId);

  beforeAll(async () => {
    await slack.start();
    await discord.start();
    h = createHarness();
    ensureSource(h.db, 'csl', 'csl', null);
    const ctx: AdapterContext = {
      env: {},
      settings,
      log: silentLogger,
      mode: 'start',
      json: false,
      http,
      review: (input) => runReview(h.db, input),
      commands: (cmd, channel, access) =>
        runCommand(
          cmd,
          { db: h.db, matcher: new NameMatcher(h.db), sources: [], channel },
          { access },
        ),
    };
    adapters.push(
      createSlackAdapter(
        { botToken: 'xoxb-test', appToken: null, signingSecret: SECRET, apiUrl: slack.apiUrl },
        ctx,
      ),
    );
    adapters.push(
      createDiscordAdapter(
        {
          token: TOKEN,
          applicationId: '123456789012345678',
          guildId: null,
          apiUrl: discord.api,
          publicKey: publicKey.export({ format: 'der', type: 'spki' }).subarray(12).toString('hex'),
        },
        ctx,
      ),
    );
    for (const a of adapters) await a.start!();
    port = await http.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    for (const a of adapters) await a.stop!();
    await http.close();
    await slack.stop();
    await discord.stop();
    h.close();
  });

  const slackClick = async (alertId: number, user: string, actionTs: string) => {
    const click = reviewClick({
      alertId,
      user,
      userName: user.toLowerCase(),
      actionTs,
      responseUrl: slack.url(`/respond/${actionTs}`),
    });
    expect((await postSlackInteraction(port, SECRET, click)).status).toBe(200);
  };

  it('Slack: a member of the reviewers group decides; a channel manager who is not a reviewer is refused, saying who may', async () => {
    const alertId = delivered('slack:C0123');
    // U0REV is no admin but in the group S0REVIEW; U0MGR is neither.
    slack.queue('users.info', { body: { ok: true, user: { id: 'U0REV', is_admin: false } } });
    slack.queue('usergroups.users.list', { body: { ok: true, users: ['U0REV', 'U0OTHER'] } });
    await slackClick(alertId, 'U0REV', '1700000001.000001');
    await waitFor(() => decisions(alertId).length === 1);
    expect(decisions(alertId)).toEqual([{ action: 'ack', userId: 'U0REV' }]);
    expect(slack.calls.find((c) => c.method === 'usergroups.users.list')!.args).toMatchObject({
      usergroup: 'S0REVIEW',
    });

    slack.queue('users.info', { body: { ok: true, user: { id: 'U0MGR', is_admin: false } } });
    slack.queue('usergroups.users.list', { body: { ok: true, users: ['U0REV'] } });
    await slackClick(alertId, 'U0MGR', '1700000001.000002');
    await waitFor(() => slack.responses.some((r) => r.path === '/respond/1700000001.000002'));
    expect(
      slack.responses.find((r) => r.path === '/respond/1700000001.000002')!.body,
    ).toMatchObject({
      response_type: 'ephemeral',
      text: expect.stringMatching(/reviewers the operator lists in SANCTIONS_RADAR_REVIEWERS/),
    });
    expect(decisions(alertId)).toHaveLength(1);
  });

  const discordClick = async (
    alertId: number,
    id: string,
    member: { permissions: string; roles: string[] },
  ) => {
    const body = {
      type: 3,
      id,
      application_id: '123456789012345678',
      token: 'tok',
      channel_id: DISCORD_CHANNEL,
      guild_id: '1',
      member: { ...member, nick: null, user: { id: '112233445566778899', username: 'ana' } },
      message: { id: '555', content: '' },
      data: { custom_id: `sr:review:ack:${alertId}` },
    };
    return (
      await postDiscordInteraction<{ type: number; data: { content?: string; flags?: number } }>(
        port,
        privateKey,
        body,
      )
    ).body;
  };

  it('Discord: the reviewer role decides without Manage Channels; Manage Channels alone no longer does; Administrator does', async () => {
    const alertId = delivered(`discord:${DISCORD_CHANNEL}`);
    const manager = await discordClick(alertId, '7001', {
      permissions: String(1 << 4),
      roles: ['1'],
    });
    expect(manager).toMatchObject({
      type: 4,
      data: {
        flags: 64,
        content: expect.stringMatching(
          /needs one of the reviewer roles the operator lists in SANCTIONS_RADAR_REVIEWERS/,
        ),
      },
    });
    expect(decisions(alertId)).toEqual([]);
    const reviewer = await discordClick(alertId, '7002', {
      permissions: String(1 << 10),
      roles: [REVIEWER_ROLE],
    });
    expect(reviewer.type).toBe(7);
    const admin = await discordClick(alertId, '7003', { permissions: String(1 << 3), roles: [] });
    expect(admin.type).toBe(7);
    expect(decisions(alertId)).toEqual([
      { action: 'ack', userId: '112233445566778899' },
      { action: 'ack', userId: '112233445566778899' },
    ]);
  });

  it('a platform the variable names nobody of keeps its default', () => {
    const onlyDiscord = readSettings({ SANCTIONS_RADAR_REVIEWERS: REVIEWER_ROLE }).reviewers!;
    expect(onlyDiscord.slack).toEqual([]);
    // Slack then asks who may change the channel: an admin is allowed, as without the variable.
    const managers = { everyone: false, users: new Set(['U0MGR']), groups: [] };
    expect(reviewerRule(onlyDiscord, managers).rule).toBe(managers);
  });
});
