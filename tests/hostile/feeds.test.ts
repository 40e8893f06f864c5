// Feeds that lie, against the real poller and a local server: cut lists, lying Content-Length,
// floods, HTML error pages, credentials in URLs, servers that refuse unknown clients.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countActive } from '../../db/designations.js';
import { getSource } from '../../db/source-state.js';
import { USER_AGENT } from '../../src/fetch/fetch-body.js';
import { redactText, redactUrl } from '../../src/fetch/redact.js';
import { fixture } from '../helpers/fixtures.js';
import { createHarness, pollTestbed, source } from '../helpers/poll-harness.js';

describe('feeds that lie', () => {
  const { server, h } = pollTestbed();

  it('a real SDN.CSV cut at a record boundary fails the poll; no false removal, state kept', async () => {
    const full = fixture('ofac/sdn_2024-04-12_trimmed.csv');
    const cfg = source('ofac-sdn', 'ofac-csv', server.url('/sdn.csv'));
    server.set('/sdn.csv', { kind: 'body', body: full });
    await h.poll(cfg);
    const rows = full
      .toString('latin1')
      .split('\r\n')
      .filter((l) => /^\d/.test(l));
    server.set('/sdn.csv', {
      kind: 'body',
      body: Buffer.from(`${rows.slice(0, rows.length - 3).join('\r\n')}\r\n`, 'latin1'),
    });
    const r = await h.poll(cfg);
    expect(r).toMatchObject({
      status: 'failing',
      removed: 0,
      error: expect.stringMatching(/lacks the end-of-file mark/),
    });
    expect(r.alerts.map((a) => a.type)).toEqual(['source.health']);
    expect(countActive(h.db, 'ofac-sdn')).toBe(rows.length);
  });

  it('a real CSL CSV cut exactly between two rows is held, not read as removals; the full file clears it', async () => {
    const full = fixture('csl/consolidated_2023-11_excerpt.csv').toString('utf8');
    const cfg = source('csl', 'csl', server.url('/csl.csv'));
    server.set('/csl.csv', { kind: 'body', body: full });
    await h.poll(cfg);
    const before = countActive(h.db, 'csl');
    // Rows are one line each in this file (every field quoted, no newlines inside): drop the last 2.
    const lines = full.split('\n').filter(Boolean);
    const cut = `${lines.slice(0, -2).join('\n')}\n`;
    server.set('/csl.csv', { kind: 'body', body: cut });
    const r = await h.poll(cfg);
    expect(r).toMatchObject({
      status: 'held',
      removed: 0,
      error: expect.stringMatching(
        /ends on a row that the last version followed with 2 more.*cut between two rows/,
      ),
    });
    expect(r.alerts.map((a) => a.type)).toEqual(['source.health']);
    expect(countActive(h.db, 'csl')).toBe(before);
    server.set('/csl.csv', { kind: 'body', body: full });
    const back = await h.poll(cfg);
    // The server's ETag is the one stored from the last good poll: nothing to download again.
    expect(back).toMatchObject({ status: 'not-modified', added: 0, removed: 0 });
    expect(back.alerts.map((a) => a.type)).toEqual(['source.health']);
  });

  it('a team CSV without a final newline, cut between rows, is held; a real edit in the middle still alerts at once', async () => {
    const cfg = source('team', 'csv', server.url('/team.csv'), {
      list: 'Team',
      columns: { name: 'Company' },
    });
    const names = [
      'Alpha Trading LLC',
      'Bravo Shipping Ltd',
      'Charlie Metals',
      'Delta Petroleum',
      'Echo Logistics',
      'Foxtrot Aviation',
      'Golf Chemicals',
      'Hotel Finance',
      'India Components',
      'Juliet Marine',
      'Kilo Systems',
      'Lima Electronics',
    ];
    const file = (rows: string[]) => ['Company', ...rows].join('\n');
    server.set('/team.csv', { kind: 'body', body: file(names) });
    await h.poll(cfg);
    server.set('/team.csv', { kind: 'body', body: file(names.slice(0, -1)) });
    expect(await h.poll(cfg)).toMatchObject({ status: 'held', removed: 0 });
    server.set('/team.csv', {
      kind: 'body',
      body: file([...names.slice(0, 2), ...names.slice(3)]),
    });
    const edit = await h.poll(cfg);
    expect(edit).toMatchObject({ status: 'changed', removed: 1 });
    expect(edit.alerts.find((a) => a.type === 'designation.removed')).toMatchObject({
      record: { name: 'Charlie Metals' },
    });
  });

  it('an HTML error page without a doctype is reported as an HTML page', async () => {
    const cfg = source('court', 'pacer', server.url('/court.xml'));
    server.set('/court.xml', {
      kind: 'body',
      body: '<head><title>503 Service Unavailable</title></head><body><h1>Down for maintenance</h1></body>',
      contentType: 'text/html',
    });
    expect(await h.poll(cfg)).toMatchObject({
      status: 'failing',
      error: expect.stringMatching(/is an HTML page/),
    });
    server.set('/court.xml', {
      kind: 'body',
      body: '<!-- generated --><html><body>x</body></html>',
      contentType: 'text/html',
    });
    const again = source('court2', 'rss', server.url('/court.xml'));
    expect(await h.poll(again)).toMatchObject({
      status: 'failing',
      error: expect.stringMatching(/is an HTML page/),
    });
  });

  it('a feed flood is capped: entries taken and alerts raised per poll, with one health alert saying how many', async () => {
    const cfg = source('flood', 'rss', server.url('/flood.xml'), { maxItems: 1000, maxAlerts: 50 });
    const feed = (n: number, from = 0) =>
      `<?xml version="1.0"?><rss version="2.0"><channel><title>flood</title>${Array.from({ length: n }, (_, i) => `<item><title>Entry ${from + i}</title><guid>g${from + i}</guid></item>`).join('')}</channel></rss>`;
    server.set('/flood.xml', { kind: 'body', body: feed(10) });
    await h.poll(cfg);
    server.set('/flood.xml', { kind: 'body', body: feed(20_000, 100) });
    const r = await h.poll(cfg);
    const health = r.alerts.filter((a) => a.type === 'source.health');
    expect(r.alerts.filter((a) => a.type === 'feed.item')).toHaveLength(50);
    expect(health).toHaveLength(1);
    expect(health[0]).toMatchObject({
      status: 'capped',
      reason: expect.stringMatching(
        /19000 of its 20000 entries were skipped \(at most 1000 a poll\); 950 new entries were stored without an alert \(at most 50 alerts a poll\)/,
      ),
    });
    expect(
      h.db.prepare('SELECT count(*) FROM feed_items WHERE source_id = ?').pluck().get('flood'),
    ).toBe(1010);
  });

  it('credentials in a source URL never reach the error, /healthz or an alert', async () => {
    const cfg = source(
      'secret',
      'csv',
      `http://scott:tiger@127.0.0.1:${server.port}/missing.csv?key=abc123&list=x`,
      { list: 'Team', columns: { name: 'Company' } },
    );
    const r = await h.poll(cfg);
    expect(r.status).toBe('failing');
    const said = JSON.stringify([r.error, r.alerts, getSource(h.db, 'secret')]);
    expect(said).not.toMatch(/tiger|abc123|scott/);
    expect(said).toMatch(/\*\*\*:\*\*\*@127\.0\.0\.1/);
    // Sent as HTTP basic auth, as the URL asks (a feed behind a password), and only there.
    expect(server.hits('/missing.csv?key=abc123&list=x')[0]!.headers.authorization).toBe(
      `Basic ${Buffer.from('scott:tiger').toString('base64')}`,
    );
    expect(redactUrl('https://u:p@h.example/x.csv?subscription-key=s3cr3t&token=t0k&page=2')).toBe(
      'https://***:***@h.example/x.csv?subscription-key=***&token=***&page=2',
    );
    expect(redactText('failed (https://h.example/a?apikey=zzz)')).toBe(
      'failed (https://h.example/a?apikey=***)',
    );
  });

  it('the default User-Agent passes the firewall rule OFAC uses; a 403 says how to change it; a source may set its own', async () => {
    expect(USER_AGENT).toMatch(/^Mozilla\/\d/);
    expect(USER_AGENT.length).toBeGreaterThanOrEqual(40);
    expect(USER_AGENT).toMatch(/sanctions-radar/);
    server.set('/waf.csv', { kind: 'status', status: 403, body: 'Forbidden' });
    const r = await h.poll(source('waf', 'ofac-csv', server.url('/waf.csv')));
    expect(r.error).toMatch(/HTTP 403 .*SANCTIONS_RADAR_USER_AGENT/);
    server.set('/ua.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    await h.poll(
      source('ua', 'ofac-csv', server.url('/ua.csv'), {
        userAgent: 'Mozilla/5.0 (X11; Linux x86_64) team-radar/1.0 compliance@example.org',
      }),
    );
    expect(server.hits('/ua.csv')[0]!.headers['user-agent']).toBe(
      'Mozilla/5.0 (X11; Linux x86_64) team-radar/1.0 compliance@example.org',
    );
  });
});

