import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fetchBody, type FetchOptions } from '../src/fetch/fetch-body.js';
import { FeedServer } from './helpers/feed-server.js';
import { fixture } from './helpers/fixtures.js';
import { closeServer, listenLocal } from './helpers/listen.js';
import { waitFor } from './helpers/wait.js';

const opts: FetchOptions = {
  timeoutMs: 500,
  maxBytes: 100_000,
  userAgent: 'sanctions-radar-test/1',
  retryDelayMs: 5,
};

describe('fetchBody against a local HTTP server', () => {
  const server = new FeedServer();
  const sdn = fixture('ofac/sdn_2024-04-04_trimmed.csv');
  beforeAll(async () => {
    await server.start();
    server
      .set('/sdn.csv', { kind: 'body', body: sdn, lastModified: 'Fri, 12 Apr 2024 14:00:00 GMT' })
      .set('/gz.csv', { kind: 'body', body: sdn, gzip: true })
      .set('/moved', { kind: 'redirect', to: '/sdn.csv' })
      .set('/down', {
        kind: 'status',
        status: 503,
        body: 'maintenance',
        headers: { 'retry-after': '120' },
      })
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
    // The body's sha256, taken as it arrived, is what the poll compares.
    expect(r.digest).toBe(createHash('sha256').update(sdn).digest('hex'));
    expect(r.lastModified).toBe('Fri, 12 Apr 2024 14:00:00 GMT');
    expect(server.hits('/sdn.csv').at(-1)!.headers['user-agent']).toBe('sanctions-radar-test/1');
  });

  it('asks conditionally and takes 304 as nothing to do', async () => {
    const first = await fetchBody(server.url('/sdn.csv'), opts);
    if (first.status !== 'ok') throw new Error('first fetch failed');
    expect(await fetchBody(server.url('/sdn.csv'), { ...opts, etag: first.etag })).toEqual({
      status: 'not-modified',
    });
    expect(
      await fetchBody(server.url('/sdn.csv'), { ...opts, lastModified: first.lastModified }),
    ).toEqual({ status: 'not-modified' });
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
    expect(r).toEqual({
      status: 'error',
      reason: expect.stringMatching(/HTTP 503 Service Unavailable \(Retry-After: 120\)/),
    });
  });

  it('gives up on a server that never answers', async () => {
    const r = await fetchBody(server.url('/slow'), opts);
    expect(r.status === 'error' && r.reason).toMatch(/timeout/);
  });

  it('reports a body cut off before its Content-Length, after trying it three times', async () => {
    const before = server.hits('/cut').length;
    const r = await fetchBody(server.url('/cut'), opts);
    expect(r).toEqual({
      status: 'error',
      reason: expect.stringMatching(/closed the connection mid-response .*\(3 tries\)$/),
    });
    expect(server.hits('/cut').length - before).toBe(3);
  });

  it('tries again what passes (a reset, a 502, a 429 with a short Retry-After), and not what will not', async () => {
    server.set('/flaky', {
      kind: 'sequence',
      steps: [{ kind: 'reset' }, { kind: 'status', status: 502 }, { kind: 'body', body: sdn }],
    });
    const r = await fetchBody(server.url('/flaky'), opts);
    expect(r.status === 'ok' && Buffer.from(r.body).equals(sdn)).toBe(true);
    expect(server.hits('/flaky')).toHaveLength(3);

    server.set('/busy', {
      kind: 'sequence',
      steps: [
        { kind: 'status', status: 429, headers: { 'retry-after': '0' } },
        { kind: 'body', body: sdn },
      ],
    });
    expect((await fetchBody(server.url('/busy'), opts)).status).toBe('ok');

    // A long Retry-After, a 404, a 403: asked once, reported at once.
    for (const [path, b] of [
      ['/down', null],
      ['/missing', { kind: 'status', status: 404 }],
      ['/forbidden', { kind: 'status', status: 403 }],
    ] as const) {
      if (b) server.set(path, b);
      const before = server.hits(path).length;
      const once = await fetchBody(server.url(path), opts);
      expect(once.status === 'error' && once.reason, path).not.toMatch(/tries\)$/);
      expect(server.hits(path).length - before, path).toBe(1);
    }
    // Retries 0: one request only.
    const before = server.hits('/cut').length;
    await fetchBody(server.url('/cut'), { ...opts, retries: 0 });
    expect(server.hits('/cut').length - before).toBe(1);
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

describe('fetchBody and what servers actually send', () => {
  const sdn = fixture('ofac/sdn_2024-04-04_trimmed.csv');
  let server: Server;
  let base = '';
  let stallClosed = false;
  const routes: Record<string, (res: import('node:http').ServerResponse) => void> = {
    '/br': (res) => res.writeHead(200, { 'content-encoding': 'br' }).end(brotliCompressSync(sdn)),
    '/deflate': (res) =>
      res.writeHead(200, { 'content-encoding': 'deflate' }).end(deflateSync(sdn)),
    // Some servers send raw deflate under the same name.
    '/deflate-raw': (res) =>
      res.writeHead(200, { 'content-encoding': 'deflate' }).end(deflateRawSync(sdn)),
    '/empty-deflate': (res) =>
      res.writeHead(200, { 'content-encoding': 'deflate', 'content-length': '0' }).end(),
    // 40 KB on the wire, 20 MB unpacked: the cap counts what it unpacks to.
    '/bomb': (res) =>
      res
        .writeHead(200, { 'content-encoding': 'gzip' })
        .end(gzipSync(Buffer.alloc(20_000_000, 48))),
    '/corrupt': (res) =>
      res
        .writeHead(200, { 'content-encoding': 'gzip' })
        .end(Buffer.concat([gzipSync(sdn).subarray(0, 500), Buffer.alloc(500, 7)])),
    '/zstd': (res) => res.writeHead(200, { 'content-encoding': 'zstd' }).end('x'),
    // Never finishes: only the client's deadline ends it, by closing the connection.
    '/stall': (res) => {
      res.on('close', () => (stallClosed = true));
      res.writeHead(200, { 'content-length': String(sdn.length) });
      res.write(sdn.subarray(0, 1000));
    },
    '/loop': (res) => res.writeHead(302, { location: '/loop' }).end(),
    '/ftp': (res) => res.writeHead(301, { location: 'ftp://127.0.0.1/x.csv' }).end(),
    '/bad-request': (res) =>
      res
        .writeHead(400, { 'content-type': 'application/json' })
        .end(JSON.stringify({ errors: { conditions: ['agencies is not a valid field'] } })),
    '/chunked': (res) => {
      res.writeHead(200, { 'content-type': 'text/csv' });
      for (let i = 0; i < sdn.length; i += 1000) res.write(sdn.subarray(i, i + 1000));
      res.end();
    },
  };
  beforeAll(async () => {
    server = createServer((req, res) =>
      (routes[req.url ?? ''] ?? ((r) => r.writeHead(404).end()))(res),
    );
    base = `http://127.0.0.1:${await listenLocal(server)}`;
  });
  afterAll(() => closeServer(server));
  const body = async (path: string, o: Partial<FetchOptions> = {}) => {
    const r = await fetchBody(`${base}${path}`, { ...opts, ...o });
    return r.status === 'ok' ? Buffer.from(r.body) : r;
  };
  const same = (b: Awaited<ReturnType<typeof body>>) => Buffer.isBuffer(b) && b.equals(sdn);

  it('decodes brotli and both forms of deflate; an empty deflate body is empty', async () => {
    expect(same(await body('/br'))).toBe(true);
    expect(same(await body('/deflate'))).toBe(true);
    expect(same(await body('/deflate-raw'))).toBe(true);
    expect(await body('/empty-deflate')).toEqual(Buffer.alloc(0));
  });

  it('reads a chunked body without a length, hashing what it read', async () => {
    const r = await fetchBody(`${base}/chunked`, opts);
    expect(r.status === 'ok' && Buffer.from(r.body).equals(sdn)).toBe(true);
    expect(r.status === 'ok' && r.digest).toBe(createHash('sha256').update(sdn).digest('hex'));
  });

  it('caps what a compressed body unpacks to, not what it weighs on the wire', async () => {
    expect(await body('/bomb', { maxBytes: 1_000_000 })).toEqual({
      status: 'error',
      reason: expect.stringMatching(/grew past the 1000000-byte limit/),
    });
  });

  it('reports a corrupt compressed body and an encoding it did not ask for', async () => {
    expect(await body('/corrupt')).toEqual({
      status: 'error',
      reason: expect.stringMatching(/compressed body is corrupt/),
    });
    expect(await body('/zstd')).toEqual({
      status: 'error',
      reason: expect.stringMatching(/encoding this client did not ask for \(zstd\)/),
    });
  });

  it('gives up on a body that stops halfway, at the deadline, and closes the connection', async () => {
    expect(await body('/stall')).toEqual({
      status: 'error',
      reason: expect.stringMatching(/no complete answer within 500 ms \(timeout\)/),
    });
    await waitFor(() => stallClosed);
    expect(stallClosed).toBe(true);
  });

  it('stops at a redirect loop and at a redirect away from http(s)', async () => {
    expect(await body('/loop')).toEqual({
      status: 'error',
      reason: expect.stringMatching(/more than 10 redirects/),
    });
    expect(await body('/ftp')).toEqual({
      status: 'error',
      reason: expect.stringMatching(/cannot fetch a ftp: address/),
    });
  });

  it("keeps an API's JSON reason for refusing the request", async () => {
    expect(await body('/bad-request')).toEqual({
      status: 'error',
      reason: expect.stringMatching(
        /HTTP 400 Bad Request from .*: \{"errors":\{"conditions":\["agencies is not a valid field"\]\}\}/,
      ),
    });
  });
});

describe('fetchBody over HTTPS', () => {
  const sdn = fixture('ofac/sdn_2024-04-04_trimmed.csv');
  let server: import('node:https').Server;
  let url = '';
  beforeAll(async () => {
    server = createTlsServer(
      { cert: fixture('tls/cert.pem'), key: fixture('tls/key.pem') },
      (req, res) => {
        res.writeHead(200, { 'content-encoding': 'gzip', etag: '"tls-1"' }).end(gzipSync(sdn));
      },
    );
    url = `https://127.0.0.1:${await listenLocal(server as unknown as Server)}/sdn.csv`;
  });
  afterAll(() => closeServer(server as unknown as Server));

  it('verifies the certificate: a self-signed one is refused, and says so', async () => {
    expect(await fetchBody(url, opts)).toEqual({
      status: 'error',
      reason: expect.stringMatching(
        /TLS certificate is self-signed \(DEPTH_ZERO_SELF_SIGNED_CERT\)/,
      ),
    });
  });

  it('fetches and decodes the body once the certificate is trusted', () => {
    // Trust is set when Node starts (NODE_EXTRA_CA_CERTS), as an operator behind a private CA would.
    const script = `import { fetchBody } from ${JSON.stringify(fileURLToPath(new URL('../src/fetch/fetch-body.ts', import.meta.url)))};
      const r = await fetchBody(${JSON.stringify(url)}, { timeoutMs: 5000, maxBytes: 1e6, userAgent: 't' });
      console.log(JSON.stringify(r.status === 'ok' ? { status: r.status, bytes: r.body.length, etag: r.etag, digest: r.digest } : r));`;
    // The server answers in this process: the child must not block it, so it runs async.
    return new Promise<void>((resolve, reject) => {
      const cert = fileURLToPath(new URL('./fixtures/tls/cert.pem', import.meta.url));
      const child = spawn(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        {
          env: { ...process.env, NODE_EXTRA_CA_CERTS: cert },
          stdio: ['ignore', 'pipe', 'inherit'],
        },
      );
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d));
      child.on('error', reject);
      child.on('exit', () => {
        try {
          expect(JSON.parse(out)).toEqual({
            status: 'ok',
            bytes: sdn.length,
            etag: '"tls-1"',
            digest: createHash('sha256').update(sdn).digest('hex'),
          });
          resolve();
        } catch (err) {
          reject(err);
        }
      });
    });
  });
});
