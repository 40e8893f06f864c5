// OFAC's documented endpoints: the files from /api/download/{file} (a redirect to a signed copy),
// the older export path as a fallback, and the Sanctions List Service's list of publications
// asked first, so a poll every few minutes downloads only when OFAC has published.
import { describe, expect, it } from 'vitest';
import { newestPublication, publicationsUrl } from '../src/sources/ofac-publications.js';
import { fixture } from './helpers/fixtures.js';
import { pollTestbed, source } from './helpers/poll-harness.js';

const enc = (v: unknown) => new TextEncoder().encode(typeof v === 'string' ? v : JSON.stringify(v));
// The shape OFAC's API documentation gives for /changes/history/{year}; the ids and dates are illustrative.
const history = (...pubs: [number, string][]) =>
  JSON.stringify(pubs.map(([publicationID, datePublished]) => ({ publicationID, datePublished })));

describe('the list of OFAC publications', () => {
  it('gives the newest publication as a key; anything else is no answer', () => {
    expect(
      newestPublication(
        enc(
          history(
            [1001, '2026-11-20T10:15:00'],
            [1003, '2026-12-03T16:02:00'],
            [1002, '2026-11-28T09:00:00'],
          ),
        ),
      ),
    ).toBe('1003@2026-12-03T16:02:00');
    expect(newestPublication(enc('[]'))).toBe('none');
    expect(newestPublication(enc('<html>maintenance</html>'))).toBe(null);
    expect(newestPublication(enc('[{"id": 3}]'))).toBe(null);
    expect(
      publicationsUrl(
        'https://sanctionslistservice.ofac.treas.gov/changes/history/{year}',
        new Date('2027-01-01T00:03:00Z'),
      ),
    ).toBe('https://sanctionslistservice.ofac.treas.gov/changes/history/2027');
  });

  const { server, h } = pollTestbed({ fresh: 'test' });
  const year = new Date().getUTCFullYear();
  const sdn = () =>
    source('ofac-sdn', 'ofac-csv', server.url('/api/download/SDN.CSV'), {
      publicationsUrl: server.url('/changes/history/{year}'),
    });
  const downloads = (since: number) =>
    server.requests.slice(since).filter((q) => q.path.includes('SDN.CSV')).length;

  it('downloads the list only when OFAC has published since the last good read', async () => {
    server.set(`/changes/history/${year}`, {
      kind: 'body',
      body: history([1001, `${year}-01-05T10:00:00`]),
      contentType: 'application/json',
    });
    server.set('/api/download/SDN.CSV', { kind: 'redirect', to: '/signed/sdn-1.csv' });
    server.set('/signed/sdn-1.csv', {
      kind: 'body',
      body: fixture('ofac/sdn_2024-04-04_trimmed.csv'),
    });
    let since = server.requests.length;
    expect(await h.poll(sdn())).toMatchObject({ status: 'baseline' });
    expect(downloads(since)).toBe(1);

    // Nothing published: one small question per poll, no download, and the list stays current.
    since = server.requests.length;
    for (let i = 0; i < 3; i++)
      expect(await h.poll(sdn())).toMatchObject({ status: 'not-modified' });
    expect(downloads(since)).toBe(0);
    expect(server.requests.slice(since).map((q) => q.path)).toEqual([
      `/changes/history/${year}`,
      `/changes/history/${year}`,
      `/changes/history/${year}`,
    ]);

    // Published: the files are downloaded once, and the change alerted.
    server.set(`/changes/history/${year}`, {
      kind: 'body',
      body: history([1001, `${year}-01-05T10:00:00`], [1002, `${year}-01-12T15:30:00`]),
      contentType: 'application/json',
    });
    server.set('/api/download/SDN.CSV', { kind: 'redirect', to: '/signed/sdn-2.csv' });
    server.set('/signed/sdn-2.csv', {
      kind: 'body',
      body: fixture('ofac/sdn_2024-04-12_trimmed.csv'),
    });
    since = server.requests.length;
    const r = await h.poll(sdn());
    expect(r.status).toBe('changed');
    expect(r.alerts.filter((a) => a.type === 'designation.added')).toHaveLength(4);
    expect(downloads(since)).toBe(1);
    since = server.requests.length;
    expect(await h.poll(sdn())).toMatchObject({ status: 'not-modified' });
    expect(downloads(since)).toBe(0);
  });

  it('a list of publications that cannot be read does not stop the download; a failed download is asked again whatever OFAC says', async () => {
    server.set(`/changes/history/${year}`, { kind: 'status', status: 503, body: 'down' });
    server.set('/api/download/SDN.CSV', {
      kind: 'body',
      body: fixture('ofac/sdn_2024-04-04_trimmed.csv'),
    });
    expect(await h.poll(sdn())).toMatchObject({ status: 'baseline' });

    server.set(`/changes/history/${year}`, {
      kind: 'body',
      body: history([7, `${year}-02-01T10:00:00`]),
      contentType: 'application/json',
    });
    server.set('/api/download/SDN.CSV', { kind: 'status', status: 500, body: 'error' });
    server.set('/api/PublicationPreview/exports/SDN.CSV', {
      kind: 'status',
      status: 500,
      body: 'error',
    });
    expect(await h.poll(sdn())).toMatchObject({ status: 'failing' });
    // Same publication, but the last read failed: the files are asked again.
    server.set('/api/download/SDN.CSV', {
      kind: 'body',
      body: fixture('ofac/sdn_2024-04-12_trimmed.csv'),
    });
    expect((await h.poll(sdn())).status).toBe('changed');
  });

  it('falls back to the older export path when the download path fails', async () => {
    const plain = () => source('ofac-sdn', 'ofac-csv', server.url('/api/download/SDN.CSV'));
    server.set('/api/download/SDN.CSV', { kind: 'status', status: 404, body: 'not found' });
    server.set('/api/PublicationPreview/exports/SDN.CSV', {
      kind: 'body',
      body: fixture('ofac/sdn_2024-04-04_trimmed.csv'),
    });
    expect(await h.poll(plain())).toMatchObject({ status: 'baseline', records: 123 });
    server.set('/api/PublicationPreview/exports/SDN.CSV', {
      kind: 'status',
      status: 404,
      body: 'not found',
    });
    expect(await h.poll(plain())).toMatchObject({
      status: 'failing',
      error: expect.stringMatching(/404.*and at .*PublicationPreview\/exports\/SDN\.CSV: .*404/),
    });
  });
});
