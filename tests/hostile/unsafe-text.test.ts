// Terminal escapes (ESC, BEL) and bidirectional overrides (RLO) from a holdings file, or stored by
// an older version in an alert, reach no terminal, Slack or Discord message; a channel named with
// control characters, or not a channel at all, is refused.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createConsoleAdapter } from '../../adapters/console/console-adapter.js';
import { alertEmbed } from '../../adapters/discord/embeds.js';
import { replyData } from '../../adapters/discord/reply-embeds.js';
import { alertMessage } from '../../adapters/slack/alert-blocks.js';
import { replyMessage } from '../../adapters/slack/reply-blocks.js';
import { formatAlertText } from '../../src/alerts/format-text.js';
import { renderReplyText } from '../../src/commands/render-text.js';
import { runCommand } from '../../src/commands/run.js';
import type { Alert } from '../../src/domain.js';
import { NameMatcher } from '../../src/names/matcher.js';
import { parseHoldingsFile } from '../../src/portfolio/holdings-file.js';
import { cleanDeep } from '../../src/text/clean.js';
import { cleanEnv, runCli } from '../helpers/cli.js';
import { evalIndex } from '../helpers/matching-eval.js';
import type { Harness } from '../helpers/poll-harness.js';

// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const ESC = '\u001b[31m';
const BEL = '\u0007';
const RLO = '\u202e';

describe('text that would steer a terminal or reorder what a reader sees', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await evalIndex();
  });
  afterAll(() => h.close());

  it('a holdings file: names are stored without control or bidi characters, and the report shows none', () => {
    const file = `Name,ISIN\n${ESC}Hesai Technology${BEL},\nChina Mobile ${RLO}dtL,US16941M1099\n`;
    const parsed = parseHoldingsFile(file);
    expect(parsed.holdings.map((x) => x.name)).toEqual(['Hesai Technology', 'China Mobile dtL']);
    const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [], channel: 'console:desk' };
    runCommand('portfolio add US16941M1099', ctx);
    h.db
      .prepare(
        "INSERT INTO holdings (channel, name, normalized, created_at) VALUES ('console:desk', ?, 'hesai technology', '2026-01-01')",
      )
      .run(`${ESC}Hesai${BEL} Technology${RLO}`);
    const report = runCommand('portfolio', ctx);
    expect(renderReplyText(report)).not.toMatch(UNSAFE);
    expect(JSON.stringify(replyMessage(report))).not.toMatch(UNSAFE);
    expect(JSON.stringify(replyData(report))).not.toMatch(UNSAFE);
  });

  it('an alert stored by an older version with such characters is rendered without them everywhere', async () => {
    const record = {
      key: '1',
      list: 'SDN',
      name: `EVIL ${ESC}CORP${BEL}`,
      aliases: [`${RLO}gpj.exe`],
      type: 'entity',
      programs: ['SDGT'],
      countries: [],
      addresses: [],
      listedOn: null,
      citation: null,
      url: 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=1',
      remarks: `a${ESC}b`,
    };
    const alert: Alert = {
      id: 1,
      type: 'designation.added',
      source: 'ofac-sdn',
      sourceLabel: `OFAC${BEL}`,
      detectedAt: '2024-04-12T14:00:00.000Z',
      channels: ['console:x'],
      list: 'SDN',
      entity: { key: '1', name: record.name, aliases: record.aliases, programs: record.programs },
      record,
    };
    const item = { alert, reason: `holding ${ESC}X matched` };
    expect(formatAlertText(alert)).toMatch(UNSAFE);
    for (const json of [false, true]) {
      const lines: string[] = [];
      await createConsoleAdapter({
        json,
        mode: 'start',
        write: async (l) => void lines.push(l),
      }).deliver('x', [item]);
      expect(lines.join('\n')).toMatch(/EVIL CORP/);
      expect(lines.join('\n'), `json ${json}`).not.toMatch(UNSAFE);
      expect(lines.join('\n')).not.toMatch(/\\u001b|\\u202e/i);
    }
    // Slack and Discord send these.
    expect(JSON.stringify(cleanDeep(alertMessage(item)))).not.toMatch(UNSAFE);
    expect(JSON.stringify(cleanDeep(alertEmbed(item)))).not.toMatch(UNSAFE);
    expect(JSON.stringify(alertMessage(item))).not.toMatch(/\\u001b|\\u0007|\u202e/);
  });

  it('portfolio import and the chat verbs refuse a --channel that is no channel, or carries control characters', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sr-unsafe-'));
    try {
      const file = join(dir, 'h.csv');
      writeFileSync(file, 'ISIN\nUS16941M1099\n');
      const env = cleanEnv({ LOG_LEVEL: 'error' });
      for (const channel of [
        'bogus',
        `console:desk${BEL}`,
        'console:desk\u001b[2J',
        'nowhere:desk',
      ]) {
        for (const args of [['portfolio', 'import', file], ['subscriptions']]) {
          const r = await runCli([...args, '--channel', channel, '--db', join(dir, 'r.db')], env);
          expect(r.code, `${args[0]} ${JSON.stringify(channel)}`).toBe(2);
          expect(r.stderr).toMatch(
            /^sanctions-radar: --channel ".*" is not a channel; use console:<name>, slack:<channel id>, discord:<channel id>/,
          );
          expect(r.stderr).not.toMatch(UNSAFE);
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
