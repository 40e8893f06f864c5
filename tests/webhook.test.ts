// Signed webhooks: `webhook:<name>` channels POST each alert to a receiver, through the real
// outbox and dispatcher, against local receivers that answer as real ones do (2xx, 410, 429 with
// Retry-After, 5xx, 4xx, a redirect, silence). The receiver the README gives is run as written,
// against `sanctions-radar poll` as a user runs it.
import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readWebhookConfig } from '../adapters/webhook/config.js';
import { createWebhookAdapter } from '../adapters/webhook/webhook-adapter.js';
import { retryAfterMs } from '../adapters/http-post.js';
import { enqueueAlert } from '../db/outbox.js';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import { healthReport } from '../src/http/health.js';
import { pausedChannels } from '../db/outbox.js';
import type { NewAlert } from '../src/domain.js';
import { createLogger } from '../src/log.js';
import { cleanEnv, runCli, waitFor } from './helpers/cli.js';
import { allDocs } from './helpers/docs.js';
import { FeedServer } from './helpers/feed-server.js';
import { fixture } from './helpers/fixtures.js';
import { closeServer, listenLocal, readBody } from './helpers/listen.js';
import { createHarness, type Harness } from './helpers/poll-harness.js';

const SECRET = 'whsec-0123456789abcdef-do-not-log';
const record = (name: string) => ({
  key: `SDN:${name}`,
  list: 'SDN',
  name,
  aliases: [],
  type: 'entity',
  programs: ['SDGT'],
  countries: [],
  addresses: [],
  listedOn: null,
  citation: null,
  url: null,
  remarks: null,
});
const added = (name: string): NewAlert => ({
  type: 'designation.added',
  source: 'ofac-sdn',
  sourceLabel: 'OFAC SDN',
  detectedAt: '2026-12-05T10:00:00.000Z',
  list: 'SDN',
  entity: { key: `SDN:${name}`, name, aliases: [], programs: ['SDGT'] },
  record: record(name),
});

describe('webhook configuration', () => {
  it('pairs each URL with its secret, names the channel after the variable, and refuses what would leak', () => {
    expect([
      ...readWebhookConfig({
        SANCTIONS_RADAR_WEBHOOK_CASE_SYSTEM_URL: 'https://cases.example.com/hooks/sr',
        SANCTIONS_RADAR_WEBHOOK_CASE_SYSTEM_SECRET: SECRET,
      }),
    ]).toEqual([['case-system', { url: 'https://cases.example.com/hooks/sr', secret: SECRET }]]);
    expect(
      readWebhookConfig({
        SANCTIONS_RADAR_WEBHOOK_LOCAL_URL: 'http://127.0.0.1:8080/x',
        SANCTIONS_RADAR_WEBHOOK_LOCAL_SECRET: SECRET,
      }).has('local'),
    ).toBe(true);
    const refused = (env: Record<string, string>) => {
      try {
        readWebhookConfig(env);
      } catch (err) {
        expect((err as Error).message).not.toContain(SECRET);
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(
      refused({
        SANCTIONS_RADAR_WEBHOOK_X_URL: 'http://cases.example.com/x?token=abc',
        SANCTIONS_RADAR_WEBHOOK_X_SECRET: SECRET,
      }),
    ).toMatch(
      /SANCTIONS_RADAR_WEBHOOK_X_URL=http:\/\/cases\.example\.com\/x\?token=\*\*\* must be https/,
    );
    expect(refused({ SANCTIONS_RADAR_WEBHOOK_X_URL: 'https://cases.example.com/x' })).toMatch(
      /SANCTIONS_RADAR_WEBHOOK_X_SECRET is not/,
    );
    expect(
      refused({
        SANCTIONS_RADAR_WEBHOOK_X_URL: 'https://cases.example.com/x',
        SANCTIONS_RADAR_WEBHOOK_X_SECRET: 'short',
      }),
    ).toMatch(/too short/);
    expect(refused({ SANCTIONS_RADAR_WEBHOOK_X_SECRET: SECRET })).toMatch(
      /SANCTIONS_RADAR_WEBHOOK_X_URL is not/,
    );
    expect(retryAfterMs('3')).toBe(3000);
    expect(retryAfterMs(new Date(Date.now() + 5000).toUTCString(), Date.now())).toBeGreaterThan(
      3000,
    );
    expect(retryAfterMs('soon')).toBeUndefined();
  });

  it('refuses a plain-http receiver at start, in one line, with exit 2', async () => {
    const r = await runCli(
      ['poll'],
      cleanEnv({
        SANCTIONS_RADAR_WEBHOOK_CASES_URL: 'http://cases.example.com/hook',
        SANCTIONS_RADAR_WEBHOOK_CASES_SECRET: SECRET,
        SANCTIONS_RADAR_DB: ':memory:',
      }),
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /SANCTIONS_RADAR_WEBHOOK_CASES_URL=http:\/\/cases\.example\.com\/hook must be https/,
    );
    expect(r.stderr).not.toContain(SECRET);
    const unnamed = await runCli(
      ['poll'],
      cleanEnv({
        SANCTIONS_RADAR_WEBHOOK_CASES_URL: 'https://cases.example.com/hook',
        SANCTIONS_RADAR_WEBHOOK_CASES_SECRET: SECRET,
        SANCTIONS_RADAR_ALERT_CHANNELS: 'webhook:ops',
        SANCTIONS_RADAR_DB: ':memory:',
      }),
    );
    expect(unnamed).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(
        /SANCTIONS_RADAR_ALERT_CHANNELS has webhook:ops, but SANCTIONS_RADAR_WEBHOOK_OPS_URL is not set/,
      ),
    });
  });
});

