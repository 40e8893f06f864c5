import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BodyDigest, forgetBody, keepBody, type BodyParts } from '../src/fetch/body-digest.js';
import { openDb } from '../db/database.js';
import type { SourceConfig } from '../src/domain.js';
import { fetchBody } from '../src/fetch/fetch-body.js';
import { fetchSource } from '../src/poll/fetch-source.js';
import { FeedServer } from './helpers/feed-server.js';
import { fixture } from './helpers/fixtures.js';

// Two real consecutive publications of the SDN file (tests/fixtures/PROVENANCE.md).
const april4 = fixture('ofac/sdn_2024-04-04_trimmed.csv');
const april12 = fixture('ofac/sdn_2024-04-12_trimmed.csv');
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** Seeded, so a failure names the chunking that caused it. */
function chunked(body: Buffer, seed: number, maxChunk = 5000): Buffer[] {
  let s = seed;
  const next = () => ((s = (s * 1103515245 + 12345) >>> 0) % maxChunk) + 1;
  const out: Buffer[] = [];
  for (let at = 0; at < body.length;) {
    const n = Math.min(next(), body.length - at);
    out.push(body.subarray(at, at + n));
    at += n;
  }
  return out;
}

const parts = (chunks: Buffer[]): BodyParts => ({
  size: chunks.reduce((n, c) => n + c.length, 0),
  parts: () => chunks,
});

function digestOf(url: string | null, chunks: Buffer[]) {
  const d = new BodyDigest(url);
  for (const c of chunks) d.update(c);
  return d.digest();
}

describe('BodyDigest: the sha256 of a body, compared with the kept one while it matches', () => {
  it('hashes a body when nothing is kept', () => {
    expect(digestOf('u:none', chunked(april4, 1))).toEqual({ digest: sha(april4), same: false });
  });

  it('gives the kept digest, without hashing, for the same bytes however they are cut', () => {
    keepBody('u:same', parts(chunked(april4, 2)), sha(april4));
    for (const seed of [3, 4, 5])
      expect(digestOf('u:same', chunked(april4, seed, 1 + seed * 3000))).toEqual({
        digest: sha(april4),
        same: true,
      });
    expect(digestOf('u:same', [april4])).toEqual({ digest: sha(april4), same: true });
    // Asked for no address (a feed's download): hashed, kept body or not.
    const d = new BodyDigest(null);
    d.update(april4);
    expect(d.digest()).toEqual({ digest: sha(april4), same: false });
  });

  it('gives the sha256 of the new bytes when they differ: the next publication, one byte, cut short, grown', () => {
    keepBody('u:diff', parts(chunked(april4, 6)), sha(april4));
    expect(digestOf('u:diff', chunked(april12, 7))).toEqual({ digest: sha(april12), same: false });
    // One byte changed, at the first byte, the last, and at places inside and on chunk edges.
    for (const at of [0, 1, 4999, 5000, 5001, Math.floor(april4.length / 2), april4.length - 1]) {
      const changed = Buffer.from(april4);
      changed[at] = changed[at]! ^ 0x20;
      for (const seed of [8, 9])
        expect(digestOf('u:diff', chunked(changed, seed))).toEqual({
          digest: sha(changed),
          same: false,
        });
    }
    const short = april4.subarray(0, april4.length - 1);
    expect(digestOf('u:diff', chunked(short, 10))).toEqual({ digest: sha(short), same: false });
    expect(digestOf('u:diff', [])).toEqual({ digest: sha(Buffer.alloc(0)), same: false });
    const grown = Buffer.concat([april4, Buffer.from('\n')]);
    expect(digestOf('u:diff', chunked(grown, 11))).toEqual({ digest: sha(grown), same: false });
  });

  it('keeps reading the parts it started with when the kept body is joined meanwhile', () => {
    let chunks = chunked(april4, 12);
    keepBody('u:joined', { size: april4.length, parts: () => chunks }, sha(april4));
    const d = new BodyDigest('u:joined');
    const incoming = chunked(april4, 13);
    d.update(incoming[0]!);
    chunks = [Buffer.concat(chunks)];
    for (const c of incoming.slice(1)) d.update(c);
    expect(d.digest()).toEqual({ digest: sha(april4), same: true });
  });

  it('keeps at most 64 MB, the longest unused going first, and never one body over 16 MB', () => {
    const big = (fill: number, mb: number) => Buffer.alloc(mb * 1024 * 1024, fill);
    const bodies = [1, 2, 3, 4, 5].map((i) => big(i, 15));
    bodies.forEach((b, i) => keepBody(`u:big${i}`, parts([b]), sha(b)));
    // 75 MB offered: the first is gone, the last four stay.
    expect(digestOf('u:big0', [bodies[0]!]).same).toBe(false);
    for (const i of [1, 2, 3, 4]) expect(digestOf(`u:big${i}`, [bodies[i]!]).same).toBe(true);
    const huge = big(9, 17);
    keepBody('u:huge', parts([huge]), sha(huge));
    expect(digestOf('u:huge', [huge]).same).toBe(false);
    for (let i = 0; i < 5; i++) forgetBody(`u:big${i}`);
    expect(digestOf('u:big4', [bodies[4]!]).same).toBe(false);
    // Oldest by use: a body compared since it was kept stays, the one not compared goes.
    [0, 1, 2, 3].forEach((i) => keepBody(`u:used${i}`, parts([bodies[i]!]), sha(bodies[i]!)));
    expect(digestOf('u:used0', [bodies[0]!]).same).toBe(true);
    keepBody('u:used4', parts([bodies[4]!]), sha(bodies[4]!));
    expect([0, 1, 2, 3, 4].map((i) => digestOf(`u:used${i}`, [bodies[i]!]).same)).toEqual([
      true,
      false,
      true,
      true,
      true,
    ]);
    for (let i = 0; i < 5; i++) forgetBody(`u:used${i}`);
  });
});

