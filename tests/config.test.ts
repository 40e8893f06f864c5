import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readSettings } from '../src/config/settings.js';
import { ConfigError, loadSourcesFile, parseSourcesDocument } from '../src/config/sources-file.js';

describe('sources file', () => {
  it('the built-in default lists the real public sources with polite schedules', () => {
    const sources = loadSourcesFile();
    expect(sources.map((s) => s.id)).toEqual(['ofac-sdn', 'ofac-consolidated', 'csl', 'fr-bis', 'fr-ofac', 'fr-dod', 'fr-dhs', 'pacer-dcd']);
    for (const s of sources) {
      expect(s.url).toMatch(/^https:\/\//);
      // Lists hourly, feeds every 15 minutes: never more often.
      expect(s.schedule.split(' ')).toHaveLength(5);
    }
    expect(sources.find((s) => s.id === 'ofac-consolidated')!.options.altUrl).toMatch(/CONS_ALT\.CSV$/);
  });

  it('reads YAML and resolves relative file: URLs against the file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sr-cfg-'));
    const path = join(dir, 'sources.yaml');
    writeFileSync(path, `sources:\n  - id: team-list\n    kind: csv\n    url: file:lists/dod.csv\n    list: DoD 1260H\n    columns: { name: Company, aliases: Also known as }\n    schedule: "*/30 * * * *"\n`);
    const [s] = loadSourcesFile(path);
    expect(s).toMatchObject({ id: 'team-list', kind: 'csv', url: `file://${dir}/lists/dod.csv`, schedule: '*/30 * * * *', options: { list: 'DoD 1260H' } });
  });

  it('collects every mistake with the source it belongs to', () => {
    const doc = JSON.stringify({
      sources: [
        { id: 'a', kind: 'rss', url: 'https://x', schedule: 'every hour' },
        { id: 'a', kind: 'rss', url: 'https://y' },
        { id: 'c', kind: 'ofac-csv', url: 'https://z', altUrl: 'not a url', maxShrink: 2 },
        { id: 'd', kind: 'ofac-csv', url: 'https://w', maxAlerts: '50' },
        { id: 'e', kind: 'rss', url: 'https://v', maxItems: 0 },
      ],
    });
    expect(() => parseSourcesDocument(doc, 's.json')).toThrow(ConfigError);
    try {
      parseSourcesDocument(doc, 's.json');
    } catch (e) {
      expect((e as Error).message).toMatch(/source #1 \("a"\): "schedule" is not a valid cron expression: every hour/);
      expect((e as Error).message).toMatch(/source #2 \("a"\): "id" is used twice/);
      expect((e as Error).message).toMatch(/source #3 \("c"\): "maxShrink" must be a number from 0 to 1/);
      expect((e as Error).message).toMatch(/source #4 \("d"\): "maxAlerts" must be a whole number of at least 1/);
      expect((e as Error).message).toMatch(/source #5 \("e"\): "maxItems" must be a whole number of at least 1/);
    }
  });

  it('says which file is missing', () => {
    expect(() => loadSourcesFile('/nonexistent/sources.json')).toThrow(/cannot read the sources file \/nonexistent\/sources.json: ENOENT/);
  });
});

describe('settings from the environment', () => {
  it('has working defaults', () => {
    expect(readSettings({})).toMatchObject({ dbPath: './data/sanctions-radar.db', port: 3000, alertChannels: ['console:default'], maxShrink: 0.1, confirmPolls: 3, maxListAlerts: 200 });
  });

  it('names the variable to fix', () => {
    expect(() => readSettings({ PORT: 'eighty' })).toThrow(/PORT=eighty is not valid/);
    expect(() => readSettings({ SANCTIONS_RADAR_MAX_LIST_ALERTS: '0' })).toThrow(/SANCTIONS_RADAR_MAX_LIST_ALERTS=0 is not valid/);
    expect(() => readSettings({ SANCTIONS_RADAR_ALERT_CHANNELS: 'general' })).toThrow(/SANCTIONS_RADAR_ALERT_CHANNELS has "general"/);
  });

  it('takes a webhook secret only in characters a URL carries unchanged', () => {
    expect(readSettings({ COURTLISTENER_WEBHOOK_SECRET: '3f9a0c1e-77b2.4d_~e5' }).courtListenerWebhookSecret).toBe('3f9a0c1e-77b2.4d_~e5');
    for (const pasted of ['abc+def+ghi+jkl+mno', 'abcdefgh#ijklmnop', 'abcdefgh&ijklmnop', 'abcdefgh%20ijklmnop']) {
      expect(() => readSettings({ COURTLISTENER_WEBHOOK_SECRET: pasted }), pasted).toThrow(/letters, digits and - \. _ ~ \(it goes in the webhook URL as it is\)/);
    }
  });
});
