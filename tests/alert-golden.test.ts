// Golden output: every kind of alert, made by real polls of real fixture files, as the console,
// Slack and Discord render it. A change to any renderer shows here as a diff of
// tests/golden/<platform>/<kind>; nothing may read "[object Object]".
//
// Shaped input: the identifier amendment polls cons_prim.csv once with China Mobile's last ISIN
// ("alt. ISIN ARDEUT111812") cut from its remark, then the real file, as OFAC adding an ISIN to a
// CMIC remark would look. Everything else is a real file as PROVENANCE.md describes it.
import { beforeAll, describe, expect, it } from 'vitest';
import { digestEmbed, alertEmbed } from '../adapters/discord/embeds.js';
import { alertMessage, digestMessage } from '../adapters/slack/alert-blocks.js';
import { alertCard, digestCard } from '../adapters/teams/cards.js';
import { alertJson, formatAlertText } from '../src/alerts/format-text.js';
import { changedFields } from '../src/poll/diff.js';
import { federalRegisterUrl } from '../src/sources/federal-register.js';
import type { DeliveryItem } from '../src/delivery/adapter.js';
import type { Alert, DesignationRecord } from '../src/domain.js';
import { fixture } from './helpers/fixtures.js';
import { pollTestbed, source } from './helpers/poll-harness.js';
import { queueReminders } from './helpers/stored.js';

const FIXED = '2024-04-12T14:05:00.000Z';
/** The same alert whenever the test runs: the detection time and the id are the run's. */
const pinned = (a: Alert, id: number): Alert => ({ ...a, id, detectedAt: FIXED });

