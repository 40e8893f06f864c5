import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allDocs } from './helpers/docs.js';
import { readSettings, SETTINGS_VARIABLES } from '../src/config/settings.js';
import { SOURCE_KINDS } from '../src/domain.js';
import { optionsOf } from '../src/sources/kinds.js';
import { ConfigError, loadSourcesFile, parseSourcesDocument } from '../src/config/sources-file.js';

describe('sources file', () => {
  it('the built-in default lists the real public sources with polite schedules', () => {
    const sources = loadSourcesFile();
    expect(sources.map((s) => s.id)).toEqual([
      'ofac-sdn',
      'ofac-consolidated',
      'csl',
      'dod-1260h',
      'fr-inspection',
      'fr-bis',
      'fr-ofac',
      'fr-dod',
      'fr-dhs',
      'pacer-dcd',
      'pacer-cadc',
      'pacer-cit',
    ]);
    expect(sources.find((s) => s.id === 'dod-1260h')).toMatchObject({
      kind: 'dod-1260h',
      label: 'DoD 1260H',
      url: 'https://www.federalregister.gov/api/v1/documents.json',
    });
    for (const s of sources) {
      expect(s.url).toMatch(/^https:\/\//);
      // Lists hourly, feeds every 15 minutes: never more often.
      expect(s.schedule.split(' ')).toHaveLength(5);
    }
    expect(sources.find((s) => s.id === 'ofac-consolidated')!.options.altUrl).toMatch(
      /CONS_ALT\.CSV$/,
    );
  });

  it('reads every Federal Register source from SANCTIONS_RADAR_FEDERAL_REGISTER_API when it is set, and refuses a base that is no address', () => {
    const settings = readSettings({
      SANCTIONS_RADAR_FEDERAL_REGISTER_API: 'http://127.0.0.1:8080/fr/api/v1/',
    });
    expect(settings.federalRegisterApi).toBe('http://127.0.0.1:8080/fr/api/v1');
    const sources = loadSourcesFile(undefined, settings);
    const fr = sources.filter(
      (s) =>
        s.kind === 'federal-register' ||
        s.kind === 'dod-1260h' ||
        s.kind === 'federal-register-inspection',
    );
    expect(fr.map((s) => s.id)).toEqual([
      'dod-1260h',
      'fr-inspection',
      'fr-bis',
      'fr-ofac',
      'fr-dod',
      'fr-dhs',
    ]);
    for (const s of fr)
      expect(s.url).toMatch(
        /^http:\/\/127\.0\.0\.1:8080\/fr\/api\/v1\/(?:documents\.json|public-inspection-documents\/current\.json)$/,
      );
    // The other sources stay where they are.
    expect(sources.find((s) => s.id === 'csl')!.url).toMatch(/^https:\/\/data\.trade\.gov\//);
    expect(readSettings({}).federalRegisterApi).toBe('https://www.federalregister.gov/api/v1');
    expect(() =>
      readSettings({ SANCTIONS_RADAR_FEDERAL_REGISTER_API: 'federalregister.gov' }),
    ).toThrow(
      /SANCTIONS_RADAR_FEDERAL_REGISTER_API=federalregister.gov is not an http\(s\) address/,
    );
  });

  it('reads YAML and resolves relative file: URLs against the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sr-cfg-'));
    const path = join(dir, 'sources.yaml');
    writeFileSync(
      path,
      `sources:\n  - id: team-list\n    kind: csv\n    url: file:lists/dod.csv\n    list: DoD 1260H\n    columns: { name: Company, aliases: Also known as }\n    schedule: "*/30 * * * *"\n`,
    );
    const [s] = loadSourcesFile(path);
    expect(s).toMatchObject({
      id: 'team-list',
      kind: 'csv',
      url: `file://${dir}/lists/dod.csv`,
      schedule: '*/30 * * * *',
      options: { list: 'DoD 1260H' },
    });
  });

  it('collects every mistake with the source it belongs to', () => {
    const doc = JSON.stringify({
      sources: [
        { id: 'a', kind: 'rss', url: 'https://x', schedule: 'every hour' },
        { id: 'a', kind: 'rss', url: 'https://y' },
        { id: 'c', kind: 'ofac-csv', url: 'https://z', altUrl: 'not a url', maxShrink: 2 },
        { id: 'd', kind: 'ofac-csv', url: 'https://w', maxAlerts: '50' },
        { id: 'e', kind: 'rss', url: 'https://v', maxItems: 0 },
        { id: 'f', kind: 'rss', url: 'https://u', schedule: { every: '15 minutes' } },
      ],
    });
    expect(() => parseSourcesDocument(doc, 's.json')).toThrow(ConfigError);
    try {
      parseSourcesDocument(doc, 's.json');
    } catch (e) {
      expect((e as Error).message).toMatch(
        /source #1 \("a"\): "schedule" is not a valid cron expression: every hour/,
      );
      expect((e as Error).message).toMatch(/source #2 \("a"\): "id" is used twice/);
      expect((e as Error).message).toMatch(
        /source #3 \("c"\): "maxShrink" must be a number from 0 to 1/,
      );
      // An object is shown as written, not as "[object Object]".
      expect((e as Error).message).toMatch(
        /source #6 \("f"\): "schedule" is not a valid cron expression: \{"every":"15 minutes"\}/,
      );
      expect((e as Error).message).toMatch(
        /source #4 \("d"\): "maxAlerts" must be a whole number of at least 1/,
      );
      expect((e as Error).message).toMatch(
        /source #5 \("e"\): "maxItems" must be a whole number of at least 1/,
      );
    }
  });

  it('refuses an option no one reads, naming the nearest known one (a typo kept silently changes what a source does)', () => {
    const doc = JSON.stringify({
      sources: [
        {
          id: 'fr',
          kind: 'federal-register',
          url: 'https://www.federalregister.gov/api/v1/documents.json',
          agencise: ['industry-and-security-bureau'],
        },
        {
          id: 'court',
          kind: 'pacer',
          url: 'https://ecf.dcd.uscourts.gov/cgi-bin/rss_outside.pl',
          inlcude: ['Xiaomi'],
          aleart: 'all',
        },
        {
          id: 'sdn',
          kind: 'ofac-csv',
          url: 'https://x/SDN.CSV',
          userAgnet: 'Mozilla/5.0 x',
          addURL: 'https://x/ADD.CSV',
        },
        {
          id: 'team',
          kind: 'csv',
          url: 'file:x.csv',
          list: 'DoD 1260H',
          columns: { name: 'Company', alias: 'Also known as' },
        },
        { id: 'list', kind: 'csl', url: 'https://x/csl.csv', include: ['x'], frobnicate: 1 },
      ],
    });
    let message = '';
    try {
      parseSourcesDocument(doc, 's.json');
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toMatch(
      /source #1 \("fr"\): unknown option "agencise": did you mean "agencies"\?/,
    );
    expect(message).toMatch(
      /source #2 \("court"\): unknown option "inlcude": did you mean "include"\?/,
    );
    expect(message).toMatch(
      /source #2 \("court"\): unknown option "aleart": did you mean "alert"\?/,
    );
    expect(message).toMatch(
      /source #3 \("sdn"\): unknown option "userAgnet": did you mean "userAgent"\?/,
    );
    expect(message).toMatch(
      /source #3 \("sdn"\): unknown option "addURL": did you mean "addUrl"\?/,
    );
    expect(message).toMatch(
      /source #4 \("team"\): unknown option "columns.alias": did you mean "aliases"\?/,
    );
    // A feed's option on a list is unknown there too; a word far from any is listed with the known ones.
    expect(message).toMatch(/source #5 \("list"\): unknown option "include"; known: id, kind, url/);
    expect(message).toMatch(/source #5 \("list"\): unknown option "frobnicate"; known: /);
  });

  it('takes the built-in sources and every option the documentation names', () => {
    expect(() => loadSourcesFile()).not.toThrow();
    const readme = allDocs();
    for (const kind of SOURCE_KINDS) {
      for (const option of optionsOf(kind))
        expect(readme, `${kind}: ${option}`).toContain(`\`${option}\``);
    }
  });

  it('says which file is missing', () => {
    expect(() => loadSourcesFile('/nonexistent/sources.json')).toThrow(
      /cannot read the sources file \/nonexistent\/sources.json: ENOENT/,
    );
  });
});

describe('settings from the environment', () => {
  it('has working defaults', () => {
    expect(readSettings({})).toMatchObject({
      dbPath: './data/sanctions-radar.db',
      port: 3000,
      alertChannels: ['console:default'],
      maxShrink: 0.1,
      confirmPolls: 3,
      maxListAlerts: 200,
    });
  });

  it('names the variable to fix', () => {
    expect(() => readSettings({ PORT: 'eighty' })).toThrow(/PORT=eighty is not valid/);
    expect(() => readSettings({ SANCTIONS_RADAR_MAX_LIST_ALERTS: '0' })).toThrow(
      /SANCTIONS_RADAR_MAX_LIST_ALERTS=0 is not valid/,
    );
    expect(() => readSettings({ SANCTIONS_RADAR_ALERT_CHANNELS: 'general' })).toThrow(
      /SANCTIONS_RADAR_ALERT_CHANNELS has "general"/,
    );
  });

  it('refuses a variable of its namespace that nothing reads, naming the one meant', () => {
    expect(() => readSettings({ SANCTIONS_RADAR_ALERT_CHANELS: 'slack:C1' })).toThrow(
      /SANCTIONS_RADAR_ALERT_CHANELS is not a setting: did you mean SANCTIONS_RADAR_ALERT_CHANNELS\?/,
    );
    expect(() => readSettings({ SANCTIONS_RADAR_RETENTION: '30' })).toThrow(
      /SANCTIONS_RADAR_RETENTION is not a setting: did you mean SANCTIONS_RADAR_RETENTION_DAYS\?/,
    );
    expect(() => readSettings({ SANCTIONS_RADAR_WHATEVER_ELSE: '1' })).toThrow(
      /SANCTIONS_RADAR_WHATEVER_ELSE is not a setting \(.env.example lists them all\)/,
    );
    // Every variable .env.example documents, and every one the code reads, is known.
    const root = join(dirname(fileURLToPath(import.meta.url)), '..');
    const documented =
      readFileSync(join(root, '.env.example'), 'utf8').match(/SANCTIONS_RADAR_[A-Z0-9_]+/g) ?? [];
    const read = execFileSync(
      'grep',
      ['-rhoE', 'SANCTIONS_RADAR_[A-Z0-9_]+', 'src', 'adapters', 'bin', 'db', 'bench'],
      { cwd: root, encoding: 'utf8' },
    )
      .split('\n')
      .filter(Boolean);
    // Webhooks are named by their variables: SANCTIONS_RADAR_WEBHOOK_<NAME>_URL and _SECRET.
    const webhook = /^SANCTIONS_RADAR_(WEBHOOK|TEAMS)_/;
    for (const v of new Set([...documented, ...read]))
      if (!webhook.test(v)) expect(SETTINGS_VARIABLES, v).toContain(v);
    expect(() =>
      readSettings({
        SANCTIONS_RADAR_WEBHOOK_CASE_SYSTEM_URL: 'https://x',
        SANCTIONS_RADAR_WEBHOOK_CASE_SYSTEM_SECRET: 'x',
      }),
    ).not.toThrow();
    expect(() => readSettings({ SANCTIONS_RADAR_WEBHOK_CASES_URL: 'https://x' })).toThrow(
      /SANCTIONS_RADAR_WEBHOK_CASES_URL is not a setting/,
    );
  });

  it('takes a webhook secret only in characters a URL carries unchanged', () => {
    expect(
      readSettings({ COURTLISTENER_WEBHOOK_SECRET: '3f9a0c1e-77b2.4d_~e5' })
        .courtListenerWebhookSecret,
    ).toBe('3f9a0c1e-77b2.4d_~e5');
    for (const pasted of [
      'abc+def+ghi+jkl+mno',
      'abcdefgh#ijklmnop',
      'abcdefgh&ijklmnop',
      'abcdefgh%20ijklmnop',
    ]) {
      expect(() => readSettings({ COURTLISTENER_WEBHOOK_SECRET: pasted }), pasted).toThrow(
        /letters, digits and - \. _ ~ \(it goes in the webhook URL as it is\)/,
      );
    }
  });
});
