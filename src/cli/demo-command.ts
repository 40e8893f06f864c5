// `sanctions-radar demo`: the whole pipeline, offline, on bundled data. A baseline of the OFAC SDN
// list of 2024-04-04, the DoD 1260H list as the Federal Register's 2021 notice gave it, and a
// D.D.C. PACER feed; then the real later SDN list, the 2025 edition of the 1260H list read from
// its notice's text, and the feed with new entries, so a newcomer sees real alerts in seconds
// without network or tokens: list changes, and of the court entries only those that name a
// tracked or followed company.
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createApp } from '../app.js';
import { renderReplyText } from '../commands/render-text.js';
import { runCommand } from '../commands/run.js';
import { NameMatcher } from '../names/matcher.js';
import { readSettings } from '../config/settings.js';
import { createLogger } from '../log.js';
import { channelOf, type CliIo } from './io.js';

const here = dirname(fileURLToPath(import.meta.url));
// Built, the demo reads the real files copied beside it (bin/build-assets.js), so it runs from
// dist/ alone; run from source, it reads them where they live, in the test fixtures.
const FIXTURES = existsSync(join(here, 'demo-data'))
  ? join(here, 'demo-data')
  : join(here, '..', '..', 'tests', 'fixtures');

export async function demoCommand(io: CliIo, json: boolean, channel?: string): Promise<number> {
  // Into a real channel too (its platform configured as for start), beside the console.
  const into = channel ? channelOf(io, channel) : null;
  const dir = mkdtempSync(join(tmpdir(), 'sanctions-radar-demo-'));
  try {
    const list = join(dir, 'sdn.csv');
    const feed = join(dir, 'dcd.xml');
    const notices = join(dir, 'documents.json');
    const sources = join(dir, 'sources.json');
    writeFileSync(
      sources,
      JSON.stringify({
        sources: [
          {
            id: 'ofac-sdn',
            label: 'OFAC SDN list (bundled 2024 downloads)',
            kind: 'ofac-csv',
            url: pathToFileURL(list).href,
          },
          {
            id: 'dod-1260h',
            label: 'DoD 1260H (bundled Federal Register notices)',
            kind: 'dod-1260h',
            url: pathToFileURL(notices).href,
          },
          {
            id: 'pacer-dcd',
            label: 'D.D.C. (bundled PACER RSS)',
            kind: 'pacer',
            court: 'dcd',
            url: pathToFileURL(feed).href,
          },
        ],
      }),
    );
    const settings = readSettings({
      ...io.env,
      SANCTIONS_RADAR_DB: join(dir, 'demo.db'),
      SANCTIONS_RADAR_SOURCES: sources,
      SANCTIONS_RADAR_ALERT_CHANNELS:
        into && into !== 'console:demo' ? `console:demo,${into}` : 'console:demo',
    });
    const log = createLogger(io.env.LOG_LEVEL || 'error');
    const app = await createApp({
      settings,
      log,
      adapterFactories: io.adapterFactories,
      env: io.env,
      mode: 'poll',
      json,
    });
    const show = (text: string) => !json && io.out(text);
    // A real channel takes its messages at its platform's pace (Slack: one a second).
    const budget = into ? 60_000 : 5000;
    try {
      copyFileSync(join(FIXTURES, 'ofac', 'sdn_2024-04-04_trimmed.csv'), list);
      copyFileSync(join(FIXTURES, 'pacer_rss', 'dcd_constructed_v1.xml'), feed);
      writeFederalRegisterAnswer(notices, ['2021-13753']);
      // As `poll` and the daemon do: the lookup indexes of each poll's changes written after it.
      const poll = async (ids?: string[]) => {
        const results = await app.poll(ids);
        await app.indexQueued();
        return results;
      };
      show('== Poll 1: first sight of each source is stored as the baseline (no alerts) ==');
      for (const r of await poll()) show(`   ${r.source}: ${r.status}, ${r.records} records`);

      show('\n== The channel follows a company on no list, as a user would type it ==');
      const command = (text: string) =>
        runCommand(text, {
          db: app.db,
          matcher: new NameMatcher(app.db),
          sources: app.sources,
          channel: 'console:demo',
        });
      const reply = command('subscribe Xiaomi');
      show(`   /sanctions subscribe Xiaomi → ${reply.summary}`);
      show(`   /sanctions subscribe Hesai → ${command('subscribe Hesai').summary}`);

      copyFileSync(join(FIXTURES, 'ofac', 'sdn_2024-04-12_trimmed.csv'), list);
      copyFileSync(join(FIXTURES, 'pacer_rss', 'dcd_constructed_v2.xml'), feed);
      writeFederalRegisterAnswer(notices, ['2025-00070', '2021-13753']);
      show(
        "\n== Poll 2: the real SDN list of 2024-04-12, the DoD's 2025 edition of the 1260H list (90 FR 1105, read from the notice's text), and the court feed a day later ==",
      );
      show(
        '   (the bundled notices are trimmed copies of the 2021 and 2025 editions; the 2024 edition that first named Hesai is not among them, so its listing reads from the 2025 notice)',
      );
      const second = await poll();
      // The alerts reach the console the way they reach any channel: through the outbox.
      await app.dispatcher.drain(budget);
      const court = second.find((r) => r.source === 'pacer-dcd')!;
      show(
        `   (${court.items} new court entries; ${court.alerts.length} name a tracked or followed company, the other ${court.items - court.alerts.length} are stored without an alert)`,
      );

      show('\n== Poll 3: the same content again: nothing to say ==');
      const again = await poll();
      show(`   ${again.reduce((n, r) => n + r.alerts.length, 0)} alerts`);

      copyFileSync(join(FIXTURES, 'ofac', 'sdn_2024-05-04_EMPTY_download.csv'), list);
      show(
        '\n== Poll 4: an empty download (a real one, from 2024-05-04): held back, state kept ==',
      );
      await poll(['ofac-sdn']);
      await app.dispatcher.drain(budget);

      show(
        '\n== A lookup, as a user would type it: the answer says the SDN list is not current ==',
      );
      show(
        `   /sanctions lookup Hesai →\n${renderReplyText(command('lookup Hesai')).replace(/^(?=.)/gm, '   ')}`,
      );
      show(
        '\nNext: `npm start` polls the real sources; README.md says how to see a first alert in Slack.',
      );
      return 0;
    } finally {
      app.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The Federal Register's answer to the 1260H search on the day it listed only these notices, with
 * each notice's text at its bundled copy instead of on federalregister.gov.
 */
function writeFederalRegisterAnswer(path: string, numbers: string[]): void {
  const dir = join(FIXTURES, 'federal_register', 'dod_1260h');
  const all = JSON.parse(readFileSync(join(dir, 'documents_shaped.json'), 'utf8')) as {
    results: Record<string, unknown>[];
  };
  const results = all.results
    .filter((r) => numbers.includes(r.document_number as string))
    .map((r) => {
      const xml = r.raw_text_url === null;
      const file = join(dir, `${r.document_number as string}_shaped.${xml ? 'xml' : 'txt'}`);
      return { ...r, [xml ? 'full_text_xml_url' : 'raw_text_url']: pathToFileURL(file).href };
    });
  writeFileSync(path, JSON.stringify({ count: results.length, total_pages: 1, results }));
}