interface Received {
  headers: IncomingMessage['headers'];
  body: string;
}

describe('webhook deliveries through the dispatcher', () => {
  let server: Server;
  let url = '';
  const received: Received[] = [];
  const answers: {
    status: number;
    headers?: Record<string, string>;
    body?: string;
    hang?: boolean;
  }[] = [];
  let h: Harness;
  const lines: string[] = [];
  const log = createLogger('debug', { write: (l: string) => lines.push(l) });
  beforeAll(async () => {
    server = createServer((req, res) => {
      void readBody(req).then((body) => {
        received.push({ headers: req.headers, body });
        const a = answers.shift() ?? { status: 204 };
        if (a.hang) return;
        res.writeHead(a.status, a.headers ?? {}).end(a.body ?? '');
      });
    });
    url = `http://127.0.0.1:${await listenLocal(server)}/hooks/sanctions`;
  });
  afterAll(() => closeServer(server));
  beforeEach(() => {
    h = createHarness();
    received.length = 0;
    answers.length = 0;
  });
  afterEach(() => h.close());

  const adapter = (timeoutMs = 2000) =>
    createWebhookAdapter(new Map([['cases', { url, secret: SECRET }]]), {
      log,
      userAgent: 'sanctions-radar-test',
      timeoutMs,
    });
  const queue = (...names: string[]) =>
    names.map(
      (n) => enqueueAlert(h.db, added(n), new Map([['webhook:cases', 'list SDN']]), null).id,
    );
  const delivery = (id: number) =>
    h.db
      .prepare(
        "SELECT status, attempts, last_error AS error FROM deliveries WHERE alert_id = ? AND channel = 'webhook:cases'",
      )
      .get(id) as { status: string; attempts: number; error: string | null };

  it('posts each alert as poll --json prints it, signed over its timestamp and body, with a key per delivery', async () => {
    const [a, b] = queue('ALPHA', 'BETA');
    expect(await new Dispatcher(h.db, log, [adapter()]).dispatch()).toMatchObject({ sent: 2 });
    expect(received.map((r) => JSON.parse(r.body).entity.name)).toEqual(['ALPHA', 'BETA']);
    const first = received[0]!;
    expect(JSON.parse(first.body)).toMatchObject({
      id: a,
      type: 'designation.added',
      source: 'ofac-sdn',
      list: 'SDN',
      reason: 'list SDN',
    });
    expect(first.headers['content-type']).toBe('application/json');
    const ts = first.headers['x-sanctions-radar-timestamp'] as string;
    expect(Math.abs(Date.now() / 1000 - Number(ts))).toBeLessThan(10);
    expect(first.headers['x-sanctions-radar-signature']).toBe(
      `v1=${createHmac('sha256', SECRET).update(`v1:${ts}:${first.body}`).digest('hex')}`,
    );
    expect(received.map((r) => r.headers['idempotency-key'])).toEqual([
      `sanctions-radar-${a}-cases`,
      `sanctions-radar-${b}-cases`,
    ]);
    expect(delivery(a!)).toMatchObject({ status: 'sent' });
  });

  it('retries 5xx and silence with the same Idempotency-Key, honours Retry-After on 429, and keeps order', async () => {
    const [a, b] = queue('ALPHA', 'BETA');
    let clock = Date.now();
    const d = new Dispatcher(h.db, log, [adapter(300)], { now: () => new Date(clock) });
    answers.push({ status: 503, body: 'maintenance' });
    expect(await d.dispatch()).toMatchObject({ sent: 0, retrying: 2 });
    expect(delivery(a!)).toMatchObject({
      status: 'pending',
      attempts: 1,
      error: 'webhook cases answered HTTP 503: maintenance',
    });
    clock += 60_000;
    answers.push({ status: 429, headers: { 'retry-after': '7' } });
    const limited = await d.dispatch();
    expect(limited).toMatchObject({ sent: 0, nextDueAt: new Date(clock + 7000).toISOString() });
    // A rate limit is no failed attempt.
    expect(delivery(a!)).toMatchObject({ attempts: 1 });
    clock += 7000;
    answers.push({ status: 200, hang: true });
    expect(await d.dispatch()).toMatchObject({ sent: 0 });
    expect(delivery(a!).error).toBe('webhook cases: no answer within 0.3 s');
    clock += 120_000;
    expect(await d.dispatch()).toMatchObject({ sent: 2 });
    // ALPHA four times (503, 429, silence, 204) under one key, then BETA: in order.
    const keyA = `sanctions-radar-${a}-cases`;
    expect(received.map((r) => r.headers['idempotency-key'])).toEqual([
      keyA,
      keyA,
      keyA,
      keyA,
      `sanctions-radar-${b}-cases`,
    ]);
  });

  it('dead-letters another 4xx with the answer kept, pauses on 410 and says so in /healthz, and never logs the secret', async () => {
    const [a, b] = queue('ALPHA', 'BETA');
    answers.push({ status: 422, body: '{"error":"unknown list SDN"}' });
    const d = new Dispatcher(h.db, log, [adapter()]);
    expect(await d.dispatch()).toMatchObject({ sent: 1, dead: 1 });
    expect(delivery(a!)).toMatchObject({
      status: 'dead',
      error: 'webhook cases answered HTTP 422: {"error":"unknown list SDN"}',
    });
    expect(delivery(b!)).toMatchObject({ status: 'sent' });

    const [c] = queue('GAMMA');
    answers.push({ status: 410, body: 'gone' });
    expect(await d.dispatch()).toMatchObject({ paused: 1 });
    expect(delivery(c!)).toMatchObject({ status: 'pending' });
    const health = healthReport([], new Set(), new Map(), [], null, pausedChannels(h.db));
    expect(health).toMatchObject({
      status: 'degraded',
      paused: [
        { channel: 'webhook:cases', reason: expect.stringMatching(/answered HTTP 410: gone/) },
      ],
    });

    // The receiver is back (here: the pause lifted), and answers GAMMA with a redirect.
    answers.push({ status: 302, headers: { location: 'https://elsewhere.example.com/' } });
    h.db.prepare('UPDATE channel_state SET paused_reason = NULL, paused_at = NULL').run();
    await d.dispatch();
    expect(delivery(c!).error).toMatch(
      /answered HTTP 302 \(a redirect: set the final address in SANCTIONS_RADAR_WEBHOOK_CASES_URL\)/,
    );
    expect(lines.join('\n')).not.toContain(SECRET);
    expect(JSON.stringify(h.db.prepare('SELECT * FROM deliveries').all())).not.toContain(SECRET);
  });
});

