// Labelled Federal Register documents are read in full: the names stand in the body, not in the
// title or abstract. Through the real poller, a real SQLite file, and a local server speaking the API.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../src/domain.js';
import { alertJson, formatAlertText } from '../src/alerts/format-text.js';
import { runCommand } from '../src/commands/run.js';
import { passagesNaming } from '../src/feeds/passages.js';
import { NameMatcher } from '../src/names/matcher.js';
import { normalizeName } from '../src/names/normalize.js';
import { federalRegisterUrl } from '../src/sources/federal-register.js';
import { readDocumentText } from '../src/sources/fr-full-text.js';
import { fixture } from './helpers/fixtures.js';
import { pollTestbed, source } from './helpers/poll-harness.js';

const DIR = 'federal_register/dod_1260h';

/** The DoD's answer on a day it had published these notices, with the abstracts the API gives (which name no company). */
function answerWith(...numbers: string[]): string {
  const all = JSON.parse(fixture(`${DIR}/documents_shaped.json`).toString('utf8')) as {
    results: Record<string, unknown>[];
  };
  const abstract =
    'The Deputy Secretary of Defense has determined that the entities listed in the SUPPLEMENTARY INFORMATION section of this notice qualify as "Chinese military companies" in accordance with the William M. (Mac) Thornberry National Defense Authorization Act for Fiscal Year 2021.';
  const results = all.results
    .filter((r) => numbers.includes(r.document_number as string))
    .map((r) => ({
      ...r,
      abstract,
      agencies: [{ name: 'Defense Department', slug: 'defense-department' }],
    }));
  return JSON.stringify({ count: results.length, total_pages: 1, results });
}

const feedAlerts = (alerts: Alert[]) =>
  alerts.filter((a): a is Extract<Alert, { type: 'feed.item' }> => a.type === 'feed.item');

