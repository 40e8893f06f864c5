// CourtListener docket-alert webhooks received by the real daemon on PORT: each delivery handled
// once (Idempotency-Key), entries stored and alerted through the outbox, bad requests refused.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, spawnCli, waitFor } from './helpers/cli.js';
import { FeedServer } from './helpers/feed-server.js';
import { fixture } from './helpers/fixtures.js';

const SECRET = 'cl-webhook-secret-0123456789';

describe('POST /courtlistener/webhook', () => {
  const server = new FeedServer();
  let dir: string;
  beforeAll(async () => {
    await server.start();
    dir = mkdtempSync(join(tmpdir(), 'sr-clhook-'));
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('alerts each new docket entry once, whatever CourtListener retries, and refuses the rest', async () => {
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    const sources = join(dir, 'sources.json');
    writeFileSync(
      sources,
      JSON.stringify({
        sources: [
          { id: 'ofac-sdn', kind: 'ofac-csv', url: server.url('/sdn.csv'), schedule: '0 0 1 1 *' },
        ],
      }),
    );
    const run = spawnCli(
      ['start', '--sources', sources, '--db', join(dir, 'radar.db')],
      cleanEnv({ PORT: '0', COURTLISTENER_WEBHOOK_SECRET: SECRET }),
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
      const url = `http://127.0.0.1:${started.port}/courtlistener/webhook`;
      const body = fixture('courtlistener/docket_alert_webhook_constructed.json');
      const post = (key: string | null, b: Buffer | string = body, secret = SECRET) =>
        fetch(`${url}?secret=${encodeURIComponent(secret)}`, {
          method: 'POST',
          body: typeof b === 'string' ? b : new Uint8Array(b),
          headers: {
            'content-type': 'application/json',
            ...(key ? { 'idempotency-key': key } : {}),
          },
        });

      const first = await post('6f1c7e0a-0001');
      expect(first.status).toBe(200);
      expect(await first.json()).toEqual({ ok: true, duplicate: false, alerts: 1, fresh: 1 });
      // CourtListener retries a delivery with the same key: handled once.
      expect(await (await post('6f1c7e0a-0001')).json()).toEqual({
        ok: true,
        duplicate: true,
        alerts: 0,
        fresh: 0,
      });
      // Another delivery carrying an entry already seen: stored once, no second alert.
      expect(await (await post('6f1c7e0a-0002')).json()).toEqual({
        ok: true,
        duplicate: false,
        alerts: 0,
        fresh: 0,
      });

      expect((await post('k', body, 'wrong-secret-0123456789')).status).toBe(401);
      expect((await post('k', '{"payload":')).status).toBe(400);
      expect((await post('k', '{"payload":{}}')).status).toBe(400);
      expect((await post('k', Buffer.alloc(2 * 1024 * 1024, 0x20))).status).toBe(413);
      expect(
        await (
          await post('k2', JSON.stringify({ payload: { results: [] }, webhook: { event_type: 2 } }))
        ).json(),
      ).toMatchObject({ ignored: 'event type 2' });

      // The dispatcher's beat delivers it to the console, once.
      const lines = await waitFor(() => {
        const l = run
          .stdout()
          .split('\n')
          .filter((x) => x.includes('COURT MSSD'));
        return l.length ? l : undefined;
      });
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /COURT MSSD United States v\. Hinds County — doc 221 https:\/\/www\.courtlistener\.com\/docket\/4302575\/221\/united-states-v-hinds-county\//,
      );
    } finally {
      run.child.kill('SIGTERM');
      await new Promise((resolve) => run.child.on('exit', resolve));
    }
  });

  it('is not served without COURTLISTENER_WEBHOOK_SECRET, and a short secret is refused at start', async () => {
    const sources = join(dir, 'sources2.json');
    writeFileSync(
      sources,
      JSON.stringify({
        sources: [
          { id: 'ofac-sdn', kind: 'ofac-csv', url: server.url('/sdn.csv'), schedule: '0 0 1 1 *' },
        ],
      }),
    );
    const run = spawnCli(
      ['start', '--sources', sources, '--db', join(dir, 'radar2.db')],
      cleanEnv({ PORT: '0' }),
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
      expect(
        (
          await fetch(`http://127.0.0.1:${started.port}/courtlistener/webhook?secret=x`, {
            method: 'POST',
            body: '{}',
          })
        ).status,
      ).toBe(404);
    } finally {
      run.child.kill('SIGTERM');
      await new Promise((resolve) => run.child.on('exit', resolve));
    }
    const bad = spawnCli(
      ['start', '--sources', sources, '--db', join(dir, 'radar3.db')],
      cleanEnv({ PORT: '0', COURTLISTENER_WEBHOOK_SECRET: 'short' }),
    );
    const code = await new Promise((resolve) => bad.child.on('exit', resolve));
    expect(code).toBe(2);
    expect(bad.stderr()).toMatch(/COURTLISTENER_WEBHOOK_SECRET must be at least 16/);
  });
});
