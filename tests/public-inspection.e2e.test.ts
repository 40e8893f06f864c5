// Early warning: a Federal Register document on the public inspection desk alerts its followers
// the day before it publishes; the published document is then the same news, stored as its
// follow-up and not alerted again. Real poller, real SQLite, a local server speaking the API.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../src/domain.js';
import { alertJson, formatAlertText } from '../src/alerts/format-text.js';
import { runCommand } from '../src/commands/run.js';
import { NameMatcher } from '../src/names/matcher.js';
import { federalRegisterUrl } from '../src/sources/federal-register.js';
import { dod1260hSearchUrl } from '../src/sources/federal-register-query.js';
import { parsePublicInspection } from '../src/sources/public-inspection.js';
import { fixture } from './helpers/fixtures.js';
import { pollTestbed, source } from './helpers/poll-harness.js';

const feedAlerts = (alerts: Alert[]) =>
  alerts.filter((a): a is Extract<Alert, { type: 'feed.item' }> => a.type === 'feed.item');
const desk = () =>
  JSON.parse(
    fixture('federal_register/public_inspection_current_shaped.json').toString('utf8'),
  ) as { count: number; results: Record<string, unknown>[] };
const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

describe('the public inspection desk (federal-register-inspection)', () => {
  it('reads every document of the desk with the date it publishes, and what it is about; `agencies` narrows it', () => {
    const answer = desk();
    // An illustrative second document of the day, about nothing the bot tracks.
    answer.results.push({
      ...answer.results[0],
      document_number: '2026-99999',
      title: 'Privacy Act of 1974; System of Records',
    });
    const s = parsePublicInspection(enc(answer));
    if (s.kind !== 'feed') throw new Error('feed');
    expect(s.items.map((i) => [i.guid, i.label])).toEqual([
      ['2026-11571', 'DoD 1260H designations'],
      ['2026-99999', null],
    ]);
    expect(s.items[0]).toMatchObject({
      publicInspection: { publishesOn: '2026-06-10' },
      citation: null,
      agencies: ['Defense Department'],
      documentUrl: 'https://public-inspection.federalregister.gov/2026-11571.pdf',
    });
    const dhs = parsePublicInspection(
      enc(answer),
      {},
      { agencies: ['homeland-security-department'] },
    );
    expect(dhs.kind === 'feed' && dhs.items).toEqual([]);
    // An empty desk (a weekend) is an empty feed, not a failure.
    expect(parsePublicInspection(enc({ count: 0, results: [] }))).toMatchObject({
      kind: 'feed',
      items: [],
    });
  });

  const { server, h } = pollTestbed({ fresh: 'test', deps: { defaultChannels: ['console:ops'] } });
  const inspection = () =>
    source(
      'fr-inspection',
      'federal-register-inspection',
      server.url('/api/v1/public-inspection-documents/current.json'),
      {},
      { label: 'Federal Register: public inspection' },
    );
  /** A desk holding an illustrative unrelated DoD document, and the given ones. */
  const deskWith = (...docs: Record<string, unknown>[]) => {
    const base = desk().results[0]!;
    return JSON.stringify({
      count: docs.length + 1,
      results: [
        {
          ...base,
          document_number: '2026-99999',
          title: 'Privacy Act of 1974; System of Records',
          raw_text_url: null,
        },
        ...docs,
      ],
    });
  };
  const publishedAnswer = (...numbers: string[]) => {
    const all = JSON.parse(
      fixture('federal_register/dod_1260h/documents_shaped.json').toString('utf8'),
    ) as { results: Record<string, unknown>[] };
    const results = all.results
      .filter((r) => numbers.includes(r.document_number as string))
      .map((r) => ({
        ...r,
        agencies: [{ name: 'Defense Department', slug: 'defense-department' }],
      }));
    return JSON.stringify({ count: results.length, total_pages: 1, results });
  };
  const frDod = () =>
    source(
      'fr-dod',
      'federal-register',
      server.url('/api/v1/documents.json'),
      { agencies: ['defense-department'] },
      { label: 'Federal Register: DoD' },
    );
  const frPath = () => {
    const u = new URL(federalRegisterUrl(frDod()));
    return u.pathname + u.search;
  };

  it('alerts the follower the day before publication, read in full; the published notice is its follow-up, not a second alert', async () => {
    server.set('/api/v1/public-inspection-documents/current.json', {
      kind: 'body',
      body: deskWith(),
      contentType: 'application/json',
    });
    server.set('/documents/full_text/text/2021/06/28/2021-13753.txt', {
      kind: 'body',
      body: fixture('federal_register/dod_1260h/2021-13753_shaped.txt'),
      contentType: 'text/html',
    });
    server.set(frPath(), {
      kind: 'body',
      body: publishedAnswer('2021-13753'),
      contentType: 'application/json',
    });
    expect(await h.poll(inspection())).toMatchObject({ status: 'baseline' });
    await h.poll(frDod());
    const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [inspection(), frDod()] };
    expect(runCommand('subscribe Alibaba', { ...ctx, channel: 'slack:C1' }).ok).toBe(true);

    // On the desk: its text is the notice's (served here as the GPO XML).
    server.set('/public-inspection/raw_text/2026-11571.txt', {
      kind: 'body',
      body: fixture('federal_register/dod_1260h/2026-11571_shaped.xml'),
      contentType: 'text/plain',
    });
    server.set('/api/v1/public-inspection-documents/current.json', {
      kind: 'body',
      body: deskWith(desk().results[0]!),
      contentType: 'application/json',
    });
    // Of a desk of two new documents, the one about the lists alerts; the other is stored quietly.
    const other = {
      ...desk().results[0]!,
      document_number: '2026-99998',
      title: 'Charter Renewal of Department of Defense Federal Advisory Committees',
      raw_text_url: null,
    };
    server.set('/api/v1/public-inspection-documents/current.json', {
      kind: 'body',
      body: deskWith(desk().results[0]!, other),
      contentType: 'application/json',
    });
    const early = feedAlerts((await h.poll(inspection())).alerts);
    expect(early).toHaveLength(1);
    expect(early[0]!.because).toEqual(['mention', 'label']);
    expect(early[0]!.channels).toEqual(['console:ops', 'slack:C1']);
    expect(formatAlertText(early[0]!)).toMatch(
      /AGENCY Federal Register: public inspection \(DoD 1260H designations, Notice, on public inspection, publishes 2026-06-10\): Notice of Availability of Designation of Chinese Military Companies/,
    );
    expect(early[0]!.item.passages!.join(' ')).toMatch(/Alibaba Group Holding Limited \(Alibaba\)/);
    expect(alertJson(early[0]!)).toMatchObject({
      item: { publicInspection: { publishesOn: '2026-06-10' }, citation: null },
    });

    // Published: the same document number in the published issue, with its citation.
    server.set(frPath(), {
      kind: 'body',
      body: publishedAnswer('2026-11571', '2021-13753'),
      contentType: 'application/json',
    });
    const later = await h.poll(frDod());
    expect(later.status).toBe('changed');
    expect(feedAlerts(later.alerts)).toEqual([]);
    const stored = JSON.parse(
      h.db
        .prepare("SELECT data FROM feed_items WHERE source_id = 'fr-dod' AND guid = '2026-11571'")
        .pluck()
        .get() as string,
    );
    expect(stored).toMatchObject({
      citation: '91 FR 35189',
      inspectedFirst: { source: 'fr-inspection' },
    });
    expect(
      h.db
        .prepare(
          "SELECT alerted FROM feed_items WHERE source_id = 'fr-dod' AND guid = '2026-11571'",
        )
        .pluck()
        .get(),
    ).toBe(0);
  });

  it('a document the desk never showed is alerted when published, as before', async () => {
    server.set('/api/v1/public-inspection-documents/current.json', {
      kind: 'body',
      body: deskWith(),
      contentType: 'application/json',
    });
    server.set(frPath(), {
      kind: 'body',
      body: publishedAnswer('2021-13753'),
      contentType: 'application/json',
    });
    await h.poll(inspection());
    await h.poll(frDod());
    server.set('/documents/full_text/text/2025/01/07/2025-00070.txt', {
      kind: 'body',
      body: fixture('federal_register/dod_1260h/2025-00070_shaped.txt'),
      contentType: 'text/html',
    });
    server.set(frPath(), {
      kind: 'body',
      body: publishedAnswer('2025-00070', '2021-13753'),
      contentType: 'application/json',
    });
    expect(feedAlerts((await h.poll(frDod())).alerts).map((a) => a.item.guid)).toEqual([
      '2025-00070',
    ]);
  });

  it("the 1260H list read from the published notice does not tell a channel again what the desk's alert told it", async () => {
    const dod = () =>
      source(
        'dod-1260h',
        'dod-1260h',
        server.url('/api/v1/documents.json'),
        {},
        { label: 'DoD 1260H' },
      );
    const dodPath = () => {
      const u = new URL(dod1260hSearchUrl(dod()));
      return u.pathname + u.search;
    };
    server.set('/documents/full_text/text/2025/01/07/2025-00070.txt', {
      kind: 'body',
      body: fixture('federal_register/dod_1260h/2025-00070_shaped.txt'),
      contentType: 'text/html',
    });
    server.set('/documents/full_text/xml/2026/06/10/2026-11571.xml', {
      kind: 'body',
      body: fixture('federal_register/dod_1260h/2026-11571_shaped.xml'),
      contentType: 'application/xml',
    });
    server.set('/public-inspection/raw_text/2026-11571.txt', {
      kind: 'body',
      body: fixture('federal_register/dod_1260h/2026-11571_shaped.xml'),
      contentType: 'text/plain',
    });
    server.set(dodPath(), {
      kind: 'body',
      body: publishedAnswer('2025-00070'),
      contentType: 'application/json',
    });
    server.set('/api/v1/public-inspection-documents/current.json', {
      kind: 'body',
      body: deskWith(),
      contentType: 'application/json',
    });
    await h.poll(dod());
    await h.poll(inspection());
    const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [inspection(), dod()] };
    expect(runCommand('subscribe Alibaba', { ...ctx, channel: 'slack:C1' }).ok).toBe(true);

    server.set('/api/v1/public-inspection-documents/current.json', {
      kind: 'body',
      body: deskWith(desk().results[0]!),
      contentType: 'application/json',
    });
    expect(feedAlerts((await h.poll(inspection())).alerts)[0]!.channels).toEqual([
      'console:ops',
      'slack:C1',
    ]);

    server.set(dodPath(), {
      kind: 'body',
      body: publishedAnswer('2026-11571', '2025-00070'),
      contentType: 'application/json',
    });
    const listed = (await h.poll(dod())).alerts.filter((a) => a.type === 'designation.added');
    // Alibaba: both channels had the desk's alert naming it. WuXi AppTec: named by no alert before.
    expect(
      listed.find(
        (a) => a.type === 'designation.added' && a.entity.name === 'Alibaba Group Holding Limited',
      ),
    ).toBeUndefined();
    expect(
      listed.find(
        (a) => a.type === 'designation.added' && a.entity.name === 'WuXi AppTec Co., Ltd.',
      )!.channels,
    ).toEqual(['console:ops']);
    // The change is in the history all the same.
    expect(
      h.db
        .prepare(
          "SELECT count(*) FROM changes WHERE name = 'Alibaba Group Holding Limited' AND type = 'designation.added'",
        )
        .pluck()
        .get(),
    ).toBe(1);
  });
});