describe('alert output on every platform (golden files)', () => {
  const { server, h } = pollTestbed({ fresh: 'block', deps: { defaultChannels: ['console:ops'] } });
  const alerts = new Map<string, Alert>();
  const keep = (name: string, a: Alert | undefined) => {
    expect(a, name).toBeDefined();
    alerts.set(name, pinned(a!, alerts.size + 1));
  };

  beforeAll(async () => {
    // OFAC SDN 2024-04-04 → 2024-04-12: 4 added, 2 removed, 1 amended (a passport in a remark).
    const sdn = source(
      'ofac-sdn',
      'ofac-csv',
      server.url('/sdn.csv'),
      {},
      { label: 'OFAC SDN list' },
    );
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    await h.poll(sdn);
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-12_trimmed.csv') });
    const update = (await h.poll(sdn)).alerts;
    keep(
      'designation.added',
      update.find((a) => a.type === 'designation.added'),
    );
    keep(
      'designation.removed',
      update.find((a) => a.type === 'designation.removed'),
    );
    keep(
      'designation.amended-remarks',
      update.find((a) => a.type === 'designation.amended'),
    );

    // NS-CMIC: an ISIN added to China Mobile's remark.
    const prim = fixture('ofac/cons_prim.csv').toString('latin1');
    const cut = prim.replace('; alt. ISIN ARDEUT111812', '');
    expect(cut).not.toBe(prim);
    const cons = source(
      'ofac-cons',
      'ofac-csv',
      server.url('/cons_prim.csv'),
      {
        altUrl: server.url('/cons_alt.csv'),
        addUrl: server.url('/cons_add.csv'),
        commentsUrl: server.url('/cons_comments.csv'),
      },
      { label: 'OFAC consolidated (non-SDN) lists' },
    );
    for (const f of ['cons_alt.csv', 'cons_add.csv', 'cons_comments.csv'])
      server.set(`/${f}`, { kind: 'body', body: fixture(`ofac/${f}`) });
    server.set('/cons_prim.csv', { kind: 'body', body: Buffer.from(cut, 'latin1') });
    await h.poll(cons);
    server.set('/cons_prim.csv', { kind: 'body', body: Buffer.from(prim, 'latin1') });
    keep(
      'designation.amended-identifiers',
      (await h.poll(cons)).alerts.find((a) => a.type === 'designation.amended'),
    );

    // A D.D.C. PACER feed gaining the Xiaomi opinion, against the DoD 1260H list (Hesai).
    const dod = source(
      'dod',
      'csv',
      server.url('/dod.csv'),
      {
        list: 'DoD 1260H',
        columns: { name: 'Company', aliases: 'Also known as', listedOn: 'Listed on' },
      },
      { label: 'DoD 1260H (team list)' },
    );
    server.set('/dod.csv', { kind: 'body', body: fixture('dod1260h/dod_1260h_2024-01-31.csv') });
    await h.poll(dod);
    const dcd = source('pacer-dcd', 'pacer', server.url('/dcd.xml'), {}, { label: 'D.D.C. PACER' });
    server.set('/dcd.xml', {
      kind: 'body',
      body: fixture('pacer_rss/dcd_constructed_v1.xml'),
      contentType: 'application/rss+xml',
    });
    await h.poll(dcd);
    server.set('/dcd.xml', {
      kind: 'body',
      body: fixture('pacer_rss/dcd_constructed_v2.xml'),
      contentType: 'application/rss+xml',
    });
    keep(
      'feed.item-court',
      (await h.poll(dcd)).alerts.find(
        (a) => a.type === 'feed.item' && a.item.documentNumber === '46',
      ),
    );

    // A Federal Register rule: the 2019 Entity List addition of Huawei (84 FR 22961).
    const fr = source(
      'fr-bis',
      'federal-register',
      server.url('/api/v1/documents.json'),
      { agencies: ['industry-and-security-bureau'] },
      { label: 'Federal Register: BIS' },
    );
    const body = JSON.parse(
      fixture('federal_register/documents_bis_constructed.json').toString('utf8'),
    ) as { results: unknown[] };
    const u = new URL(federalRegisterUrl(fr));
    server.set(u.pathname + u.search, {
      kind: 'body',
      body: JSON.stringify({ ...body, results: body.results.slice(1) }),
      contentType: 'application/json',
    });
    await h.poll(fr);
    server.set(u.pathname + u.search, {
      kind: 'body',
      body: JSON.stringify(body),
      contentType: 'application/json',
    });
    keep(
      'feed.item-federal-register',
      (await h.poll(fr)).alerts.find((a) => a.type === 'feed.item'),
    );

    // More changes than a channel takes one by one: the same SDN update as one changeset.
    const many = source(
      'ofac-sdn-2',
      'ofac-csv',
      server.url('/sdn2.csv'),
      {},
      { label: 'OFAC SDN list' },
    );
    server.set('/sdn2.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    await h.poll(many);
    server.set('/sdn2.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-12_trimmed.csv') });
    h.deps.maxListAlerts = 3;
    keep(
      'designation.changeset',
      (await h.poll(many)).alerts.find((a) => a.type === 'designation.changeset'),
    );
    h.deps.maxListAlerts = undefined;

    // The real empty download OFAC's URL served on 2024-05-04: the source fails, state kept.
    server.set('/sdn.csv', {
      kind: 'body',
      body: fixture('ofac/sdn_2024-05-04_EMPTY_download.csv'),
    });
    keep(
      'source.health-failing',
      (await h.poll(sdn)).alerts.find((a) => a.type === 'source.health'),
    );

    // A day later none of them is decided: the reminder listing the oldest three.
    h.db.prepare("UPDATE deliveries SET status = 'sent', sent_at = ?").run(FIXED);
    keep(
      'review.reminder',
      queueReminders(h.db, {
        hours: 24,
        now: new Date(Date.parse(FIXED) + 25 * 3_600_000),
        fourEyes: 'off',
        platforms: ['console'],
        listed: 3,
      })[0],
    );
  });

  const kinds = () => [...alerts.keys()];
  const item = (name: string): DeliveryItem => ({
    alert: alerts.get(name)!,
    reason: name.startsWith('feed')
      ? 'names Hesai Technology Co., Ltd. (DoD 1260H)'
      : 'subscription #1 (all alerts)',
  });

  it('renders every kind on the console, in --json, in Slack and in Discord as the golden files say', async () => {
    expect(kinds()).toHaveLength(9);
    expect(new Set(kinds().map((k) => alerts.get(k)!.type)).size).toBe(7);
    for (const name of kinds()) {
      const a = alerts.get(name)!;
      const rendered = {
        console: formatAlertText(a),
        json: JSON.stringify(alertJson(a), null, 2),
        slack: JSON.stringify(alertMessage(item(name)), null, 2),
        discord: JSON.stringify(alertEmbed(item(name)), null, 2),
        teams: JSON.stringify(alertCard(item(name)), null, 2),
      };
      for (const [platform, raw] of Object.entries(rendered)) {
        // The changeset links the list file, served here from a port the run chose.
        const text = raw.replace(/http:\/\/127\.0\.0\.1:\d+\//g, 'http://127.0.0.1:PORT/');
        expect(text, `${platform} ${name}`).not.toMatch(/\[object Object\]/);
        await expect(text).toMatchFileSnapshot(
          `golden/${platform}/${name}.${platform === 'console' ? 'txt' : 'json'}`,
        );
      }
    }
    const digest = kinds().map(item);
    const port = (t: string) => t.replace(/http:\/\/127\.0\.0\.1:\d+\//g, 'http://127.0.0.1:PORT/');
    await expect(port(JSON.stringify(digestMessage(digest), null, 2))).toMatchFileSnapshot(
      'golden/slack/digest.json',
    );
    await expect(port(JSON.stringify(digestEmbed(digest), null, 2))).toMatchFileSnapshot(
      'golden/discord/digest.json',
    );
    await expect(port(JSON.stringify(digestCard(digest), null, 2))).toMatchFileSnapshot(
      'golden/teams/digest.json',
    );
  });

  it('an identifier added to a remark reads as that identifier, in words, everywhere', () => {
    const a = alerts.get('designation.amended-identifiers')!;
    expect(a.type === 'designation.amended' && a.fields!.map((f) => f.field)).toEqual([
      'remarks',
      'identifiers',
    ]);
    expect(formatAlertText(a)).toMatch(/identifiers: \+ISIN ARDEUT111812(?!,)/);
    expect(JSON.stringify(alertMessage(item('designation.amended-identifiers')))).toContain(
      'identifiers: +ISIN ARDEUT111812',
    );
    expect(JSON.stringify(alertEmbed(item('designation.amended-identifiers')))).toContain(
      'identifiers: +ISIN ARDEUT111812',
    );
  });
});

describe('the diff of identifiers', () => {
  const china: DesignationRecord = {
    key: '30923',
    list: 'NS-CMIC',
    name: 'CHINA MOBILE LIMITED',
    aliases: [],
    type: 'entity',
    programs: ['CMIC-EO13959'],
    countries: [],
    addresses: [],
    listedOn: '2021-06-03',
    citation: null,
    url: null,
    remarks: null,
    identifiers: [
      { type: 'ISIN', value: 'US16941M1099' },
      { type: 'Ticker', value: 'CHL', exchange: 'US' },
      { type: 'ISIN', value: 'HK0941009539' },
    ],
  };

  it('takes a reordering of identifiers (or of their keys) as no change', () => {
    const reordered = {
      ...china,
      identifiers: [
        { exchange: 'US', value: 'CHL', type: 'Ticker' },
        china.identifiers![2]!,
        china.identifiers![0]!,
      ],
    };
    expect(changedFields(china, reordered)).toEqual([]);
  });

  it('takes a changed exchange or an added identifier as an amendment', () => {
    expect(
      changedFields(china, {
        ...china,
        identifiers: [
          china.identifiers![0]!,
          { type: 'Ticker', value: 'CHL', exchange: 'HK' },
          china.identifiers![2]!,
        ],
      }).map((f) => f.field),
    ).toEqual(['identifiers']);
    expect(
      changedFields(china, {
        ...china,
        identifiers: [...china.identifiers!, { type: 'ISIN', value: 'ARDEUT111812' }],
      }).map((f) => f.field),
    ).toEqual(['identifiers']);
  });
});
