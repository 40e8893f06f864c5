// `sanctions-radar register [PLATFORM]` (and `discord register`, as before): the platforms whose
// slash command must be registered do it through the port; the CLI names no platform itself.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from './helpers/cli.js';
import { FakeDiscord } from './helpers/fake-discord.js';

describe('sanctions-radar register', () => {
  const discord = new FakeDiscord();
  beforeAll(() => discord.start());
  afterAll(() => discord.stop());
  const env = () =>
    cleanEnv({
      DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB',
      DISCORD_APPLICATION_ID: '123456789012345678',
      DISCORD_GUILD_ID: '876543210987654321',
      DISCORD_API_URL: discord.api,
      SANCTIONS_RADAR_DB: ':memory:',
    });

  it('registers with every configured platform that needs it, or the one named', async () => {
    const all = await runCli(['register'], env());
    expect(all).toMatchObject({
      code: 0,
      stdout: '/sanctions registered in server 876543210987654321 (available now)\n',
    });
    const named = await runCli(['discord', 'register'], env());
    expect(named).toMatchObject({
      code: 0,
      stdout: '/sanctions registered in server 876543210987654321 (available now)\n',
    });
    expect(discord.calls.filter((c) => c.method === 'PUT').map((c) => c.path)).toEqual(
      Array(2).fill('/api/v10/applications/123456789012345678/guilds/876543210987654321/commands'),
    );
  });

  it('says when nothing needs it, and refuses a platform that has no command or does not exist', async () => {
    expect(await runCli(['register'], cleanEnv({ SANCTIONS_RADAR_DB: ':memory:' }))).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(/^No configured platform needs its command registered/),
    });
    expect(
      await runCli(['register', 'slack'], cleanEnv({ SANCTIONS_RADAR_DB: ':memory:' })),
    ).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/slack is not configured: set SLACK_BOT_TOKEN/),
    });
    expect(
      await runCli(['register', 'pager'], cleanEnv({ SANCTIONS_RADAR_DB: ':memory:' })),
    ).toMatchObject({ code: 2, stderr: expect.stringMatching(/no "pager" platform/) });
  });
});
