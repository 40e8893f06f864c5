import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchBody, type FetchOptions } from '../src/fetch/fetch-body.js';
import { FeedServer } from './helpers/feed-server.js';
import { fixture } from './helpers/fixtures.js';

const opts: FetchOptions = { timeoutMs: 500, maxBytes: 100_000, userAgent: 'sanctions-radar-test/1' };

describe('fetchBody against a local HTTP server', () => {
  const server = new FeedServer();
  const sdn = fixture('ofac/sdn_2024-04-04_trimmed.csv');
  beforeAll(async () => {
    await server.start();
    server
      .set('/sdn.csv', { kind: 'body', body: sdn, lastModified: 'Fri, 12 Apr 2024 14:00:00 GMT' })
      .set('/gz.csv', { kind: 'body', body: sdn, gzip: true })
      .set('/moved', { kind: 'redirect', to: '/sdn.csv' })
      .set('/down', { kind: 'status', status: 503, body: 'maintenance', headers: { 'retry-after': '120' } })
      .set('/slow', { kind: 'hang' })
      .set('/cut', { kind: 'truncate', body: sdn, after: 4000 })
      .set('/big', { kind: 'body', body: Buffer.alloc(200_000, 65) });
  });
  afterAll(() => server.stop());

  it('sends a clear User-Agent and keeps the validators', async () => {
    const r = await fetchBody(server.url('/sdn.csv'), opts);
    expect(r.status).toBe('ok');
    if (r.status !== 'ok') return;
    expect(Buffer.from(r.body).equals(sdn)).toBe(true);
    expect(r.etag).toMatch(/^"/);
    expect(r.lastModified).toBe('Fri, 12 Apr 2024 14:00:00 GMT');
    expect(server.hits('/sdn.csv').at(-1)!.headers['user-agent']).toBe('sanctions-radar-test/1');
  });

  it('asks conditionally and takes 304 as nothing to do', async () => {
    const first = await fetchBody(server.url('/sdn.csv'), opts);
    if (first.status !== 'ok') throw new Error('first fetch failed');
    expect(await fetchBody(server.url('/sdn.csv'), { ...opts, etag: first.etag })).toEqual({ status: 'not-modified' });
    expect(await fetchBody(server.url('/sdn.csv'), { ...opts, lastModified: first.lastModified })).toEqual({ status: 'not-modified' });
    expect(server.hits('/sdn.csv').at(-2)!.headers['if-none-match']).toBe(first.etag);
  });

  it('decompresses gzip', async () => {
    const r = await fetchBody(server.url('/gz.csv'), opts);
    expect(r.status === 'ok' && Buffer.from(r.body).equals(sdn)).toBe(true);
  });

  it('follows redirects', async () => {
    const r = await fetchBody(server.url('/moved'), opts);
    expect(r.status === 'ok' && r.body.length).toBe(sdn.length);
  });

  it('reports an HTTP error with its status and Retry-After', async () => {
    const r = await fetchBody(server.url('/down'), opts);
    expect(r).toEqual({ status: 'error', reason: expect.stringMatching(/HTTP 503 Service Unavailable \(Retry-After: 120\)/) });
  });

  it('gives up on a server that never answers', async () => {
    const r = await fetchBody(server.url('/slow'), opts);
    expect(r.status === 'error' && r.reason).toMatch(/timeout/);
  });

  it('reports a body cut off before its Content-Length', async () => {
    const r = await fetchBody(server.url('/cut'), opts);
    expect(r.status).toBe('error');
  });

  it('refuses a body over the size cap', async () => {
    const r = await fetchBody(server.url('/big'), opts);
    expect(r.status === 'error' && r.reason).toMatch(/100000-byte limit/);
  });

  it('reports a refused connection', async () => {
    const gone = await new FeedServer().start();
    const url = gone.url('/sdn.csv');
    await gone.stop();
    const r = await fetchBody(url, opts);
    expect(r.status === 'error' && r.reason).toMatch(/ECONNREFUSED/);
  });
});
