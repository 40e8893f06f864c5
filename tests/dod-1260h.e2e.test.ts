// The DoD 1260H list built from the Federal Register's notices, through the real poller, a real
// SQLite file and a local server speaking the API: baseline, a new edition that designates a
// followed company, a renamed company, removals, and the failures that must change nothing.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../src/domain.js';
import { formatAlertText } from '../src/alerts/format-text.js';
import { runCommand } from '../src/commands/run.js';
import { NameMatcher } from '../src/names/matcher.js';
import { dod1260hSearchUrl } from '../src/sources/federal-register-query.js';
import { fixture } from './helpers/fixtures.js';
import { cleanEnv, runCli } from './helpers/cli.js';
import { pollTestbed, source } from './helpers/poll-harness.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const DIR = 'federal_register/dod_1260h';
const TEXTS: Record<string, string> = {
  '/documents/full_text/text/2021/06/28/2021-13753.txt': '2021-13753_shaped.txt',
  '/documents/full_text/text/2024/12/18/2024-30018.txt': '2024-30018_shaped.txt',
  '/documents/full_text/text/2025/01/07/2025-00070.txt': '2025-00070_shaped.txt',
  '/documents/full_text/xml/2026/06/10/2026-11571.xml': '2026-11571_shaped.xml',
};

function answerWith(...numbers: string[]): string {
  const all = JSON.parse(fixture(`${DIR}/documents_shaped.json`).toString('utf8')) as {
    results: { document_number: string }[];
  };
  const results = all.results.filter((r) => numbers.includes(r.document_number));
  return JSON.stringify({ count: results.length, total_pages: 1, results });
}

type DesignationAlert = Extract<
  Alert,
  { type: 'designation.added' | 'designation.removed' | 'designation.amended' }
>;
const designations = (alerts: Alert[]) =>
  alerts.filter((a): a is DesignationAlert => 'record' in a);

