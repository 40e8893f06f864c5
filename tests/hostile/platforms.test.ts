// Slack unreachable, or refusing the token, when the daemon starts: it keeps polling and
// queueing, says so in /healthz, and retries; it does not die.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, spawnCli, waitFor } from '../helpers/cli.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { FeedServer } from '../helpers/feed-server.js';
import { fixture } from '../helpers/fixtures.js';

describe('a platform that fails at start', () => {
  const server = new FeedServer();
  const slack = new FakeSlack();
  let dir: string;
  beforeAll(async () => {
    await server.start();
    await slack.start();
    dir = mkdtempSync(join(tmpdir(), 'sr-platform-'));
  });
  afterAll(async () => {
    await server.stop();
    await slack.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a revoked Slack token: the daemon keeps polling, /healthz says Slack is failing, nothing exits', async () => {
    slack.queue(
      'auth.test',
      { body: { ok: false, error: 'token_revoked' } },
      { body: { ok: false, error: 'token_revoked' } },
    );
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    const sources = join(dir, 'sources.json');
    writeFileSync(
      sources,
      JSON.stringify({
        sources: [
          {
            id: 'ofac-sdn',
            kind: 'ofac-csv',
            url: server.url('/sdn.csv'),
            schedule: '* * * * * *',
          },
        ],
      }),
    );
    const run = spawnCli(
      ['start', '--sources', sources, '--db', join(dir, 'radar.db')],
      cleanEnv({
        PORT: '0',
        SLACK_BOT_TOKEN: 'xoxb-revoked',
        SLACK_SIGNING_SECRET: '0123456789abcdef0123456789abcdef',
        SLACK_API_URL: slack.apiUrl,
        SANCTIONS_RADAR_ALERT_CHANNELS: 'console:default,slack:C0123456789',
      }),
    );
    try {
      const started = await waitFor(() =>
        run
          .stderr()
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l))
          .find((l) => l.msg === 'sanctions-radar started'),
      );
      await waitFor(() => run.stderr().includes('"status":"baseline"'));
      const health = await (await fetch(`http://127.0.0.1:${started.port}/healthz`)).json();
      expect(health).toMatchObject({
        status: 'degraded',
        platforms: [
          { platform: 'slack', status: 'failing', reason: expect.stringMatching(/token_revoked/) },
        ],
      });
      expect(run.stderr()).toMatch(
        /Slack is not reachable or refuses the token; alerts are queued, retrying/,
      );
      expect(run.child.exitCode).toBeNull();
    } finally {
      run.child.kill('SIGTERM');
      await new Promise((r) => run.child.on('exit', r));
    }
  });
});
