// Subscriptions decide the channels of each alert, in the poll's own transaction.
import { describe, expect, it } from 'vitest';
import { runCommand } from '../src/commands/run.js';
import { indexQueued } from '../src/store/indexing.js';
import { federalRegisterUrl } from '../src/sources/federal-register.js';
import { NameMatcher } from '../src/names/matcher.js';
import { fixture } from './helpers/fixtures.js';
import { pollTestbed, source } from './helpers/poll-harness.js';

describe('routing real SDN changes to subscribed channels', () => {
  const { server, h } = pollTestbed({ fresh: 'block', deps: { defaultChannels: ['console:ops'] } });

  it('sends each alert to every matching channel once, and records the routes', async () => {
    const sdn = source('ofac-sdn', 'ofac-csv', server.url('/sdn.csv'));
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    await h.poll(sdn);
    const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [sdn] };
    // A typo in the name, a whole list, a whole source, and the same channel twice over.
    expect(runCommand('subscribe Peretyatco Ruslan', { ...ctx, channel: 'slack:C1' }).ok).toBe(
      true,
    );
    expect(runCommand('subscribe --list SDN', { ...ctx, channel: 'discord:9' }).ok).toBe(true);
    expect(
      runCommand('subscribe "Integral Inzenjering"', { ...ctx, channel: 'discord:9' }).ok,
    ).toBe(true);
    expect(runCommand('subscribe --source ofac-sdn', { ...ctx, channel: 'slack:C2' }).ok).toBe(
      true,
    );
    expect(runCommand('subscribe "Khalil Azzam"', { ...ctx, channel: 'slack:C3' }).ok).toBe(true);

    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-12_trimmed.csv') });
    const r = await h.poll(sdn);
    const byKey = new Map(r.alerts.map((a) => ['entity' in a ? a.entity.key : '', a.channels]));
    expect(byKey.get('46788')).toEqual(['console:ops', 'discord:9', 'slack:C1', 'slack:C2']); // PERETYATKO, amended
    expect(byKey.get('39137')).toEqual(['console:ops', 'discord:9', 'slack:C2']); // INTEGRAL INZENJERING, removed: discord:9 once
    expect(byKey.get('48241')).toEqual(['console:ops', 'discord:9', 'slack:C2', 'slack:C3']); // 'AZZAM, Khalil Muhammad
    expect(byKey.get('48240')).toEqual(['console:ops', 'discord:9', 'slack:C2']);
    const routes = h.db.prepare('SELECT count(*) FROM deliveries').pluck().get();
    expect(routes).toBe(r.alerts.reduce((n, a) => n + a.channels.length, 0));
    // The channel sees where what it follows stands after the poll.
    const subs = runCommand('subscriptions', { ...ctx, channel: 'discord:9' });
    expect(subs.sections.at(-1)!.lines).toEqual([
      expect.stringMatching(/^#\d+ the SDN list/),
      expect.stringMatching(
        /^#\d+ "Integral Inzenjering" \(since .+\) — on no list now; formerly INTEGRAL INZENJERING A\.D\. LAKTASI \(SDN\)$/,
      ),
    ]);
    expect(subs.summary).toMatch(/ Listed now: 0 of 1 followed company \(as of /);
  });
});

describe('following a company by one of its identifiers', () => {
  const { server, h } = pollTestbed({ fresh: 'block', deps: { defaultChannels: [] } });

  it('routes the change of the entry carrying it, typed with its label and spacing, and says which identifier matched', async () => {
    const sdn = source('ofac-sdn', 'ofac-csv', server.url('/sdn.csv'));
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    await h.poll(sdn);
    indexQueued(h.db); // as the daemon does after a poll: the lookup's identifier index
    const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [sdn] };
    // PERETYATKO's remarks give "Tax ID No. 111601632100 (Russia)"; the 2024-04-12 file amends him.
    const byTax = runCommand('subscribe Tax ID No. 111 601 632 100', {
      ...ctx,
      channel: 'slack:C4',
    });
    expect(byTax.summary).toMatch(
      /now follows "Tax ID No\. 111 601 632 100" \(subscription #\d+\)\. It matches 1 entity now \(1 currently listed\): PERETYATKO, Ruslan Aleksandrovich\./,
    );
    expect(runCommand('subscribe 111601632100', { ...ctx, channel: 'discord:7' }).ok).toBe(true);
    // An identifier no entry carries, and a near miss of it: followed, routed nothing.
    expect(
      runCommand('subscribe Tax ID No. 111601632101', { ...ctx, channel: 'slack:C5' }).summary,
    ).toMatch(/Nothing on the tracked lists matches it yet/);

    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-12_trimmed.csv') });
    const r = await h.poll(sdn);
    const amended = r.alerts.find((a) => 'entity' in a && a.entity.key === '46788')!;
    expect(amended.channels).toEqual(['discord:7', 'slack:C4']);
    expect(r.alerts.filter((a) => a.channels.includes('slack:C5'))).toEqual([]);
    const reasons = h.db.prepare('SELECT channel, reason FROM deliveries ORDER BY channel').all();
    expect(reasons).toEqual([
      {
        channel: 'discord:7',
        reason: expect.stringMatching(
          /^subscription #\d+: "111601632100", matched Tax ID 111601632100$/,
        ),
      },
      {
        channel: 'slack:C4',
        reason: expect.stringMatching(
          /^subscription #\d+: "Tax ID No\. 111 601 632 100", matched Tax ID 111601632100$/,
        ),
      },
    ]);
  });

  it('sends it a feed document that names the company carrying the identifier', async () => {
    // NS-CMIC gives Huawei Technologies its USCC; the Federal Register's Huawei Entity List rule names it.
    const cons = source('ofac-cons', 'ofac-csv', server.url('/cons.csv'), { consolidated: true });
    server.set('/cons.csv', { kind: 'body', body: fixture('ofac/cons_prim.csv') });
    await h.poll(cons);
    const fr = source('fr-bis', 'federal-register', server.url('/api/v1/documents.json'), {
      agencies: ['industry-and-security-bureau'],
    });
    const u = new URL(federalRegisterUrl(fr));
    const body = JSON.parse(
      fixture('federal_register/documents_bis_constructed.json').toString('utf8'),
    );
    server.set(u.pathname + u.search, {
      kind: 'body',
      body: JSON.stringify({ ...body, results: body.results.slice(1) }),
      contentType: 'application/json',
    });
    await h.poll(fr);
    const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [cons, fr] };
    expect(
      runCommand('subscribe USCC 914403001922038216', { ...ctx, channel: 'slack:HW' }).summary,
    ).toMatch(/It matches 1 entity now \(1 currently listed\): HUAWEI TECHNOLOGIES CO\., LTD\./);
    // Huawei Investment & Holding's ISIN: a company the document does not name.
    expect(runCommand('subscribe CND10003D0F9', { ...ctx, channel: 'slack:HIH' }).ok).toBe(true);

    server.set(u.pathname + u.search, {
      kind: 'body',
      body: JSON.stringify(body),
      contentType: 'application/json',
    });
    const r = await h.poll(fr);
    const doc = r.alerts.find(
      (a) => a.type === 'feed.item' && a.item.documentNumber === '2019-10616',
    )!;
    expect(doc.channels).toEqual(['slack:HW']);
    expect(
      h.db.prepare('SELECT reason FROM deliveries WHERE alert_id = ?').pluck().all(doc.id),
    ).toEqual([
      expect.stringMatching(
        /^subscription #\d+: "USCC 914403001922038216", names HUAWEI TECHNOLOGIES CO\., LTD\. \(NS-CMIC\)$/,
      ),
    ]);
  });
});