describe('DoD 1260H from the Federal Register, polled', () => {
  const { server, h } = pollTestbed({ fresh: 'test', deps: { defaultChannels: ['console:ops'] } });
  const dod = () =>
    source(
      'dod-1260h',
      'dod-1260h',
      server.url('/api/v1/documents.json'),
      {},
      { label: 'DoD 1260H' },
    );
  const searchPath = () => {
    const u = new URL(dod1260hSearchUrl(dod()));
    return u.pathname + u.search;
  };
  const serve = (...numbers: string[]) =>
    server.set(searchPath(), {
      kind: 'body',
      body: answerWith(...numbers),
      contentType: 'application/json',
    });
  const serveTexts = () => {
    for (const [path, file] of Object.entries(TEXTS))
      server.set(path, { kind: 'body', body: fixture(`${DIR}/${file}`), contentType: 'text/html' });
  };

  it('a channel following Tencent hears of the edition that designated it, with the citation, and the list stands in lookups', async () => {
    serveTexts();
    serve('2021-13753');
    expect(await h.poll(dod())).toMatchObject({ status: 'baseline', records: 9 });
    const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [dod()] };
    expect(runCommand('subscribe Tencent', { ...ctx, channel: 'slack:C1' }).ok).toBe(true);

    serve('2025-00070', '2024-30018', '2021-13753');
    const r = await h.poll(dod());
    expect(r.status).toBe('changed');
    const tencent = designations(r.alerts).find(
      (a) => a.record.name === 'Tencent Holdings Limited',
    )!;
    expect(tencent).toMatchObject({
      type: 'designation.added',
      list: 'DoD 1260H',
      record: { listedOn: '2025-01-07', citation: '90 FR 1105' },
    });
    expect(tencent.channels).toEqual(['console:ops', 'slack:C1']);
    const text = formatAlertText(tencent);
    expect(text).toMatch(/Tencent Holdings Limited/);
    expect(text).toMatch(/listed 2025-01-07/);
    expect(text).toMatch(/90 FR 1105/);
    // The 2025 edition no longer names CRCC: removed, as a full edition says.
    expect(
      designations(r.alerts)
        .filter((a) => a.type === 'designation.removed')
        .map((a) => a.record.name)
        .sort(),
    ).toEqual([
      'China Railway Construction Corporation Limited',
      'Fujian Torch Electron Technology Co., Ltd.',
    ]);
    // Named again under a new alias: amended, not removed and added.
    const chUav = designations(r.alerts).find(
      (a) => a.record.name === 'Aerospace CH UAV Co., Ltd',
    )!;
    expect(chUav).toMatchObject({
      type: 'designation.amended',
      fields: [expect.objectContaining({ field: 'aliases', before: ['S-SEA'], after: ['CH UAV'] })],
    });
    // The removal notice's companies are not on the list as read: said, not invented.
    expect(r.warnings.join(' ')).toMatch(/2024-30018 .*IDG Capital/);

    const look = runCommand('lookup Tencent', { ...ctx, channel: 'slack:C1' });
    expect(JSON.stringify(look)).toMatch(/DoD 1260H/);
    expect(JSON.stringify(look)).toMatch(/listed 2025-01-07/);
  });

  it('reads each notice once: later polls ask one small question, and a new edition only its own text', async () => {
    serveTexts();
    serve('2025-00070', '2021-13753');
    const earlier = server.requests.length;
    await h.poll(dod());
    const textRequests = () =>
      server.requests.slice(earlier).filter((q) => q.path.startsWith('/documents/full_text/'))
        .length;
    expect(textRequests()).toBe(2);
    await h.poll(dod());
    await h.poll(dod());
    expect(textRequests()).toBe(2);
    serve('2026-11571', '2025-00070', '2021-13753');
    const r = await h.poll(dod());
    expect(textRequests()).toBe(3);
    const by = (name: string) =>
      designations(r.alerts).find((a) => a.record.name === name || a.record.aliases.includes(name));
    expect(by('Alibaba')).toMatchObject({
      type: 'designation.added',
      record: { listedOn: '2026-06-10', citation: '91 FR 35189' },
    });
    expect(by('DJI')).toMatchObject({
      type: 'designation.amended',
      record: { name: 'Shenzhen DJI Technology Co., Ltd.', listedOn: '2025-01-07' },
    });
    expect(
      designations(r.alerts)
        .filter((a) => a.type === 'designation.removed')
        .map((a) => a.record.name)
        .sort(),
    ).toEqual([
      'CNOOC China Limited',
      'COSCO SHIPPING Finance Co., Ltd.',
      'Costar Group Co., Ltd.',
    ]);
  });

  it('a notice whose text cannot be read fails the source with the reason, and changes nothing', async () => {
    serveTexts();
    serve('2025-00070');
    await h.poll(dod());
    const before = h.db
      .prepare('SELECT count(*) FROM designations WHERE removed_at IS NULL')
      .pluck()
      .get();
    server.set('/documents/full_text/xml/2026/06/10/2026-11571.xml', {
      kind: 'status',
      status: 503,
      body: '<html><body>Service Unavailable</body></html>',
    });
    serve('2026-11571', '2025-00070');
    const failed = await h.poll(dod());
    expect(failed).toMatchObject({
      status: 'failing',
      error: expect.stringMatching(/could not read document 2026-11571 .*503/),
    });
    expect(failed.alerts.map((a) => a.type)).toEqual(['source.health']);
    // An error page served with 200 where the text should be: refused, and not kept for later polls.
    server.set('/documents/full_text/xml/2026/06/10/2026-11571.xml', {
      kind: 'body',
      body: '<html><body><h1>Down for maintenance</h1></body></html>',
      contentType: 'text/html',
    });
    expect(await h.poll(dod())).toMatchObject({
      status: 'failing',
      error: expect.stringMatching(/no SUPPLEMENTARY INFORMATION section/),
    });
    expect(
      h.db.prepare('SELECT count(*) FROM designations WHERE removed_at IS NULL').pluck().get(),
    ).toBe(before);
    expect(
      h.db
        .prepare("SELECT count(*) FROM document_texts WHERE url LIKE '%2026-11571%'")
        .pluck()
        .get(),
    ).toBe(0);
    // Back: the edition is read, and the source says it recovered.
    serveTexts();
    const back = await h.poll(dod());
    expect(back.status).toBe('changed');
    expect(back.alerts.some((a) => a.type === 'source.health' && a.status === 'recovered')).toBe(
      true,
    );
  });

  it('a new edition that names no one readable is held like a shrink, the list as it was', async () => {
    serveTexts();
    serve('2025-00070');
    await h.poll(dod());
    server.set('/documents/full_text/xml/2026/06/10/2026-11571.xml', {
      kind: 'body',
      body: '<?xml version="1.0"?><NOTICE><SUPLINF><HD SOURCE="HED">SUPPLEMENTARY INFORMATION:</HD><P>The list is available at the address below.</P></SUPLINF></NOTICE>',
      contentType: 'application/xml',
    });
    serve('2026-11571', '2025-00070');
    const r = await h.poll(dod());
    expect(r.status).toBe('held');
    expect(r.warnings.join(' ')).toMatch(/2026-11571 .*names no company/);
    expect(designations(r.alerts)).toEqual([]);
    expect(
      h.db.prepare('SELECT count(*) FROM designations WHERE removed_at IS NULL').pluck().get(),
    ).toBe(17);
  });

  it('`poll --source dod-1260h` works alone on the built-in sources, read from SANCTIONS_RADAR_FEDERAL_REGISTER_API', async () => {
    serveTexts();
    serve('2025-00070', '2021-13753');
    const dir = mkdtempSync(join(tmpdir(), 'sr-1260h-'));
    try {
      const env = cleanEnv({
        LOG_LEVEL: 'error',
        SANCTIONS_RADAR_DB: join(dir, 'r.db'),
        SANCTIONS_RADAR_FEDERAL_REGISTER_API: server.url('/api/v1'),
      });
      const first = await runCli(['poll', '--source', 'dod-1260h', '--json'], env);
      expect(first.stderr).toBe('');
      expect(first.code).toBe(0);
      // Only this source was asked: the search, and the two notices' texts.
      const asked = server.requests
        .map((q) => q.path)
        .filter(
          (p) => !p.startsWith('/documents/full_text/') && !p.startsWith('/api/v1/documents.json'),
        );
      expect(asked).toEqual([]);
      serve('2026-11571', '2025-00070', '2021-13753');
      const second = await runCli(['poll', '--source', 'dod-1260h', '--json'], env);
      expect(second.code).toBe(0);
      const alerts = second.stdout
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { type: string; entity?: { name: string } });
      expect(alerts.find((a) => a.entity?.name === 'Alibaba Group Holding Limited')).toMatchObject({
        type: 'designation.added',
        list: 'DoD 1260H',
        citation: '91 FR 35189',
        listedOn: '2026-06-10',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
