// /healthz on a public port: which sources, platforms and channels fail, in a line each, with no
// address. The reasons here are the ones the fetcher and the guard write (src/fetch/fetch-body.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../db/database.js';
import { ensureSource, listSources, updateSource } from '../db/source-state.js';
import { redactText } from '../src/fetch/redact.js';
import { SHORT_REASON_CHARS, shortReason, withoutAddresses } from '../src/text/reason.js';
import { healthReport } from '../src/http/health.js';
import { HttpServer } from '../src/http/server.js';
import { createMetrics } from '../src/http/metrics.js';

const FR_QUERY =
  'https://www.federalregister.gov/api/v1/documents.json?conditions%5Bagencies%5D%5B%5D=defense-department&order=newest&per_page=100&fields%5B%5D=document_number&fields%5B%5D=type';

describe('health reasons', () => {
  it('cut each address to the file it names, whatever the error around it', () => {
    expect(
      withoutAddresses(`host not found (DNS failed: no network?) (ENOTFOUND) (${FR_QUERY})`),
    ).toBe('host not found (DNS failed: no network?) (ENOTFOUND) (documents.json)');
    expect(
      withoutAddresses(
        'HTTP 403 Forbidden from https://***:***@sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/ALT.CSV?key=***: blocked',
      ),
    ).toBe('HTTP 403 Forbidden from ALT.CSV: blocked');
    expect(withoutAddresses('connection refused (ECONNREFUSED) (http://10.0.0.7:8080/)')).toBe(
      'connection refused (ECONNREFUSED) (its address)',
    );
    expect(withoutAddresses('the list shrank from 15,000 to 9 entries')).toBe(
      'the list shrank from 15,000 to 9 entries',
    );
    expect(withoutAddresses('HTTP 404 from https://intranet.example/holdings/Q3%20book.csv')).toBe(
      'HTTP 404 from Q3 book.csv',
    );
  });

  it('are one line of at most SHORT_REASON_CHARS characters', () => {
    const long = shortReason(
      `the file is HTML, not CSV:\n<!doctype html>${'<p>maintenance</p>'.repeat(50)} (${FR_QUERY})`,
    );
    expect(long.length).toBe(SHORT_REASON_CHARS);
    expect(long).not.toMatch(/\n|federalregister/);
    expect(long.endsWith('…')).toBe(true);
  });
});

describe('a source the configuration no longer names', () => {
  it('is listed apart, and neither its failure nor its age degrades the status', () => {
    const db = openDb(':memory:').db;
    ensureSource(db, 'ofac-sdn', 'ofac-csv', null);
    updateSource(db, 'ofac-sdn', { status: 'ok', lastSuccessAt: '2026-11-27T10:00:00.000Z' });
    ensureSource(db, 'old-feed', 'rss', null);
    updateSource(db, 'old-feed', {
      status: 'failing',
      lastError: 'HTTP 410 Gone from https://courts.example/feed.xml',
      lastSuccessAt: '2025-01-02T03:04:05.000Z',
    });
    const report = healthReport(listSources(db), new Set(['ofac-sdn']), new Map(), []);
    expect(report).toEqual({
      status: 'ok',
      sources: [{ id: 'ofac-sdn', status: 'ok', lastSuccessAt: '2026-11-27T10:00:00.000Z' }],
      notConfigured: [{ id: 'old-feed', lastSuccessAt: '2025-01-02T03:04:05.000Z' }],
    });
    // Configured again, it counts again.
    expect(
      healthReport(listSources(db), new Set(['ofac-sdn', 'old-feed']), new Map(), []).status,
    ).toBe('degraded');
    db.close();
  });
});

describe('/healthz', () => {
  let dir: string;
  let db: Db;
  const http = new HttpServer();
  let base: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sr-health-'));
    db = openDb(join(dir, 'radar.db')).db;
    const problems = new Map([
      ['slack', 'Slack refuses the token (token_revoked) at https://slack.com/api/auth.test'],
    ]);
    const configured = new Set([
      'fr-dod',
      'ofac-sdn',
      ...Array.from({ length: 200 }, (_, i) => `team-${String(i).padStart(3, '0')}`),
    ]);
    http.attach(
      db,
      configured,
      ['console', 'slack'],
      problems,
      createMetrics(() => db, { version: 'test' }),
    );
    base = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
  });
  afterAll(async () => {
    await http.close();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says what fails and why, with no address or credential, and stays small with many sources', async () => {
    ensureSource(db, 'fr-dod', 'federal-register', null);
    updateSource(db, 'fr-dod', {
      status: 'failing',
      lastError: redactText(`host not found (ENOTFOUND) (${FR_QUERY}&api_key=s3cr3t)`),
    });
    ensureSource(db, 'ofac-sdn', 'ofac-csv', null);
    updateSource(db, 'ofac-sdn', {
      status: 'held',
      heldReason: 'the list shrank from 15,000 to 9 entries; held until it is seen 3 times',
      lastSuccessAt: '2026-11-27T10:00:00.000Z',
    });
    for (let i = 0; i < 200; i++) {
      ensureSource(db, `team-${String(i).padStart(3, '0')}`, 'csv', null);
      updateSource(db, `team-${String(i).padStart(3, '0')}`, {
        status: 'failing',
        lastError: `HTTP 503 Service Unavailable from https://user:pw@files.internal.example/lists/team-${i}.csv?token=abc: ${'x'.repeat(500)}`,
      });
    }
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    const text = await res.text();
    const health = JSON.parse(text);
    expect(health.status).toBe('degraded');
    expect(health.sources.find((s: { id: string }) => s.id === 'fr-dod')).toEqual({
      id: 'fr-dod',
      status: 'failing',
      lastSuccessAt: null,
      reason: 'host not found (ENOTFOUND) (documents.json)',
    });
    expect(health.sources.find((s: { id: string }) => s.id === 'ofac-sdn')).toMatchObject({
      status: 'held',
      lastSuccessAt: '2026-11-27T10:00:00.000Z',
      reason: expect.stringMatching(/^the list shrank/),
    });
    expect(health.platforms).toEqual([
      {
        platform: 'slack',
        status: 'failing',
        reason: 'Slack refuses the token (token_revoked) at auth.test',
      },
    ]);
    expect(text).not.toMatch(/https?:|internal\.example|federalregister|s3cr3t|pw@|\*\*\*/);
    // 202 failing sources, each reason clipped: ~50 KB, not the ~130 KB their errors hold.
    expect(text.length).toBeLessThan(202 * (SHORT_REASON_CHARS + 100));
  });
});
