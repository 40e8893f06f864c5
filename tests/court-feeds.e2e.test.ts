// Court and agency feeds end to end: a local server serves a D.D.C. PACER feed, then a later
// version; the real poller, the real command core and a real SQLite file decide which entries
// become alerts and which channels get them.
import { beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../src/commands/run.js';
import type { Alert } from '../src/domain.js';
import { alertJson } from '../src/alerts/format-text.js';
import { NameMatcher } from '../src/names/matcher.js';
import { fixture } from './helpers/fixtures.js';
import { pollTestbed, source } from './helpers/poll-harness.js';

type FeedAlert = Extract<Alert, { type: 'feed.item' }>;
const feedAlerts = (alerts: Alert[]) =>
  alerts.filter((a): a is FeedAlert => a.type === 'feed.item');

describe('a D.D.C. PACER feed: only entries that matter, to the channels that follow them', () => {
  const { server, h } = pollTestbed({
    fresh: 'block',
    deps: { defaultChannels: ['console:default'] },
  });
  const dod = () =>
    source('dod', 'csv', server.url('/dod.csv'), {
      list: 'DoD 1260H',
      columns: { name: 'Company', aliases: 'Also known as', listedOn: 'Listed on' },
    });
  const dcd = () => source('pacer-dcd', 'pacer', server.url('/dcd.xml'), {});
  const run = (text: string, channel: string) =>
    runCommand(text, {
      db: h.db,
      matcher: new NameMatcher(h.db),
      sources: [dod(), dcd()],
      channel,
    });

  beforeAll(async () => {
    // A tracked list (Hesai is on the 2024 DoD 1260H list) and the feed as it stood on 2021-03-11.
    server.set('/dod.csv', { kind: 'body', body: fixture('dod1260h/dod_1260h_2024-01-31.csv') });
    server.set('/dcd.xml', {
      kind: 'body',
      body: fixture('pacer_rss/dcd_constructed_v1.xml'),
      contentType: 'application/rss+xml',
    });
    await h.poll(dod());
    expect(await h.poll(dcd())).toMatchObject({ status: 'baseline', items: 2, alerts: [] });
  });

  it('follows a case, a name on no list and a listed name; an unrelated case and a generic caption stay quiet', async () => {
    expect(run('subscribe --case 1:21-cv-280 --court dcd', 'slack:CASE').summary).toMatch(
      /now follows case 1:21-cv-00280 in dcd .*1 entry of it is already stored/,
    );
    expect(run('subscribe Xiaomi', 'discord:XIAOMI').summary).toMatch(
      /Nothing on the tracked lists matches it yet/,
    );
    expect(run('subscribe Hesai', 'slack:HESAI').ok).toBe(true);
    expect(run('subscriptions', 'slack:CASE').sections[0]!.lines[0]).toMatch(
      /^#1 case 1:21-cv-00280 in dcd/,
    );

    server.set('/dcd.xml', {
      kind: 'body',
      body: fixture('pacer_rss/dcd_constructed_v2.xml'),
      contentType: 'application/rss+xml',
    });
    const r = await h.poll(dcd());
    expect(r).toMatchObject({ status: 'changed', items: 5 });
    const alerts = feedAlerts(r.alerts);
    const byDoc = new Map(alerts.map((a) => [`${a.item.docket}#${a.item.documentNumber}`, a]));
    // The 2021-03-12 memorandum opinion and order in Xiaomi v. DoD, and Hesai's case; not SAVAGE v.
    // BURWELL (no one follows it) nor ASIA PACIFIC TRADING GROUP v. GLOBAL INDUSTRIES (generic words).
    expect([...byDoc.keys()].sort()).toEqual([
      '1:21-cv-00280#21',
      '1:21-cv-00280#22',
      '1:24-cv-02003#46',
    ]);
    const opinion = byDoc.get('1:21-cv-00280#21')!;
    expect(opinion.channels).toEqual(['console:default', 'discord:XIAOMI', 'slack:CASE']);
    expect(opinion.because).toEqual(['case', 'mention']);
    expect(opinion.mentions).toEqual([
      { name: 'Xiaomi', key: 'subscription', list: null, matched: 'xiaomi' },
    ]);
    expect(byDoc.get('1:24-cv-02003#46')!.channels).toEqual(['console:default', 'slack:HESAI']);
    expect(byDoc.get('1:24-cv-02003#46')!.mentions).toEqual([
      expect.objectContaining({ name: 'Hesai Technology Co., Ltd.', list: 'DoD 1260H' }),
    ]);

    // The output contract of `poll --json`.
    expect(alertJson(opinion)).toMatchObject({
      type: 'feed.item',
      item: {
        court: 'dcd',
        docket: '1:21-cv-00280',
        caseName: 'XIAOMI CORPORATION v. U.S. DEPARTMENT OF DEFENSE et al',
        entryTypes: ['Memorandum & Opinion'],
        documentNumber: '21',
        documentUrl: 'https://ecf.dcd.uscourts.gov/doc1/04518190123?caseid=226816&de_seq_num=95',
        documentType: null,
        citation: null,
        agencies: [],
      },
      mentions: [{ name: 'Xiaomi', key: 'subscription', list: null, matched: 'xiaomi' }],
    });
    // Why each channel got it is recorded with the delivery.
    const reasons = h.db
      .prepare('SELECT channel, reason FROM deliveries WHERE alert_id = ? ORDER BY channel')
      .all(opinion.id);
    expect(reasons).toEqual([
      { channel: 'console:default', reason: 'every alert (operator setting)' },
      { channel: 'discord:XIAOMI', reason: expect.stringMatching(/^subscription #2: "Xiaomi"/) },
      { channel: 'slack:CASE', reason: 'subscription #1: case 1:21-cv-00280 (dcd)' },
    ]);

    // Everything is stored, alert or not, and a repeat poll is silent.
    expect(
      h.db.prepare('SELECT count(*) FROM feed_items WHERE source_id = ?').pluck().get('pacer-dcd'),
    ).toBe(7);
    expect(h.db.prepare('SELECT count(*) FROM feed_items WHERE alerted = 1').pluck().get()).toBe(3);
    expect((await h.poll(dcd())).alerts).toEqual([]);
    server.set('/dcd.xml', {
      kind: 'body',
      body: fixture('pacer_rss/dcd_constructed_v2.xml'),
      contentType: 'application/rss+xml',
      etag: false,
    });
    expect((await h.poll(dcd())).alerts).toEqual([]);
  });

  it('history of a followed name on no list shows the court entries that named it, newest first', () => {
    const r = run('history Xiaomi', 'console:x');
    expect(r.summary).toMatch(
      /never been on a tracked list \(as of \d{4}-\d\d-\d\d \d\d:\d\d UTC\); 3 court or agency entries name it/,
    );
    expect(r.sections[0]!.lines[0]).toMatch(
      /^2021-03-12 {2}COURT DCD 1:21-cv-00280 XIAOMI CORPORATION .*Order on Motion for Preliminary Injunction \/ Order on Motion for Miscellaneous Relief, doc 22/,
    );
    expect(r.sections[0]!.lines.at(-1)).toMatch(/^2021-03-11 .*doc 19/);
  });

  it('history of a listed company shows its listing and the court entry naming it', () => {
    const r = run('history Hesai', 'console:x');
    expect(r.summary).toMatch(
      /^History of Hesai Technology Co\., Ltd\. \(as of \d{4}-\d\d-\d\d \d\d:\d\d UTC\): 1 list event .*1 court or agency entry naming it/,
    );
    expect(r.sections[0]!.lines.join('\n')).toMatch(
      /2021-03-12 {2}COURT DCD 1:24-cv-02003 HESAI GROUP et al v\. DEPARTMENT OF DEFENSE et al: Memorandum & Opinion, doc 46/,
    );
  });

  it('unsubscribing a case ends it; bad docket numbers get a usage message', async () => {
    expect(run('subscribe --case Xiaomi', 'slack:CASE')).toMatchObject({
      ok: false,
      summary: expect.stringMatching(/not a docket number/),
    });
    expect(run('subscribe --court dcd', 'slack:CASE')).toMatchObject({
      ok: false,
      summary: expect.stringMatching(/--court goes with --case/),
    });
    expect(run('unsubscribe --case 1:21-cv-00280', 'slack:CASE').summary).toMatch(
      /no longer follows case 1:21-cv-00280 in dcd/,
    );
    expect(run('subscriptions', 'slack:CASE').summary).toMatch(/follows nothing yet/);
  });
});

describe('feed filters: alert all / mentions, include and exclude terms', () => {
  const { server, h } = pollTestbed({
    fresh: 'block',
    deps: { defaultChannels: ['console:default'] },
  });

  it('alert: all sends every new entry except excluded ones; include narrows an agency feed', async () => {
    const all = source('dcd-all', 'pacer', server.url('/all.xml'), {
      alert: 'all',
      exclude: ['minute order'],
    });
    const some = source('dcd-some', 'pacer', server.url('/some.xml'), {
      alert: 'mentions',
      include: ['preliminary injunction'],
    });
    for (const p of ['/all.xml', '/some.xml'])
      server.set(p, { kind: 'body', body: fixture('pacer_rss/dcd_constructed_v1.xml') });
    await h.poll(all);
    await h.poll(some);
    for (const p of ['/all.xml', '/some.xml'])
      server.set(p, { kind: 'body', body: fixture('pacer_rss/dcd_constructed_v2.xml') });
    const a = feedAlerts((await h.poll(all)).alerts);
    expect(a.map((x) => x.item.documentNumber).sort()).toEqual(['1', '21', '22', '46']);
    expect(a.every((x) => x.because.includes('all'))).toBe(true);
    const s = feedAlerts((await h.poll(some)).alerts);
    expect(s.map((x) => [x.item.documentNumber, x.because])).toEqual([['22', ['include']]]);
  });

  it('an agency feed (federal-register) alerts every new document, labelled, with its citation', async () => {
    const fr = source('fr-bis', 'federal-register', server.url('/api/v1/documents.json'), {
      agencies: ['industry-and-security-bureau'],
    });
    const body = JSON.parse(
      fixture('federal_register/documents_bis_constructed.json').toString('utf8'),
    );
    const first = { ...body, results: body.results.slice(1) };
    server.set(new URL(server.url('/x')).pathname, { kind: 'status', status: 404 });
    // The server sees the query the kind builds; register the body under that exact path.
    const { federalRegisterUrl } = await import('../src/sources/federal-register.js');
    const path = new URL(federalRegisterUrl(fr)).pathname + new URL(federalRegisterUrl(fr)).search;
    server.set(path, {
      kind: 'body',
      body: JSON.stringify(first),
      contentType: 'application/json',
    });
    expect(await h.poll(fr)).toMatchObject({ status: 'baseline', items: 2 });
    server.set(path, { kind: 'body', body: JSON.stringify(body), contentType: 'application/json' });
    const [doc] = feedAlerts((await h.poll(fr)).alerts);
    expect(alertJson(doc!)).toMatchObject({
      item: {
        documentType: 'Rule',
        citation: '84 FR 22961',
        label: 'Entity List additions',
        agencies: ['Commerce Department', 'Industry and Security Bureau'],
        documentNumber: '2019-10616',
      },
      because: ['all'],
    });
  });

  it("a bad Federal Register query fails the source with the API's own reason, state kept", async () => {
    const fr = source('fr-bad', 'federal-register', server.url('/bad/documents.json'), {
      agencies: ['nonsense'],
    });
    const { federalRegisterUrl } = await import('../src/sources/federal-register.js');
    const u = new URL(federalRegisterUrl(fr));
    server.set(u.pathname + u.search, {
      kind: 'status',
      status: 400,
      body: '{"errors":{"conditions[agencies]":["nonsense is not a valid agency"]}}',
      headers: { 'content-type': 'application/json' },
    });
    const r = await h.poll(fr);
    expect(r).toMatchObject({
      status: 'failing',
      error: expect.stringMatching(/HTTP 400 .*nonsense is not a valid agency/),
    });
    expect(r.alerts.map((a) => a.type)).toEqual(['source.health']);
  });
});