describe('fetchBody of a file served without validators', () => {
  const server = new FeedServer();
  beforeAll(async () => {
    await server.start();
    server.set('/plain.csv', { kind: 'body', body: april4, etag: false });
  });
  afterAll(() => server.stop());

  it('gives the digest of what it downloaded each time, the same file or the next one', async () => {
    const fetch = async () => {
      const r = await fetchBody(server.url('/plain.csv'), {
        timeoutMs: 2000,
        maxBytes: 10_000_000,
        userAgent: 't',
        keep: true,
      });
      if (r.status !== 'ok') throw new Error(`fetch failed: ${JSON.stringify(r)}`);
      expect(r.etag).toBeNull();
      return { digest: r.digest, body: Buffer.from(r.body) };
    };
    expect((await fetch()).digest).toBe(sha(april4));
    expect(await fetch()).toEqual({ digest: sha(april4), body: april4 });
    server.set('/plain.csv', { kind: 'body', body: april12, etag: false });
    expect(await fetch()).toEqual({ digest: sha(april12), body: april12 });
    const cut = april12.subarray(0, 1000);
    server.set('/plain.csv', { kind: 'body', body: cut, etag: false });
    expect(await fetch()).toEqual({ digest: sha(cut), body: cut });
  });

  it('keeps what a list source downloaded, not what a feed did', async () => {
    server
      .set('/list.csv', { kind: 'body', body: april4, etag: false })
      .set('/feed.xml', { kind: 'body', body: april12, etag: false });
    const { db } = openDb(':memory:');
    const source = (id: string, kind: SourceConfig['kind'], path: string): SourceConfig => ({
      id,
      kind,
      url: server.url(path),
      schedule: '0 * * * *',
      options: {},
    });
    const settings = { timeoutMs: 2000, maxBytes: 10_000_000, userAgent: 't' };
    expect((await fetchSource(db, source('sdn', 'ofac-csv', '/list.csv'), settings)).status).toBe(
      'ok',
    );
    expect((await fetchSource(db, source('court', 'pacer', '/feed.xml'), settings)).status).toBe(
      'ok',
    );
    db.close();
    expect(digestOf(server.url('/list.csv'), [april4])).toEqual({
      digest: sha(april4),
      same: true,
    });
    expect(digestOf(server.url('/feed.xml'), [april12])).toEqual({
      digest: sha(april12),
      same: false,
    });
  });
});