describe('the receiver the documentation gives, against sanctions-radar poll', () => {
  const feeds = new FeedServer();
  let dir: string;
  beforeAll(async () => {
    await feeds.start();
    dir = mkdtempSync(join(tmpdir(), 'sr-webhook-'));
  });
  afterAll(async () => {
    await feeds.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('verifies every alert of a large update, one per change, and drops none', async () => {
    const readme = allDocs();
    const code = /```js\n(\/\/ webhook-receiver\.mjs[\s\S]*?)```/.exec(readme)![1]!;
    writeFileSync(join(dir, 'webhook-receiver.mjs'), code);
    const receiver = spawn(process.execPath, [join(dir, 'webhook-receiver.mjs')], {
      env: { PATH: process.env.PATH, WEBHOOK_SECRET: SECRET, PORT: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    receiver.stdout.on('data', (d) => (out += d));
    receiver.stderr.on('data', (d) => (err += d));
    try {
      const port = Number((await waitFor(() => /listening on (\d+)/.exec(err) ?? undefined))[1]);
      writeFileSync(
        join(dir, 'sources.json'),
        JSON.stringify({
          sources: [{ id: 'ofac-sdn', kind: 'ofac-csv', url: feeds.url('/sdn.csv') }],
        }),
      );
      const env = cleanEnv({
        SANCTIONS_RADAR_DB: join(dir, 'radar.db'),
        SANCTIONS_RADAR_SOURCES: join(dir, 'sources.json'),
        SANCTIONS_RADAR_ALERT_CHANNELS: 'webhook:case-system',
        SANCTIONS_RADAR_WEBHOOK_CASE_SYSTEM_URL: `http://127.0.0.1:${port}/hook`,
        SANCTIONS_RADAR_WEBHOOK_CASE_SYSTEM_SECRET: SECRET,
        SANCTIONS_RADAR_MAX_LIST_ALERTS: '3',
        LOG_LEVEL: 'debug',
      });
      // A user subscribes the webhook to a company too, from the command line.
      expect(
        (await runCli(['subscribe', 'Khalil Azzam', '--channel', 'webhook:case-system'], env)).code,
      ).toBe(0);
      feeds.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
      expect((await runCli(['poll'], env)).code).toBe(0);
      feeds.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-12_trimmed.csv') });
      const run = await runCli(['poll'], env);
      expect(run.code).toBe(0);
      expect(run.stderr + run.stdout).not.toContain(SECRET);
      await waitFor(() => out.trim().split('\n').length >= 7 || undefined);
      const got = out
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as { type: string; entity: { name: string } });
      // Seven changes above a limit of three: a webhook gets each, not a changeset.
      expect(got.map((g) => g.type).filter((t) => t === 'designation.changeset')).toEqual([]);
      expect(got.map((g) => g.entity.name).sort()).toEqual([
        "'AZZAM, Khalil Muhammad",
        'ABU SHANAB, William',
        "AL-KAHLUT, Hudhayfa Samir 'Abdallah",
        "FARHAT, Bara'a Hasan",
        'INTEGRAL INZENJERING A.D. LAKTASI',
        'PERETYATKO, Ruslan Aleksandrovich',
        'STANKOVIC, Slobodan',
      ]);
    } finally {
      receiver.kill();
    }
  });
});
