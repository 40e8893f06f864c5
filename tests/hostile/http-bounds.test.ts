// The daemon's HTTP port under floods: a CourtListener webhook of 10,000 entries is capped like a
// polled feed (one `capped` alert, not 10,000), and no route reads a huge body before answering:
// an unknown path, a wrong secret or a body over the bound closes the connection early.
import { connect } from 'node:net';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courtListenerWebhook, WEBHOOK_PATH } from '../../src/http/courtlistener-webhook.js';
import { HttpServer } from '../../src/http/server.js';
import { createLogger } from '../../src/log.js';
import { fixture } from '../helpers/fixtures.js';
import { createHarness, type Harness } from '../helpers/poll-harness.js';

const SECRET = 'cl-webhook-secret-0123456789';

/** Sends a request whose body is `size` bytes, as fast as the server reads; what came back and how much it took. */
function flood(
  port: number,
  path: string,
  size: number,
): Promise<{ status: number; sentBytes: number }> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let sent = 0;
    let answer = '';
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    const finish = () =>
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? 0), sentBytes: sent });
    // Done when the server closes, or has answered a body it took whole (the connection may live on).
    socket.on('data', (d) => {
      answer += d.toString();
      if (sent >= size && answer.includes('\r\n\r\n')) socket.destroy();
    });
    socket.on('close', finish);
    socket.on('error', () => undefined);
    socket.write(
      `POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`,
    );
    const pump = () => {
      while (sent < size && !socket.destroyed) {
        sent += chunk.length;
        if (!socket.write(chunk)) return void socket.once('drain', pump);
      }
      if (answer.includes('\r\n\r\n')) socket.destroy();
    };
    pump();
  });
}

describe('the HTTP port under floods', () => {
  const http = new HttpServer();
  let h: Harness;
  let port = 0;
  const logged: Record<string, unknown>[] = [];
  beforeAll(async () => {
    h = createHarness();
    const sink = new Writable({ write: (c, _e, cb) => (logged.push(JSON.parse(String(c))), cb()) });
    http.route(
      'POST',
      WEBHOOK_PATH,
      courtListenerWebhook({
        db: h.db,
        log: createLogger('info', sink),
        secret: SECRET,
        defaultChannels: ['console:default'],
        caps: { maxItems: 5000, maxAlerts: 200 },
      }),
    );
    port = await http.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await http.close();
    h.close();
  });

  it('a webhook of 10,000 entries (569 KB) makes at most the feed caps of alerts, and one capped health alert', async () => {
    // The fixture's entry, cut to what makes an entry (its id): 10,000 of them.
    const entry = JSON.parse(
      fixture('courtlistener/docket_alert_webhook_constructed.json').toString('utf8'),
    ).payload.results[0];
    const results = Array.from({ length: 10_000 }, (_, i) => ({
      id: entry.id + i,
      entry_number: i,
      description: 'x',
    }));
    const body = JSON.stringify({ payload: { results }, webhook: { event_type: 1 } });
    expect(body.length).toBeLessThan(1024 * 1024);
    const res = await fetch(`http://127.0.0.1:${port}${WEBHOOK_PATH}?secret=${SECRET}`, {
      method: 'POST',
      body,
      headers: { 'content-type': 'application/json', 'idempotency-key': 'flood-1' },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ ok: true, fresh: 5000, alerts: 201 });
    expect(h.db.prepare("SELECT count(*) FROM alerts WHERE type = 'feed.item'").pluck().get()).toBe(
      200,
    );
    const capped = h.db
      .prepare("SELECT payload FROM alerts WHERE type = 'source.health'")
      .pluck()
      .all() as string[];
    expect(capped).toHaveLength(1);
    expect(JSON.parse(capped[0]!)).toMatchObject({
      status: 'capped',
      reason: expect.stringMatching(
        /5000 of its 10000 entries were skipped \(at most 5000 a poll\); 4800 new entries were stored without an alert/,
      ),
    });
    expect(h.db.prepare('SELECT count(*) FROM deliveries').pluck().get()).toBe(201);
  });

  it('does not read a 200 MB body to answer an unknown path, a wrong secret or a body over the bound', async () => {
    const wrong = `${WEBHOOK_PATH}?secret=wrong-secret-0123456789`;
    const right = `${WEBHOOK_PATH}?secret=${SECRET}`;
    const MB = 1024 * 1024;
    for (const [path, size, status] of [
      ['/nowhere', 200 * MB, 404],
      [wrong, 5 * MB, 401],
      [wrong, 200 * MB, 413],
      [right, 5 * MB, 413],
      [right, 200 * MB, 413],
    ] as const) {
      const r = await flood(port, path, size);
      expect(r.status, `${path} ${size}`).toBe(status);
      // What the kernel buffers on loopback (a few MB) is sent before the close is seen.
      if (size > 32 * MB) expect(r.sentBytes, `${path} ${size}`).toBeLessThan(32 * MB);
    }
    // The refusal is logged, without the secret tried.
    const refusal = logged.find((l) => String(l.msg).startsWith('refused a CourtListener webhook'));
    expect(refusal).toMatchObject({ secretGiven: true });
    expect(JSON.stringify(logged)).not.toContain('wrong-secret-0123456789');
  });
});
