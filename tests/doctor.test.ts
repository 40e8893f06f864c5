// `sanctions-radar doctor` as an operator runs it, against fake Slack and Discord APIs and a local
// list server: once with everything right, once with each check failing, saying how to fix it.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from './helpers/cli.js';
import { FakeDiscord } from './helpers/fake-discord.js';
import { FakeSlack } from './helpers/fake-slack.js';
import { FeedServer } from './helpers/feed-server.js';
import { fixture } from './helpers/fixtures.js';
import { createHarness, source } from './helpers/poll-harness.js';
import { pauseChannel } from '../db/outbox.js';
import { runCommand } from '../src/commands/run.js';
import {
  channelPermissions,
  missingToPost,
  type Overwrite,
} from '../adapters/discord/permissions.js';
import { NameMatcher } from '../src/names/matcher.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB';

describe('sanctions-radar doctor', () => {
  const slack = new FakeSlack();
  const discord = new FakeDiscord();
  const feeds = new FeedServer();
  let dir: string;
  beforeAll(async () => {
    await Promise.all([slack.start(), discord.start(), feeds.start()]);
    dir = mkdtempSync(join(tmpdir(), 'sr-doctor-'));
    feeds.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    writeFileSync(
      join(dir, 'good.json'),
      JSON.stringify({
        sources: [{ id: 'ofac-sdn', kind: 'ofac-csv', url: feeds.url('/sdn.csv') }],
      }),
    );
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify({
        sources: [
          { id: 'ofac-sdn', kind: 'ofac-csv', url: feeds.url('/sdn.csv') },
          { id: 'moved', kind: 'rss', url: feeds.url('/gone.xml') },
        ],
      }),
    );
  });
  afterAll(async () => {
    await Promise.all([slack.stop(), discord.stop(), feeds.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });
  const env = (sources: string, extra: Record<string, string> = {}) =>
    cleanEnv({
      SANCTIONS_RADAR_DB: join(dir, 'radar.db'),
      SANCTIONS_RADAR_SOURCES: join(dir, sources),
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_API_URL: slack.apiUrl,
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: discord.api,
      SANCTIONS_RADAR_ALERT_CHANNELS: 'slack:C0PUBLIC,discord:998877665544332211',
      ...extra,
    });

  it('says every check holds when it does, and exits 0', async () => {
    slack.queue('conversations.info', {
      body: {
        ok: true,
        channel: { id: 'C0PUBLIC', name: 'sanctions', is_member: true, is_private: false },
      },
    });
    // The bot's role grants what an alert needs; the channel denies @everyone nothing the bot needs.
    discord.queue(
      { status: 200, body: { id: '42', username: 'sanctions-radar' } },
      {
        status: 200,
        body: {
          id: '998877665544332211',
          name: 'alerts',
          type: 0,
          guild_id: '1234',
          permission_overwrites: [{ id: '1234', type: 0, allow: '0', deny: String(1 << 13) }],
        },
      },
      {
        status: 200,
        body: [
          { id: '1234', permissions: String(1 << 10) },
          { id: '77', permissions: String((1 << 11) | (1 << 14) | (1 << 15)) },
        ],
      },
      { status: 200, body: { roles: ['77'] } },
    );
    const r = await runCli(['doctor'], env('good.json'));
    expect(r.stdout).toMatch(/^✓ configuration: /m);
    expect(r.stdout).toMatch(/^✓ database: .*radar\.db: opens and takes writes$/m);
    expect(r.stdout).toMatch(/^✓ disk: \d+ MB free beside the database$/m);
    expect(r.stdout).toMatch(
      /^✓ source ofac-sdn: http:\/\/127\.0\.0\.1:\d+\/sdn\.csv answers 200$/m,
    );
    expect(r.stdout).toMatch(/^✓ clock: within \d+ s of the sources' servers$/m);
    expect(r.stdout).toMatch(/^✓ slack token: the bot sanctions-radar in workspace T$/m);
    expect(r.stdout).toMatch(/^✓ slack scopes: all 8 the features use$/m);
    expect(r.stdout).toMatch(/^✓ slack:C0PUBLIC: #sanctions: the bot is a member$/m);
    expect(r.stdout).toMatch(/^✓ discord token: the bot sanctions-radar$/m);
    expect(r.stdout).toMatch(
      /^✓ discord:998877665544332211: #alerts: the bot may view, send, embed and attach there$/m,
    );
    expect(r.stdout).toMatch(/All \d+ checks hold\. Next: sanctions-radar test-alert/);
    expect(r.code).toBe(0);
  });

  it('says what fails and how to fix it, and exits 1; --json gives the same', async () => {
    const run = async (json: boolean) => {
      slack.scopes = [
        'commands',
        'chat:write',
        'users:read',
        'usergroups:read',
        'channels:read',
        'groups:read',
      ];
      slack.queue(
        'conversations.info',
        {
          body: {
            ok: true,
            channel: { id: 'C0PRIVATE', name: 'desk', is_member: false, is_private: true },
          },
        },
        { body: { ok: false, error: 'channel_not_found' } },
      );
      discord.queue(
        { status: 200, body: { id: '42', username: 'sanctions-radar' } },
        { status: 403, body: { message: 'Missing Access', code: 50001 } },
        // The second channel denies the bot's role Send Messages.
        {
          status: 200,
          body: {
            id: '998877665544330000',
            name: 'quiet',
            type: 0,
            guild_id: '1234',
            permission_overwrites: [{ id: '77', type: 0, allow: '0', deny: String(1 << 11) }],
          },
        },
        {
          status: 200,
          body: [
            { id: '1234', permissions: String(1 << 10) },
            { id: '77', permissions: String((1 << 11) | (1 << 14) | (1 << 15)) },
          ],
        },
        { status: 200, body: { roles: ['77'] } },
      );
      return runCli(
        ['doctor', ...(json ? ['--json'] : [])],
        env('bad.json', {
          SANCTIONS_RADAR_ALERT_CHANNELS:
            'slack:C0PRIVATE,slack:C0GONE,discord:998877665544332211,discord:998877665544330000,teams:desk',
        }),
      );
    };
    const r = await run(false);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /^✗ source moved: http:\/\/127\.0\.0\.1:\d+\/gone\.xml: HTTP 404\n {4}fix: check the address/m,
    );
    expect(r.stdout).toMatch(
      /^✗ slack scopes: missing chat:write\.public \(posting in public channels without an invitation\), files:write \(a changeset's CSV\)\n {4}fix: add them under OAuth & Permissions/m,
    );
    expect(r.stdout).toMatch(
      /^✗ slack:C0PRIVATE: #desk is private and the bot is not in it\n {4}fix: in #desk: \/invite @sanctions-radar$/m,
    );
    expect(r.stdout).toMatch(
      /^✗ slack:C0GONE: no such channel, or a private one the bot is not in/m,
    );
    expect(r.stdout).toMatch(/^✗ discord:998877665544332211: .*Missing Access/m);
    expect(r.stdout).toMatch(
      /^✗ discord:998877665544330000: #quiet: the bot lacks Send Messages\n {4}fix: in the channel's settings → Permissions, allow the bot's role Send Messages$/m,
    );
    expect(r.stdout).toMatch(
      /^✗ teams: 1 channel\(s\) get alerts here \(teams:desk\), but teams is not configured\n {4}fix: set SANCTIONS_RADAR_TEAMS_<NAME>_URL$/m,
    );
    expect(r.stdout).toMatch(/\n7 check\(s\) failed\./);
    const j = await run(true);
    expect(j.code).toBe(1);
    const report = JSON.parse(j.stdout) as {
      ok: boolean;
      checks: { check: string; ok: boolean; fix?: string }[];
    };
    expect(report.ok).toBe(false);
    expect(report.checks.filter((c) => !c.ok).map((c) => c.check)).toEqual([
      'source moved',
      'slack scopes',
      'slack:C0PRIVATE',
      'slack:C0GONE',
      'discord:998877665544332211',
      'discord:998877665544330000',
      'teams',
    ]);
  });

  it('reports a configuration it cannot read as a failed check, not a crash', async () => {
    const r = await runCli(['doctor'], cleanEnv({ SANCTIONS_RADAR_MAX_SHRINK: 'lots' }));
    expect(r).toMatchObject({
      code: 1,
      stdout: expect.stringMatching(
        /^✗ configuration: SANCTIONS_RADAR_MAX_SHRINK=lots is not valid/,
      ),
    });
  });
});

describe('/sanctions doctor', () => {
  it("says what the daemon knows of its health, within a chat command's 3 seconds, for who may manage the channel", async () => {
    const h = createHarness();
    try {
      const dead = new FeedServer();
      await dead.start();
      const url = dead.url('/list.csv');
      await dead.stop();
      const down = source('down', 'csv', url, { list: 'X', columns: { name: 'Name' } });
      await h.poll(down);
      pauseChannel(
        h.db,
        'slack:C0GONE',
        'Slack: channel_not_found (the channel does not exist or the bot cannot see it)',
        new Date().toISOString(),
      );
      const ctx = {
        db: h.db,
        matcher: new NameMatcher(h.db),
        sources: [down],
        channel: 'slack:C0DESK',
        dbPath: join(h.dir, 'test.db'),
        platformProblems: new Map([['discord', 'Discord refuses the token (401)']]),
      };
      expect(
        runCommand('doctor', ctx, { access: { mayChangeChannel: false, refusal: 'Only admins.' } }),
      ).toMatchObject({ ok: false, summary: 'Only admins.' });
      const r = runCommand('doctor', ctx, { access: { mayChangeChannel: true } });
      expect(r.summary).toBe('3 of 4 checks fail here');
      expect(r.sections[0]!.lines).toEqual([
        expect.stringMatching(/^✓ disk: \d+ MB free beside the database$/),
        expect.stringMatching(
          /^✗ source down: failing: .*ECONNREFUSED.* \(fix: sanctions-radar doctor on the host checks the address and the network\)$/,
        ),
        '✗ discord: Discord refuses the token (401) (fix: sanctions-radar doctor on the host checks the token and its scopes)',
        expect.stringMatching(/^✗ slack:C0GONE: paused since .* UTC: Slack: channel_not_found/),
      ]);
    } finally {
      h.close();
    }
  });
});

describe("the bot's permissions in a Discord channel, as Discord computes them", () => {
  const roles = [
    { id: 'G', permissions: String(1 << 10) },
    { id: 'bot', permissions: String((1 << 11) | (1 << 14)) },
    { id: 'admin', permissions: String(1 << 3) },
  ];
  const of = (memberRoles: string[], overwrites: Overwrite[] = []) =>
    missingToPost(
      channelPermissions({ guildId: 'G', roles, memberId: 'me', memberRoles, overwrites }),
    );
  it('adds the roles, lets Administrator override, then applies @everyone, role and member overwrites in that order', () => {
    expect(of(['bot'])).toEqual(['Attach Files']);
    expect(of(['admin'], [{ id: 'G', type: 0, allow: '0', deny: String(1 << 10) }])).toEqual([]);
    expect(of(['bot'], [{ id: 'G', type: 0, allow: '0', deny: String(1 << 10) }])).toEqual([
      'View Channel',
      'Attach Files',
    ]);
    // A role's allow beats @everyone's deny; the member's own deny beats both.
    expect(
      of(
        ['bot'],
        [
          { id: 'G', type: 0, allow: '0', deny: String(1 << 10) },
          { id: 'bot', type: 0, allow: String((1 << 10) | (1 << 15)), deny: '0' },
        ],
      ),
    ).toEqual([]);
    expect(
      of(
        ['bot'],
        [
          { id: 'bot', type: 0, allow: String(1 << 15), deny: '0' },
          { id: 'me', type: 1, allow: '0', deny: String(1 << 11) },
        ],
      ),
    ).toEqual(['Send Messages']);
  });
});