describe('Federal Register documents read in full', () => {
  const { server, h } = pollTestbed({ fresh: 'test', deps: { defaultChannels: ['console:ops'] } });
  const frDod = () =>
    source(
      'fr-dod',
      'federal-register',
      server.url('/api/v1/documents.json'),
      { agencies: ['defense-department'] },
      { label: 'Federal Register: DoD' },
    );
  const path = () => {
    const u = new URL(federalRegisterUrl(frDod()));
    return u.pathname + u.search;
  };

  it('a notice that designates Tencent and Huawei in its body reaches the channels following them, quoting the sentence that names each', async () => {
    server.set('/documents/full_text/text/2025/01/07/2025-00070.txt', {
      kind: 'body',
      body: fixture(`${DIR}/2025-00070_shaped.txt`),
      contentType: 'text/html',
    });
    server.set('/documents/full_text/text/2021/06/28/2021-13753.txt', {
      kind: 'body',
      body: fixture(`${DIR}/2021-13753_shaped.txt`),
      contentType: 'text/html',
    });
    server.set(path(), {
      kind: 'body',
      body: answerWith('2021-13753'),
      contentType: 'application/json',
    });
    const earlier = server.requests.length;
    expect(await h.poll(frDod())).toMatchObject({ status: 'baseline' });
    // The baseline is announced to no one: nothing in it is read in full.
    expect(
      server.requests.slice(earlier).filter((q) => q.path.startsWith('/documents/full_text/')),
    ).toEqual([]);

    const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [frDod()] };
    expect(runCommand('subscribe Tencent', { ...ctx, channel: 'slack:C1' }).ok).toBe(true);
    expect(runCommand('subscribe Huawei', { ...ctx, channel: 'discord:2' }).ok).toBe(true);
    expect(runCommand('subscribe Xiaomi', { ...ctx, channel: 'slack:C3' }).ok).toBe(true);

    server.set(path(), {
      kind: 'body',
      body: answerWith('2025-00070', '2021-13753'),
      contentType: 'application/json',
    });
    const r = await h.poll(frDod());
    const [doc] = feedAlerts(r.alerts);
    expect(doc!.item).toMatchObject({
      documentNumber: '2025-00070',
      label: 'DoD 1260H designations',
      citation: '90 FR 1105',
    });
    expect(doc!.channels).toEqual(['console:ops', 'discord:2', 'slack:C1']);
    expect(doc!.mentions.map((m) => m.name)).toEqual(expect.arrayContaining(['Tencent', 'Huawei']));
    // Quoted: the list's lead-in and the name as the notice prints it, not the whole notice.
    expect(doc!.item.passages).toContain(
      'The Deputy Secretary of Defense has determined that the following entities are “Chinese military companies” operating directly or indirectly in the United States: … Tencent Holdings Limited',
    );
    expect(doc!.item.passages!.every((p) => p.length <= 400)).toBe(true);
    expect(formatAlertText(doc!)).toMatch(
      /— “The Deputy Secretary .*: … (?:Tencent Holdings Limited|Huawei Technologies Co\., Ltd\. \(Huawei\))”/,
    );
    expect(alertJson(doc!)).toMatchObject({
      item: {
        passages: expect.arrayContaining([expect.stringMatching(/Tencent Holdings Limited$/)]),
      },
    });
    // The full text is neither stored with the entry nor sent.
    expect(JSON.stringify(alertJson(doc!))).not.toMatch(/Quectel|Pub\. L\./);
    const stored = h.db
      .prepare("SELECT data FROM feed_items WHERE guid = '2025-00070'")
      .pluck()
      .get() as string;
    expect(stored).not.toMatch(/fullText|Quectel|Pub\. L\./);
    expect(JSON.parse(stored).passages.length).toBeGreaterThan(0);
    // History finds the notice under the followed name.
    expect(JSON.stringify(runCommand('history Tencent', { ...ctx, channel: 'slack:C1' }))).toMatch(
      /Notice of Availability of Designation of Chinese Military Companies/,
    );
  });

  it('a text that cannot be read leaves the document to its title and abstract, with a warning; the poll is not failed', async () => {
    server.set(path(), {
      kind: 'body',
      body: answerWith('2021-13753'),
      contentType: 'application/json',
    });
    await h.poll(frDod());
    server.set('/documents/full_text/text/2025/01/07/2025-00070.txt', {
      kind: 'status',
      status: 503,
      body: 'down',
    });
    server.set(path(), {
      kind: 'body',
      body: answerWith('2025-00070', '2021-13753'),
      contentType: 'application/json',
    });
    const r = await h.poll(frDod());
    expect(r.status).toBe('changed');
    expect(r.warnings.join(' ')).toMatch(
      /could not read document 2025-00070 .*503.*read by title and abstract/,
    );
    expect(feedAlerts(r.alerts)).toHaveLength(1);
    expect(feedAlerts(r.alerts)[0]!.item.passages).toBeUndefined();
  });

  it('quotes the sentence around a name inside prose, cut to 400 characters', () => {
    const paragraphs = readDocumentText(
      fixture(`${DIR}/2026-11571_shaped.xml`),
      '2026-11571',
    ).paragraphs;
    const m = (name: string) => ({
      name,
      key: 'subscription',
      list: null,
      matched: normalizeName(name),
    });
    const [mss] = passagesNaming(paragraphs, [m('Ministry of State Security')]);
    expect(mss).toBe(
      'Qihoo 360 is directly and indirectly affiliated with the Ministry of Industry and Information Technology (MIIT) and the Ministry of State Security (Section 1260H(g)(2)(B)(i)(I)).',
    );
    // A list item after items that carry their reasons still finds the list's lead-in.
    const [wuxi] = passagesNaming(paragraphs, [m('WuXi AppTec')]);
    expect(wuxi).toMatch(
      /^…?.*the following entities satisfy the requirements .*: … WuXi AppTec Co\., Ltd\. \(WuXi AppTec\)$/,
    );
    expect(wuxi!.length).toBeLessThanOrEqual(400);
    expect(passagesNaming(paragraphs, [m('Xiaomi')])).toEqual([]);
  });
});
