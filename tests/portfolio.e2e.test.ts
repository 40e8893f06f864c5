// Portfolio watch end to end, on the real NS-CMIC rows of CONS_PRIM.CSV: a holdings file of real
// ISINs and names is imported into one channel; the import answers with the exposure found at
// once; a later list version adds one of the holdings, and exactly that channel gets the alert,
// by ISIN, with the dates that bind an investor.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { designationsByIdentifiers } from '../db/holdings.js';
import { queuedIndexingCount, queuedNeeds } from '../db/index-queue.js';
import { formatAlertText } from '../src/alerts/format-text.js';
import { runCommand } from '../src/commands/run.js';
import { indexQueued } from '../src/store/indexing.js';
import { addHoldingsReply } from '../src/commands/portfolio.js';
import type { Alert } from '../src/domain.js';
import { NameMatcher } from '../src/names/matcher.js';
import type { ExposureEntry } from '../src/portfolio/exposure.js';
import { parseHoldingsFile } from '../src/portfolio/holdings-file.js';
import { cleanEnv, runCli } from './helpers/cli.js';
import { fixture } from './helpers/fixtures.js';
import { createHarness, pollTestbed, source } from './helpers/poll-harness.js';

// Excel's export in much of Europe: a byte-order mark, semicolons, the exchange with the ticker.
const HOLDINGS =
  '\uFEFFSecurity Name;ISIN;Ticker;Weight\nChina Mobile Ltd;US16941M1099;CHL US;2,5\nApple Inc.;US0378331005;AAPL US;7,1\nChina Telecom Corp Ltd;;;1,0\nVnesheconombank;;;0,4\nBroken row;US0378331006;;0,1\n';

