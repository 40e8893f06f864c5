// `sanctions-radar test-alert --channel C`: a sample alert, marked as a test, through the real
// outbox and adapter, so a team sees its first alert in minutes (the first poll of a source is a
// silent baseline). Run as a user runs it, against a fake Slack.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from './helpers/cli.js';
import { runCommand } from '../src/commands/run.js';
import { NameMatcher } from '../src/names/matcher.js';
import { FakeSlack } from './helpers/fake-slack.js';
import { createHarness } from './helpers/poll-harness.js';

describe('sanctions-radar test-alert', () => {
  const slack = new FakeSlack();
  let dir: string;
  beforeAll(async () => {
    await slack.start();
    dir = mkdtempSync(join(tmpdir(), 'sr-test-alert-'));
  });
  afterAll(async () => {
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
  });
  const env = () =>
    cleanEnv({
      SANCTIONS_RADAR_DB: join(dir, 'radar.db'),
      SLACK_BOT_TOKEN: 'xoxb-test',
      SLACK_API_URL: slack.apiUrl,
    });

  it('posts a real listing, marked as a test, to the channel, and says so', async () => {
    const r = await runCli(['test-alert', '--channel', 'slack:C0NEWTEAM'], env());
    expect(r.stderr).toMatch(
      /^✓ test alert #\d+ delivered to slack:C0NEWTEAM \(message \d+\.\d+\)$/m,
    );
    expect(r.code).toBe(0);
    const post = slack.posts().at(-1) as { channel: string; text: string; blocks: unknown[] };
    expect(post.channel).toBe('C0NEWTEAM');
    expect(post.text).toBe(':rotating_light: Added to NS-CMIC: CHINA MOBILE LIMITED');
    const shown = JSON.stringify(post.blocks);
    expect(shown).toContain('TEST ALERT · sanctions-radar (nothing changed)');
    expect(shown).toContain('test alert (sanctions-radar test-alert): nothing changed on any list');
    expect(shown).toContain('US16941M1099');
  });

  it('says why it did not arrive, and exits 1', async () => {
    slack.queue('chat.postMessage', { body: { ok: false, error: 'not_in_channel' } });
    const r = await runCli(['test-alert', '--channel', 'slack:C0PRIVATE'], env());
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^✗ test alert #\d+ not delivered to slack:C0PRIVATE: Slack: not_in_channel \(the bot is not in this channel: invite it with \/invite @sanctions-radar\)/m,
    );
  });

  it('needs a channel, and a configured platform', async () => {
    expect(await runCli(['test-alert'], env())).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/test-alert needs --channel/),
    });
    expect(
      await runCli(['test-alert', '--channel', 'discord:123456789012345678'], env()),
    ).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/discord is not configured: set DISCORD_TOKEN/),
    });
  });
});

describe('/sanctions test', () => {
  it('queues the sample alert for the channel asking, for who may change what it receives', () => {
    const h = createHarness();
    try {
      const ctx = {
        db: h.db,
        matcher: new NameMatcher(h.db),
        sources: [],
        channel: 'slack:C0DESK',
      };
      const refused = runCommand('test', ctx, {
        access: { mayChangeChannel: false, refusal: 'Only admins.' },
      });
      expect(refused).toMatchObject({ ok: false, summary: 'Only admins.' });
      const r = runCommand('test', ctx, { access: { mayChangeChannel: true } });
      expect(r.summary).toMatch(
        /^A test alert \(#\d+, a real NS-CMIC listing marked as a test\) is on its way to this channel/,
      );
      expect(h.db.prepare('SELECT channel, status, reason FROM deliveries').all()).toEqual([
        {
          channel: 'slack:C0DESK',
          status: 'pending',
          reason: expect.stringMatching(/^test alert/),
        },
      ]);
    } finally {
      h.close();
    }
  });
});

describe('sanctions-radar demo --channel', () => {
  it('replays the bundled real changes into a real channel too, beside the console', async () => {
    const slack = new FakeSlack();
    await slack.start();
    try {
      const r = await runCli(
        ['demo', '--channel', 'slack:C0DEMO'],
        cleanEnv({
          SLACK_BOT_TOKEN: 'xoxb-test',
          SLACK_API_URL: slack.apiUrl,
          SANCTIONS_RADAR_SLACK_PACE_MS: '0',
        }),
      );
      expect(r.code).toBe(0);
      // Each alert is one console line that starts with its time.
      const printed = r.stdout
        .split('\n')
        .filter((l) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d /.test(l)).length;
      const posted = slack.accepted().filter((p) => p.channel === 'C0DEMO');
      // The same alerts: one message each in Slack (details in a digest's thread), one line each on the console.
      expect(printed).toBeGreaterThan(5);
      expect(posted.filter((p) => slack.alertIdsOf(p).length === 1)).toHaveLength(printed);
      expect(JSON.stringify(posted)).toMatch(/HESAI/i);
    } finally {
      await slack.stop();
    }
  }, 60_000);
});
