// Behind a proxy, as fund and bank networks are: downloads (http and https) and the Slack and
// Discord API calls go through the proxy HTTP(S)_PROXY names, and not for the hosts NO_PROXY names.
import { createServer as createTlsServer, type Server as TlsServer } from 'node:https';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { discordAdapterFactory } from '../../adapters/discord/index.js';
import { slackAdapterFactory } from '../../adapters/slack/index.js';
import { readSettings } from '../../src/config/settings.js';
import type { DeliveryItem } from '../../src/delivery/adapter.js';
import type { Alert } from '../../src/domain.js';
import { silentLogger } from '../../src/log.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { FakeDiscord } from '../helpers/fake-discord.js';
import { FakeSlack } from '../helpers/fake-slack.js';
import { FakeSocketMode } from '../helpers/fake-socket-mode.js';
import { createSlackAdapter } from '../../adapters/slack/slack-adapter.js';
import { FeedServer } from '../helpers/feed-server.js';
import { fixture } from '../helpers/fixtures.js';
import { ForwardProxy } from '../helpers/forward-proxy.js';
import { closeServer, listenLocal } from '../helpers/listen.js';

const alert: Alert = {
  id: 1,
  type: 'source.health',
  source: 'ofac-sdn',
  sourceLabel: 'OFAC SDN list',
  detectedAt: '2024-04-12T14:00:00.000Z',
  channels: [],
  status: 'failing',
  reason: 'HTTP 503',
};
const item: DeliveryItem = { alert, reason: null };

describe('through a forward proxy', () => {
  const proxy = new ForwardProxy();
  const feeds = new FeedServer();
  let tls: TlsServer;
  let tlsPort = 0;
  let dir: string;
  beforeAll(async () => {
    await proxy.start();
    await feeds.start();
    feeds.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    tls = createTlsServer(
      { cert: fixture('tls/localhost-cert.pem'), key: fixture('tls/localhost-key.pem') },
      (_req, res) => void res.writeHead(200).end(fixture('ofac/sdn_2024-04-04_trimmed.csv')),
    );
    tlsPort = await listenLocal(tls as unknown as Server);
    dir = mkdtempSync(join(tmpdir(), 'sr-proxy-'));
  });
  afterAll(async () => {
    await proxy.stop();
    await feeds.stop();
    await closeServer(tls as unknown as Server);
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => {
    proxy.carried.length = 0;
  });

  const poll = async (url: string, env: Record<string, string>) => {
    const sources = join(dir, `s${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(
      sources,
      JSON.stringify({ sources: [{ id: 'ofac-sdn', kind: 'ofac-csv', url }] }),
    );
    return runCli(
      [
        'poll',
        '--json',
        '--sources',
        sources,
        '--db',
        join(dir, `${Math.random().toString(36).slice(2)}.db`),
      ],
      cleanEnv({ LOG_LEVEL: 'info', ...env }),
    );
  };

  it('a download over http goes through HTTP_PROXY, and past it for a NO_PROXY host', async () => {
    const via = await poll(feeds.url('/sdn.csv'), { HTTP_PROXY: proxy.url });
    expect(via.code).toBe(0);
    expect(via.stderr).toMatch(/"status":"baseline"/);
    expect(proxy.carried).toEqual([`GET ${feeds.url('/sdn.csv')}`]);
    // A proxy that is down: the failure names it (without its credentials).
    const down = await poll(feeds.url('/sdn.csv'), {
      HTTP_PROXY: 'http://user:secret@127.0.0.1:1',
      SANCTIONS_RADAR_FETCH_RETRIES: '0',
    });
    expect(down.stdout).toMatch(
      /connection refused \(ECONNREFUSED\) \(http:\/\/127\.0\.0\.1:\d+\/sdn\.csv, through the proxy http:\/\/\*\*\*:\*\*\*@127\.0\.0\.1:1\/\)/,
    );
    expect(down.stdout + down.stderr).not.toContain('secret');
    proxy.carried.length = 0;
    const direct = await poll(feeds.url('/sdn.csv'), {
      HTTP_PROXY: proxy.url,
      NO_PROXY: '127.0.0.1',
    });
    expect(direct.stderr).toMatch(/"status":"baseline"/);
    expect(proxy.carried).toEqual([]);
  }, 30_000);

  it('a download over https goes through a CONNECT tunnel of HTTPS_PROXY, the certificate still verified', async () => {
    // By host name, as the real sources are (through a tunnel, the name is what the certificate is checked against).
    const cert = fileURLToPath(new URL('../fixtures/tls/localhost-cert.pem', import.meta.url));
    const ok = await poll(`https://localhost:${tlsPort}/sdn.csv`, {
      HTTPS_PROXY: proxy.url,
      NODE_EXTRA_CA_CERTS: cert,
    });
    expect(ok.stderr).toMatch(/"status":"baseline"/);
    expect(proxy.carried).toEqual([`CONNECT localhost:${tlsPort}`]);
    const untrusted = await poll(`https://localhost:${tlsPort}/sdn.csv`, {
      HTTPS_PROXY: proxy.url,
    });
    expect(untrusted.stdout).toMatch(/TLS certificate is self-signed/);
  }, 30_000);

  it('Slack and Discord API calls go through the proxy', async () => {
    const slack = await new FakeSlack().start();
    const discord = await new FakeDiscord().start();
    try {
      const base = {
        settings: readSettings({}),
        log: silentLogger,
        mode: 'poll' as const,
        json: false,
      };
      const s = await slackAdapterFactory.fromEnv({
        ...base,
        env: { SLACK_BOT_TOKEN: 'xoxb-proxy', SLACK_API_URL: slack.apiUrl, HTTP_PROXY: proxy.url },
      });
      expect(await s!.deliver('C0PROXY', [item])).toMatchObject({ ok: true });
      expect(slack.accepted()).toHaveLength(1);
      const d = await discordAdapterFactory.fromEnv({
        ...base,
        env: {
          DISCORD_TOKEN: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB',
          DISCORD_API_URL: discord.api,
          HTTP_PROXY: proxy.url,
        },
      });
      expect(await d!.deliver('998877665544332211', [item])).toMatchObject({ ok: true });
      const carried = proxy.carried.join('\n');
      expect(carried).toContain(`127.0.0.1:${slack.port}`);
      expect(carried).toContain(`127.0.0.1:${discord.port}`);
    } finally {
      await slack.stop();
      await discord.stop();
    }
  }, 30_000);

  it('Slack Socket Mode: apps.connections.open and the WebSocket itself go through the proxy', async () => {
    const slack = await new FakeSlack().start();
    const socket = new FakeSocketMode();
    await socket.start();
    slack.queue('apps.connections.open', { body: { ok: true, url: socket.url } });
    const adapter = createSlackAdapter(
      {
        botToken: 'xoxb-proxy',
        appToken: 'xapp-1-A0001-proxy',
        signingSecret: null,
        apiUrl: slack.apiUrl,
      },
      {
        env: { HTTP_PROXY: proxy.url },
        settings: readSettings({}),
        log: silentLogger,
        mode: 'start',
        json: false,
        commands: () => ({
          verb: 'help',
          ok: true,
          visibility: 'private',
          summary: 'ok',
          data: {},
          sections: [],
        }),
      },
    );
    try {
      await adapter.start!();
      await socket.ready;
      const carried = proxy.carried.join('\n');
      expect(carried).toContain(`127.0.0.1:${slack.port}`);
      expect(carried).toContain(`127.0.0.1:${socket.port}`);
    } finally {
      await adapter.stop!();
      await socket.stop();
      await slack.stop();
    }
  }, 30_000);
});