describe('portfolio watch', () => {
  const { server, h } = pollTestbed({ fresh: 'block', deps: { defaultChannels: ['console:ops'] } });
  const full = fixture('ofac/cons_prim.csv').toString('latin1');
  // The list before China Mobile Limited (ent 30923) was added: the same file without its row.
  const before = full
    .split('\r\n')
    .filter((l) => !l.startsWith('30923,'))
    .join('\r\n');
  const cfg = () =>
    source('ofac-cons', 'ofac-csv', server.url('/cons.csv'), { consolidated: true });

  it('reads a holdings file as teams export it', () => {
    const f = parseHoldingsFile(HOLDINGS);
    expect(f.columns).toEqual({ name: 'Security Name', isin: 'ISIN', ticker: 'Ticker' });
    expect(f.holdings[0]).toEqual({
      name: 'China Mobile Ltd',
      normalized: 'china mobile',
      isin: 'US16941M1099',
      ticker: 'CHL',
      exchange: 'US',
      lei: null,
      uscc: null,
    });
    expect(f.warnings).toEqual([
      'row 6: ISIN "US0378331006" fails its check digit; matched by its other columns only',
    ]);
    expect(f.holdings).toHaveLength(5);
  });

  it('refuses a holding it could never match: a generic name with no identifier', () => {
    // Several generic words may be a whole name: AVIC's is "Aviation Industry Corporation of China".
    const f = parseHoldingsFile(
      'Name;ISIN\nHoldings;\nAviation Industry Corporation of China;\n9187629;\nInvestments;US0378331005\n',
    );
    expect(f.holdings.map((x) => [x.name, x.isin])).toEqual([
      ['Aviation Industry Corporation of China', null],
      ['Investments', 'US0378331005'],
    ]);
    expect(f.warnings).toEqual([
      'row 2: "Holdings" has no identifier and no distinctive name to match; skipped',
      'row 4: "9187629" has no identifier and no distinctive name to match; skipped',
    ]);
    const ctx = {
      db: h.db,
      matcher: new NameMatcher(h.db),
      sources: [cfg()],
      channel: 'slack:CGEN',
    };
    for (const typed of ['Holdings', '9187629']) {
      expect(runCommand(`portfolio add ${typed}`, ctx)).toMatchObject({
        ok: false,
        summary: expect.stringMatching(
          /is not an ISIN, a ticker with its exchange \(CHL US\), or a company name distinctive enough to match/,
        ),
      });
    }
    expect(
      h.db.prepare("SELECT count(*) FROM holdings WHERE channel = 'slack:CGEN'").pluck().get(),
    ).toBe(0);
  });

  it('answers an import with the exposure at once, then alerts exactly the holding channel, by ISIN, with the dates', async () => {
    server.set('/cons.csv', { kind: 'body', body: Buffer.from(before, 'latin1') });
    expect((await h.poll(cfg())).status).toBe('baseline');
    const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [cfg()] };
    const imported = addHoldingsReply(
      { ...ctx, channel: 'slack:CPORT' },
      parseHoldingsFile(HOLDINGS).holdings,
      'Imported holdings.csv',
    );
    const exposure = (imported.data as { exposure: ExposureEntry[] }).exposure;
    // China Telecom is listed already (by name: the file gives no ISIN for it); China Mobile is not yet.
    expect(
      exposure
        .filter((e) => e.standing === 'listed')
        .map((e) => [e.holding.name, e.entity, e.matchedBy]),
    ).toEqual([['China Telecom Corp Ltd', 'CHINA TELECOM CORPORATION LIMITED', 'name']]);
    // VEB is not on this list itself; listed entries name it as "Linked To": linked, not listed.
    expect([
      ...new Set(exposure.filter((e) => e.standing === 'linked').map((e) => e.holding.name)),
    ]).toEqual(['Vnesheconombank']);
    expect(exposure.find((e) => e.standing === 'linked')!.because).toMatch(
      /^holding "Vnesheconombank" is named as Linked To of /,
    );
    expect(imported.summary).toMatch(
      /^Imported holdings\.csv: 5 holdings added\. 1 of this channel's 5 holdings is on a tracked list now; 1 linked to one/,
    );
    // Another team holds only Apple.
    expect(runCommand('portfolio add US0378331005', { ...ctx, channel: 'discord:777' }).ok).toBe(
      true,
    );

    server.set('/cons.csv', { kind: 'body', body: Buffer.from(full, 'latin1') });
    const r = await h.poll(cfg());
    const added = r.alerts.filter((a) => a.type === 'designation.added') as (Alert & {
      type: 'designation.added';
    })[];
    expect(added.map((a) => a.entity.name)).toEqual(['CHINA MOBILE LIMITED']);
    expect(added[0]!.channels).toEqual(['console:ops', 'slack:CPORT']);
    const reason = h.db
      .prepare('SELECT reason FROM deliveries WHERE alert_id = ? AND channel = ?')
      .pluck()
      .get(added[0]!.id, 'slack:CPORT');
    expect(reason).toBe('holding US16941M1099 matched ISIN');
    expect(formatAlertText(added[0]!)).toMatch(
      /purchases barred from 2021-08-02; divestment allowed until 2022-06-03/,
    );

    // The report now: China Mobile listed by ISIN, with its dates and link.
    const report = runCommand('portfolio', { ...ctx, channel: 'slack:CPORT' });
    expect(report.visibility).toBe('private');
    const now = (report.data as { exposure: ExposureEntry[] }).exposure.find(
      (e) => e.holding.isin === 'US16941M1099',
    )!;
    expect(now).toMatchObject({
      entity: 'CHINA MOBILE LIMITED',
      list: 'NS-CMIC',
      standing: 'listed',
      matchedBy: 'ISIN',
      effectiveOn: '2021-08-02',
      divestBy: '2022-06-03',
      listedOn: '2021-06-03',
      url: expect.stringMatching(/^https:\/\/sanctionssearch\.ofac\.treas\.gov\//),
    });
    // A large portfolio is matched in bulk (one index of every name): the same answer.
    const padding = Array.from({ length: 150 }, (_, i) => `Unlisted Widget Maker ${i} Inc;;`).join(
      '\n',
    );
    addHoldingsReply(
      { ...ctx, channel: 'slack:CBIG' },
      parseHoldingsFile(`${HOLDINGS}${padding}\n`).holdings,
      'Imported big.csv',
    );
    const big = (
      runCommand('portfolio', { ...ctx, channel: 'slack:CBIG' }).data as {
        exposure: ExposureEntry[];
      }
    ).exposure;
    const small = (report.data as { exposure: ExposureEntry[] }).exposure;
    const view = (x: ExposureEntry[]) =>
      x.map((e) => [e.holding.name ?? e.holding.isin, e.entity, e.standing, e.matchedBy]).sort();
    expect(view(big)).toEqual(view(small));
    // The report ends with what the channel holds, with the ids `portfolio remove` takes.
    const held = report.sections.find((s) => s.title === "This channel's holdings (5)")!;
    expect(held.lines[0]).toBe('#1 China Mobile Ltd · US16941M1099 · CHL US');
    expect((report.data as { held: { id: number }[] }).held.map((x) => x.id)).toEqual([
      1, 2, 3, 4, 5,
    ]);
    expect(imported.sections.some((s) => s.title.startsWith("This channel's holdings"))).toBe(
      false,
    );
    expect(
      runCommand('portfolio remove US16941M1099', { ...ctx, channel: 'slack:CPORT' }).summary,
    ).toMatch(/^Removed 1 holding/);
    expect(runCommand('portfolio remove #2', { ...ctx, channel: 'slack:CPORT' }).summary).toMatch(
      /^Removed 1 holding/,
    );
    expect(
      runCommand('portfolio add US0378331006', { ...ctx, channel: 'slack:CPORT' }),
    ).toMatchObject({ ok: false, summary: expect.stringMatching(/check digit is wrong/) });
  });

  it('after an upgrade, the unchanged list is read once more: records learn their identifiers, nothing alerts', async () => {
    const u = createHarness({ defaultChannels: ['console:ops'] });
    try {
      server.set('/cons.csv', { kind: 'body', body: fixture('ofac/cons_prim.csv') });
      await u.poll(cfg());
      // As a database of the previous version holds it, once migration 008 has run.
      u.db
        .prepare(
          "UPDATE designations SET record = json_remove(record, '$.identifiers', '$.effectiveOn', '$.divestBy', '$.linkedTo')",
        )
        .run();
      u.db.exec(
        'DELETE FROM designation_identifiers; UPDATE designations SET print = NULL; UPDATE sources SET content_hash = NULL; DELETE FROM source_validators;',
      );
      const r = await u.pollOnly(cfg());
      expect(r).toMatchObject({
        status: 'unchanged',
        added: 0,
        removed: 0,
        amended: 0,
        alerts: [],
      });
      expect(
        u.db
          .prepare(
            "SELECT json_extract(record, '$.divestBy') FROM designations WHERE key = '30923'",
          )
          .pluck()
          .get(),
      ).toBe('2022-06-03');
      // Queued by the poll, written just after it (as the daemon does).
      expect(queuedIndexingCount(u.db)).toBeGreaterThan(0);
      indexQueued(u.db);
      expect(
        u.db
          .prepare(
            "SELECT count(*) FROM designation_identifiers WHERE type = 'ISIN' AND value = 'US16941M1099'",
          )
          .pluck()
          .get(),
      ).toBe(1);
    } finally {
      u.close();
    }
  });

  it('an identifier added to a listed entry (an amendment) is found by its holding; an amended address leaves the index alone', async () => {
    const u = createHarness({ defaultChannels: ['console:ops'] });
    try {
      server.set('/cons.csv', { kind: 'body', body: fixture('ofac/cons_prim.csv') });
      await u.poll(cfg());
      const indexed = (value: string) =>
        designationsByIdentifiers(u.db, 'ISIN', [value]).get(value) ?? [];
      indexQueued(u.db);
      expect(indexed('US0378331005')).toEqual([]);
      // China Mobile Limited's row (30923) gains an ISIN in its remarks: an amendment of identifiers.
      const amended = full
        .split('\r\n')
        .map((l) =>
          l.startsWith('30923,')
            ? l.replace('ISIN US16941M1099;', 'ISIN US16941M1099; alt. ISIN US0378331005;')
            : l,
        )
        .join('\r\n');
      expect(amended).not.toBe(full);
      server.set('/cons.csv', { kind: 'body', body: Buffer.from(amended, 'latin1') });
      const r = await u.pollOnly(cfg());
      expect(r).toMatchObject({ status: 'changed', amended: 1 });
      const alert = r.alerts[0]!;
      expect(alert.type === 'designation.amended' && alert.fields!.map((f) => f.field)).toEqual([
        'remarks',
        'identifiers',
      ]);
      const id = u.db.prepare("SELECT id FROM designations WHERE key = '30923'").pluck().get();
      // Queued by the poll for its identifiers only (its names did not change), written after it.
      expect(queuedNeeds(u.db)).toEqual([{ id, names: false, identifiers: true }]);
      expect(indexed('US0378331005')).toEqual([]);
      expect(indexQueued(u.db)).toBe(1);
      expect(indexed('US0378331005')).toEqual([id]);
      expect(indexed('US16941M1099')).toEqual([id]);
      // A remark edit that touches no identifier (its listing date) is an amendment the index does not hear of.
      // A mark on its index rows: a re-index would write them anew, without it.
      u.db
        .prepare(
          "UPDATE designation_identifiers SET exchange = 'mark' WHERE designation_id = ? AND type = 'ISIN'",
        )
        .run(id);
      const rows = () =>
        u.db
          .prepare(
            'SELECT type, value, exchange FROM designation_identifiers WHERE designation_id = ? ORDER BY rowid',
          )
          .all(id);
      const stored = rows();
      const relisted = amended
        .split('\r\n')
        .map((l) =>
          l.startsWith('30923,')
            ? l.replace('Listing Date (CMIC) 03 Jun 2021', 'Listing Date (CMIC) 04 Jun 2021')
            : l,
        )
        .join('\r\n');
      server.set('/cons.csv', { kind: 'body', body: Buffer.from(relisted, 'latin1') });
      const again = await u.poll(cfg());
      expect(again.alerts[0]).toMatchObject({
        type: 'designation.amended',
        fields: [{ field: 'listedOn' }, { field: 'remarks' }],
      });
      expect(queuedIndexingCount(u.db)).toBe(0);
      expect(rows()).toEqual(stored);
    } finally {
      u.close();
    }
  });

  it('a large portfolio matched in bulk hears of a name listed since its last report (the kept name index follows the list)', async () => {
    const u = createHarness({ defaultChannels: ['console:ops'] });
    try {
      server.set('/cons.csv', { kind: 'body', body: Buffer.from(before, 'latin1') });
      await u.poll(cfg());
      const ctx = {
        db: u.db,
        matcher: new NameMatcher(u.db),
        sources: [cfg()],
        channel: 'slack:CBULK',
      };
      const padding = Array.from({ length: 150 }, (_, i) => `Unlisted Widget Maker ${i} Inc`).join(
        '\n',
      );
      addHoldingsReply(
        ctx,
        parseHoldingsFile(`Name\nChina Mobile Ltd\n${padding}\n`).holdings,
        'Imported',
      );
      const mobile = () =>
        (runCommand('portfolio', ctx).data as { exposure: ExposureEntry[] }).exposure
          .filter(
            (e) => e.holding.name === 'China Mobile Ltd' && e.entity === 'CHINA MOBILE LIMITED',
          )
          .map((e) => [e.entity, e.standing, e.matchedBy]);
      expect(mobile()).toEqual([]);
      server.set('/cons.csv', { kind: 'body', body: fixture('ofac/cons_prim.csv') });
      expect(await u.poll(cfg())).toMatchObject({ added: 1 });
      expect(mobile()).toEqual([['CHINA MOBILE LIMITED', 'listed', 'name']]);
    } finally {
      u.close();
    }
  });

  it('imports from the command line, with --json exposure', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sr-portfolio-'));
    try {
      const file = join(dir, 'holdings.csv');
      writeFileSync(file, HOLDINGS);
      const sources = join(dir, 'sources.json');
      writeFileSync(
        sources,
        JSON.stringify({
          sources: [
            { id: 'ofac-cons', kind: 'ofac-csv', consolidated: true, url: server.url('/cons.csv') },
          ],
        }),
      );
      const db = join(dir, 'radar.db');
      const env = cleanEnv({ LOG_LEVEL: 'error' });
      server.set('/cons.csv', { kind: 'body', body: fixture('ofac/cons_prim.csv') });
      expect((await runCli(['poll', '--sources', sources, '--db', db], env)).code).toBe(0);
      const r = await runCli(
        [
          'portfolio',
          'import',
          file,
          '--channel',
          'console:desk',
          '--json',
          '--sources',
          sources,
          '--db',
          db,
        ],
        env,
      );
      expect(r.code).toBe(0);
      const out = JSON.parse(r.stdout) as { added: number; exposure: ExposureEntry[] };
      expect(out.added).toBe(5);
      expect(out.exposure.find((e) => e.holding.isin === 'US16941M1099')).toMatchObject({
        standing: 'listed',
        matchedBy: 'ISIN',
        divestBy: '2022-06-03',
      });
      const missing = await runCli(
        ['portfolio', 'import', join(dir, 'nope.csv'), '--channel', 'console:desk', '--db', db],
        env,
      );
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/nope\.csv cannot be read \(ENOENT\)/);

      // A channel's holdings limit: a larger file is refused unread past it, an addition that
      // would pass it adds nothing, and says how many the channel holds.
      const small = { ...env, SANCTIONS_RADAR_MAX_HOLDINGS: '6' };
      const rows = (n: number, from = 0) =>
        `Name,ISIN\n${Array.from({ length: n }, (_, i) => `Holding ${from + i} Shipbuilding Works,`).join('\n')}\n`;
      writeFileSync(join(dir, 'seven.csv'), rows(7));
      const seven = await runCli(
        ['portfolio', 'import', join(dir, 'seven.csv'), '--channel', 'console:limit', '--db', db],
        small,
      );
      expect(seven.code).toBe(2);
      expect(seven.stderr).toMatch(
        /the file holds more than 6 rows, and a channel holds at most 6 holdings \(SANCTIONS_RADAR_MAX_HOLDINGS\)/,
      );
      writeFileSync(join(dir, 'four.csv'), rows(4));
      expect(
        (
          await runCli(
            [
              'portfolio',
              'import',
              join(dir, 'four.csv'),
              '--channel',
              'console:limit',
              '--db',
              db,
            ],
            small,
          )
        ).code,
      ).toBe(0);
      writeFileSync(join(dir, 'three.csv'), rows(3, 10));
      const over = await runCli(
        ['portfolio', 'import', join(dir, 'three.csv'), '--channel', 'console:limit', '--db', db],
        small,
      );
      expect(over.code).toBe(2);
      expect(over.stderr).toMatch(
        /nothing added\. This channel holds 4 holdings, and 3 more would pass its limit of 6/,
      );
      // Re-importing what it holds adds nothing new, so it is not over the limit.
      expect(
        (
          await runCli(
            [
              'portfolio',
              'import',
              join(dir, 'four.csv'),
              '--channel',
              'console:limit',
              '--db',
              db,
            ],
            small,
          )
        ).code,
      ).toBe(0);
      expect(
        (
          await runCli(
            ['portfolio', 'add', 'US0378331005', '--channel', 'console:limit', '--db', db],
            small,
          )
        ).code,
      ).toBe(0);
      expect(
        (
          await runCli(
            ['portfolio', 'add', 'US5949181045', '--channel', 'console:limit', '--db', db],
            small,
          )
        ).code,
      ).toBe(0);
      const seventh = await runCli(
        ['portfolio', 'add', 'US02079K3059', '--channel', 'console:limit', '--db', db],
        small,
      );
      expect(seventh.code).toBe(2);
      expect(seventh.stderr).toMatch(
        /This channel holds 6 holdings, and 1 more would pass its limit of 6/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