describe('a body whose Content-Length is a lie', () => {
  let liar: Server;
  let closedAt = 0;
  beforeAll(async () => {
    liar = createServer((req, res) => {
      res.on('close', () => (closedAt = Date.now()));
      res.writeHead(200, { 'content-length': '2000000000', 'content-type': 'text/csv' });
      res.write('1,"A",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n');
      // ...and never sends the rest.
    });
    await new Promise<void>((r) => liar.listen(0, '127.0.0.1', r));
  });
  afterAll(
    () =>
      new Promise<void>((r) => {
        liar.closeAllConnections();
        liar.close(() => r());
      }),
  );

  it('ends the poll at once and closes the connection, instead of holding it open', async () => {
    const h = createHarness({
      fetch: { timeoutMs: 20_000, maxBytes: 10 * 1024 * 1024, userAgent: 't' },
    });
    try {
      const started = Date.now();
      const r = await h.poll(
        source(
          'liar',
          'ofac-csv',
          `http://127.0.0.1:${(liar.address() as AddressInfo).port}/sdn.csv`,
        ),
      );
      expect(r).toMatchObject({
        status: 'failing',
        error: expect.stringMatching(/2000000000 bytes, over the 10485760-byte limit/),
      });
      await new Promise((res) => setTimeout(res, 200));
      expect(closedAt).toBeGreaterThan(0);
      expect(closedAt - started).toBeLessThan(2000);
    } finally {
      h.close();
    }
  });
});
