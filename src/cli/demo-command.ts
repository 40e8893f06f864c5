// `sanctions-radar demo`: the whole pipeline, offline, on bundled real data. A baseline of the
// OFAC SDN list of 2024-04-04 and a PACER court feed, then the real later versions, so a newcomer
// sees real alerts in seconds without network or tokens.
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { alertJson, formatAlertText } from '../alerts/format-text.js';
import { createApp } from '../app.js';
import { readSettings } from '../config/settings.js';
import { createLogger } from '../log.js';
import type { CliIo } from './io.js';

const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'tests', 'fixtures');

/** The court feed as it stood before its newest entries were filed. */
function feedWithoutNewest(xml: string, newest: number): string {
  const items = [...xml.matchAll(/<item>[\s\S]*?<\/item>\s*/g)];
  const cut = items.slice(0, newest);
  return cut.reduce((acc, m) => acc.replace(m[0], ''), xml);
}

export async function demoCommand(io: CliIo, json: boolean): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'sanctions-radar-demo-'));
  try {
    const list = join(dir, 'sdn.csv');
    const feed = join(dir, 'cadc.xml');
    const sources = join(dir, 'sources.json');
    writeFileSync(
      sources,
      JSON.stringify({
        sources: [
          { id: 'ofac-sdn', label: 'OFAC SDN list (bundled 2024 downloads)', kind: 'ofac-csv', url: pathToFileURL(list).href },
          { id: 'pacer-cadc', label: 'D.C. Circuit (bundled PACER RSS)', kind: 'rss', url: pathToFileURL(feed).href },
        ],
      }),
    );
    const settings = readSettings({ ...io.env, SANCTIONS_RADAR_DB: join(dir, 'demo.db'), SANCTIONS_RADAR_SOURCES: sources, SANCTIONS_RADAR_ALERT_CHANNELS: 'console:demo' });
    const log = createLogger(io.env.LOG_LEVEL || 'error');
    const app = createApp({ settings, log, adapterFactories: io.adapterFactories, env: io.env, mode: 'poll', json });
    const show = (text: string) => !json && io.out(text);
    try {
      const feedXml = readFileSync(join(FIXTURES, 'pacer_rss', 'cadc.xml'), 'latin1');
      copyFileSync(join(FIXTURES, 'ofac', 'sdn_2024-04-04_trimmed.csv'), list);
      writeFileSync(feed, feedWithoutNewest(feedXml, 3), 'latin1');
      show('== Poll 1: first sight of each source is stored as the baseline (no alerts) ==');
      for (const r of await app.poll()) show(`   ${r.source}: ${r.status}, ${r.records} records`);

      copyFileSync(join(FIXTURES, 'ofac', 'sdn_2024-04-12_trimmed.csv'), list);
      writeFileSync(feed, feedXml, 'latin1');
      show('\n== Poll 2: the real SDN list of 2024-04-12 and the full court feed ==');
      for (const r of await app.poll()) for (const a of r.alerts) io.out(json ? JSON.stringify(alertJson(a)) : formatAlertText(a));

      show('\n== Poll 3: the same content again: nothing to say ==');
      const again = await app.poll();
      show(`   ${again.reduce((n, r) => n + r.alerts.length, 0)} alerts`);

      copyFileSync(join(FIXTURES, 'ofac', 'sdn_2024-05-04_EMPTY_download.csv'), list);
      show('\n== Poll 4: an empty download (a real one, from 2024-05-04): held back, state kept ==');
      for (const r of await app.poll(['ofac-sdn'])) for (const a of r.alerts) io.out(json ? JSON.stringify(alertJson(a)) : formatAlertText(a));
      await app.dispatcher.drain(1000);
      show('\nNext: `npm start` polls the real sources; README.md says how to connect Slack.');
      return 0;
    } finally {
      app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
