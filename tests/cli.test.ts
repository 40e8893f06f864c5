// The CLI contract, through the real binary in a child process.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from './helpers/cli.js';
import { FeedServer } from './helpers/feed-server.js';
import { fixture } from './helpers/fixtures.js';

describe('sanctions-radar CLI', () => {
  const server = new FeedServer();
  let dir: string;
  let sources: string;
  let db: string;
  beforeAll(async () => {
    await server.start();
    dir = mkdtempSync(join(tmpdir(), 'sr-cli-'));
    sources = join(dir, 'sources.json');
    db = join(dir, 'radar.db');
    writeFileSync(
      sources,
      JSON.stringify({
        sources: [
          { id: 'ofac-sdn', kind: 'ofac-csv', url: server.url('/sdn.csv'), label: 'OFAC SDN' },
          { id: 'court', kind: 'rss', url: server.url('/court.xml'), schedule: '*/15 * * * *' },
        ],
      }),
    );
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    server.set('/court.xml', { kind: 'status', status: 502 });
  });
  afterAll(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('poll --json: baseline, then one JSON object per alert on stdout, logs on stderr', async () => {
    const env = cleanEnv();
    const first = await runCli(['poll', '--json', '--sources', sources, '--db', db], env);
    expect(first.code).toBe(0);
    const health = first.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(health).toEqual([
      expect.objectContaining({
        type: 'source.health',
        source: 'court',
        status: 'failing',
        reason: expect.stringMatching(/HTTP 502/),
        channels: ['console:default'],
      }),
    ]);
    const logLines = first.stderr
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    const polls = logLines.filter((l) => l.msg === 'poll');
    expect(polls.map((p) => [p.source, p.status])).toEqual([
      ['ofac-sdn', 'baseline'],
      ['court', 'failing'],
    ]);
    expect(polls[0]).toMatchObject({ records: 123, durationMs: expect.any(Number) });
    // The baseline's names and identifiers are written after the poll, before the command exits.
    expect(logLines.find((l) => l.msg === 'names and identifiers indexed')).toMatchObject({
      designations: 123,
      durationMs: expect.any(Number),
    });

    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-12_trimmed.csv') });
    const second = await runCli(
      ['poll', '--json', '--source', 'ofac-sdn', '--sources', sources, '--db', db],
      env,
    );
    expect(second.code).toBe(0);
    expect(
      second.stderr
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l))
        .find((l) => l.msg === 'names and identifiers indexed'),
    ).toMatchObject({ designations: 4 });
    const alerts = second.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(alerts.map((a) => a.type).sort()).toEqual([
      'designation.added',
      'designation.added',
      'designation.added',
      'designation.added',
      'designation.amended',
      'designation.removed',
      'designation.removed',
    ]);
    const amended = alerts.find((a) => a.type === 'designation.amended');
    expect(amended).toMatchObject({
      source: 'ofac-sdn',
      list: 'SDN',
      fields: ['remarks'],
      entity: {
        key: '46788',
        name: 'PERETYATKO, Ruslan Aleksandrovich',
        aliases: [],
        programs: ['CYBER2'],
      },
      channels: ['console:default'],
      detectedAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });

    const third = await runCli(
      ['poll', '--json', '--source', 'ofac-sdn', '--sources', sources, '--db', db],
      env,
    );
    expect(third.stdout).toBe('');
  });

  it('poll prints one changeset line when a poll changes more than SANCTIONS_RADAR_MAX_LIST_ALERTS', async () => {
    const capped = join(dir, 'capped.db');
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    await runCli(
      ['poll', '--sources', sources, '--db', capped, '--source', 'ofac-sdn'],
      cleanEnv(),
    );
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-12_trimmed.csv') });
    const r = await runCli(
      ['poll', '--sources', sources, '--db', capped, '--source', 'ofac-sdn'],
      cleanEnv({ LOG_LEVEL: 'error', SANCTIONS_RADAR_MAX_LIST_ALERTS: '5' }),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d CHANGESET OFAC SDN: 7 changes to SDN in one poll \(4 added, 2 removed, 1 amended\); e\.g\. .+ More than 5 list changes .+\n$/,
    );
  });

  it('poll without --json prints one readable line per alert', async () => {
    const other = join(dir, 'other.db');
    await runCli(['poll', '--sources', sources, '--db', other, '--source', 'ofac-sdn'], cleanEnv());
    server.set('/sdn.csv', {
      kind: 'body',
      body: fixture('ofac/sdn_2024-05-04_EMPTY_download.csv'),
    });
    const r = await runCli(
      ['poll', '--sources', sources, '--db', other, '--source', 'ofac-sdn'],
      cleanEnv({ LOG_LEVEL: 'error' }),
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d SOURCE FAILING ofac-sdn: the OFAC primary file is empty \(0 bytes of data\)\n$/,
    );
    // For a CI check or a cron monitor: the same poll, exit 1, naming the source.
    const strict = await runCli(
      ['poll', '--strict', '--sources', sources, '--db', other, '--source', 'ofac-sdn'],
      cleanEnv({ LOG_LEVEL: 'error' }),
    );
    expect([strict.code, strict.stderr.split('\n').at(-2)]).toEqual([
      1,
      'sanctions-radar: --strict: 1 of 1 source(s) not current: ofac-sdn (failing)',
    ]);
    expect(
      (await runCli(['sources', '--strict', '--sources', sources, '--db', other], cleanEnv())).code,
    ).toBe(2);
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-12_trimmed.csv') });
  });

  it('demo replays the bundled lists and feed, then a lookup that says the failing list is not current', async () => {
    const r = await runCli(['demo'], cleanEnv({ LOG_LEVEL: 'error' }));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = r.stdout;
    expect(out).toMatch(/ofac-sdn: baseline, 123 records/);
    expect(out.match(/ ADDED to SDN: /g)).toHaveLength(4);
    expect(out.match(/ REMOVED from SDN: /g)).toHaveLength(2);
    expect(out.match(/ COURT DCD /g)).toHaveLength(3);
    // The 1260H list read from the Federal Register notice's text, a followed company with its citation, and its court entry.
    expect(out).toMatch(
      / ADDED to DoD 1260H: Hesai Technology Co\., Ltd\. listed 2025-01-07 \(90 FR 1105 /,
    );
    expect(out).toMatch(
      / COURT DCD 1:24-cv-02003 HESAI GROUP et al v\. DEPARTMENT OF DEFENSE et al — \[Memorandum & Opinion\]/,
    );
    expect(out).toMatch(/SOURCE FAILING ofac-sdn: the OFAC primary file is empty/);
    expect(out).toMatch(
      /1 match for "Hesai" across the 2 tracked lists \(as of .+ UTC; not current: ofac-sdn\)/,
    );
    expect(out).toMatch(
      /\(ofac-sdn\): SDN as of .+ UTC; its polls fail: the OFAC primary file is empty/,
    );
    expect(out).toMatch(/Hesai Technology Co\., Ltd\./);
  }, 60_000);

  it("sources shows each source's last poll, success, records, ETag and error", async () => {
    const r = await runCli(['sources', '--json', '--sources', sources, '--db', db], cleanEnv());
    expect(r.code).toBe(0);
    const rows = r.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(rows[0]).toMatchObject({
      id: 'ofac-sdn',
      status: 'ok',
      records: 125,
      etag: expect.stringMatching(/^"/),
      lastError: null,
      configured: true,
    });
    expect(rows[1]).toMatchObject({
      id: 'court',
      status: 'failing',
      lastSuccessAt: null,
      lastError: expect.stringMatching(/HTTP 502/),
    });
    const text = await runCli(['sources', '--sources', sources, '--db', db], cleanEnv());
    expect(text.stdout.split('\n')[0]).toBe(
      'SOURCE\tSTATUS\tRECORDS\tLAST POLL\tLAST SUCCESS\tETAG\tLAST ERROR',
    );
    expect(text.stdout).not.toMatch(/NOT CONFIGURED/);

    // Under a configuration without the SDN source, its entries are still there and still searched.
    const courtOnly = join(dir, 'court-only.json');
    writeFileSync(
      courtOnly,
      JSON.stringify({ sources: [{ id: 'court', kind: 'rss', url: server.url('/court.xml') }] }),
    );
    const other = await runCli(['sources', '--sources', courtOnly, '--db', db], cleanEnv());
    expect(other.stdout).toMatch(
      /\nNOT CONFIGURED\tofac-sdn\t125 entries on SDN as of \d{4}-\d\d-\d\dT[\d:.]+Z\tstill searched by lookups; not polled under this configuration\n/,
    );
    const otherJson = (
      await runCli(['sources', '--json', '--sources', courtOnly, '--db', db], cleanEnv())
    ).stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(otherJson.map((o) => o.id)).toEqual(['court', 'ofac-sdn']);
    expect(otherJson[1]).toMatchObject({ configured: false, lists: ['SDN'], records: 125 });
    expect(otherJson[0]).toMatchObject({ id: 'court', configured: true });
  });

  it('sources accept applies a held shrink', async () => {
    const acc = join(dir, 'accept.db');
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    await runCli(['poll', '--sources', sources, '--db', acc, '--source', 'ofac-sdn'], cleanEnv());
    const lines = fixture('ofac/sdn_2024-04-04_trimmed.csv').toString('latin1').split('\r\n');
    server.set('/sdn.csv', {
      kind: 'body',
      body: Buffer.from(`${lines.slice(0, 50).join('\r\n')}\r\n\x1a`, 'latin1'),
    });
    const held = await runCli(
      ['poll', '--json', '--sources', sources, '--db', acc, '--source', 'ofac-sdn'],
      cleanEnv(),
    );
    expect(JSON.parse(held.stdout)).toMatchObject({ type: 'source.health', status: 'held' });
    const accepted = await runCli(
      ['sources', 'accept', 'ofac-sdn', '--json', '--sources', sources, '--db', acc],
      cleanEnv(),
    );
    expect(accepted.code).toBe(0);
    const out = accepted.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(out.filter((a) => a.type === 'designation.removed')).toHaveLength(73);
    expect(out[0]).toMatchObject({ type: 'source.health', status: 'recovered' });
    // `sources ID` lists every change of that poll, as text and JSON.
    const text = await runCli(
      ['sources', 'ofac-sdn', '--sources', sources, '--db', acc],
      cleanEnv({ LOG_LEVEL: 'error' }),
    );
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(
      /^OFAC SDN \(ofac-sdn\): ok, \d+ records\. Its latest change, [\d-]+ [\d:]+ UTC: 73 \(73 removed\)\./,
    );
    expect(
      text.stdout.split('\n').filter((l) => /^\s+removed: .+ \(SDN, key \d+\)$/.test(l)),
    ).toHaveLength(73);
    const json = await runCli(
      ['sources', 'ofac-sdn', '--json', '--sources', sources, '--db', acc],
      cleanEnv({ LOG_LEVEL: 'error' }),
    );
    const detail = JSON.parse(json.stdout);
    expect(detail.latestChanges).toMatchObject({
      total: 73,
      counts: { added: 0, removed: 73, amended: 0 },
    });
    expect(detail.latestChanges.changes).toHaveLength(73);
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-12_trimmed.csv') });
  });

  it('lookup, subscribe and subscriptions on the command line, as text and JSON', async () => {
    const env = cleanEnv({ LOG_LEVEL: 'error' });
    const args = ['--sources', sources, '--db', db];
    const look = await runCli(['lookup', 'Peretyatko Ruslan', '--json', ...args], env);
    expect(look.code).toBe(0);
    const data = JSON.parse(look.stdout);
    expect(data).toMatchObject({ verb: 'lookup', ok: true, query: 'Peretyatko Ruslan' });
    expect(data.results[0]).toMatchObject({
      name: 'PERETYATKO, Ruslan Aleksandrovich',
      listings: [{ list: 'SDN', current: true }],
    });
    expect(data.results[0].lastChanges[0]).toMatchObject({
      type: 'designation.amended',
      fields: ['remarks'],
    });

    const sub = await runCli(
      ['subscribe', 'Integral Inzenjering', '--channel', 'slack:C0123', ...args],
      env,
    );
    expect(sub.code).toBe(0);
    expect(sub.stdout).toMatch(
      /now follows "Integral Inzenjering" \(subscription #1\)\. It matches 1 entity now \(0 currently listed\)/,
    );
    const list = await runCli(
      ['subscribe', '--list', 'SDN', '--channel', 'slack:C0123', ...args],
      env,
    );
    expect(list.stdout).toMatch(/now follows the SDN list/);
    const subs = await runCli(
      ['subscriptions', '--channel', 'slack:C0123', '--json', ...args],
      env,
    );
    expect(JSON.parse(subs.stdout).subscriptions.map((s: { target: unknown }) => s.target)).toEqual(
      [
        { kind: 'entity', value: 'Integral Inzenjering' },
        { kind: 'list', value: 'SDN' },
      ],
    );
    const removed = await runCli(['lookup', 'INTEGRAL INZENJERING', ...args], env);
    expect(removed.stdout).toMatch(/Removed from: SDN · removed \d{4}-\d\d-\d\d · BALKANS-EO14033/);
    const bad = await runCli(['lookup', 'china', ...args], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/too generic/);
    const badChannel = await runCli(['subscriptions', '--channel', '#general', ...args], env);
    expect(badChannel.code).toBe(2);
    expect(badChannel.stderr).toMatch(/--channel "#general" is not a channel/);
  });

  it.each([
    [['frobnicate'], /unknown command "frobnicate"/],
    [['poll', '--bogus'], /Unknown option '--bogus'/],
    [['poll', '--source', 'nope'], /unknown source nope/],
    [['sources', 'accept'], /usage: sanctions-radar sources \[ID \| accept ID \| forget ID\]/],
    [['sources', 'forget'], /usage: sanctions-radar sources \[ID \| accept ID \| forget ID\]/],
    [['sources', 'nope'], /No source "nope"\. Sources: ofac-sdn/],
  ])('exits 2 with a one-line reason on bad usage: %j', async (args, message) => {
    const r = await runCli(
      [...args, '--sources', sources, '--db', join(dir, 'usage.db')],
      cleanEnv(),
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  });

  it('exits 2 naming the mistake in a bad sources file or environment', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        sources: [
          { id: 'x', kind: 'ofac-pdf', url: 'ftp://x' },
          { id: 'y', kind: 'csv', url: 'https://example.org/a.csv' },
        ],
      }),
    );
    const r = await runCli(['poll', '--sources', bad, '--db', join(dir, 'c.db')], cleanEnv());
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/source #1 \("x"\): "kind" must be one of/);
    expect(r.stderr).toMatch(/source #2 \("y"\): needs "columns"/);
    const e = await runCli(
      ['poll', '--sources', sources, '--db', join(dir, 'c.db')],
      cleanEnv({ SANCTIONS_RADAR_MAX_SHRINK: 'lots' }),
    );
    expect(e.code).toBe(2);
    expect(e.stderr).toMatch(/SANCTIONS_RADAR_MAX_SHRINK=lots is not valid/);
  });

  it('refuses alert channels no platform serves, and reports alerts already queued for one', async () => {
    const noSlack = await runCli(
      ['poll', '--sources', sources, '--db', join(dir, 'u.db')],
      cleanEnv({ SANCTIONS_RADAR_ALERT_CHANNELS: 'slack:C0123456789' }),
    );
    expect(noSlack.code).toBe(2);
    expect(noSlack.stderr).toMatch(
      /SANCTIONS_RADAR_ALERT_CHANNELS has slack:C0123456789, but slack is not configured: set SLACK_BOT_TOKEN/,
    );
    const webhook = await runCli(
      ['poll', '--sources', sources, '--db', join(dir, 'u.db')],
      cleanEnv({ SANCTIONS_RADAR_ALERT_CHANNELS: 'webhook:ops' }),
    );
    expect(webhook.code).toBe(2);
    expect(webhook.stderr).toMatch(
      /SANCTIONS_RADAR_ALERT_CHANNELS has webhook:ops, but webhook is not configured: set SANCTIONS_RADAR_WEBHOOK_<NAME>_URL/,
    );
    const pager = await runCli(
      ['poll', '--sources', sources, '--db', join(dir, 'u.db')],
      cleanEnv({ SANCTIONS_RADAR_ALERT_CHANNELS: 'pager:ops' }),
    );
    expect(pager.code).toBe(2);
    expect(pager.stderr).toMatch(
      /there is no "pager" platform; platforms: console, slack, discord, webhook, teams, email/,
    );

    // A Slack channel subscribed from the command line, on a machine without the Slack token.
    const u = join(dir, 'u.db');
    const args = ['--sources', sources, '--db', u];
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    await runCli(['poll', '--source', 'ofac-sdn', ...args], cleanEnv());
    expect(
      (
        await runCli(
          ['subscribe', '--list', 'SDN', '--channel', 'slack:C0123456789', ...args],
          cleanEnv(),
        )
      ).code,
    ).toBe(0);
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-12_trimmed.csv') });
    try {
      await runCli(['poll', '--source', 'ofac-sdn', ...args], cleanEnv());
    } finally {
      server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    }
    const report = await runCli(['sources', ...args], cleanEnv());
    expect(report.stdout).toMatch(
      /UNDELIVERABLE\tslack:C0123456789\t7 waiting since \S+\tslack is not configured here \(set SLACK_BOT_TOKEN\)/,
    );
    const subs = await runCli(
      ['subscriptions', '--channel', 'slack:C0123456789', '--json', ...args],
      cleanEnv(),
    );
    expect(JSON.parse(subs.stdout)).toMatchObject({
      undeliverable: { channel: 'slack:C0123456789', pending: 7 },
    });
  });

  it('a read of a database that does not exist is refused, and creates nothing; a subscription may come first', async () => {
    const missing = join(dir, 'typo', 'radr.db');
    const env = cleanEnv({ LOG_LEVEL: 'error' });
    for (const args of [
      ['lookup', 'Huawei'],
      ['history', 'Huawei'],
      ['subscriptions'],
      ['unsubscribe', 'Huawei'],
      ['backup', join(dir, 'b.db')],
    ]) {
      const r = await runCli([...args, '--sources', sources, '--db', missing], env);
      expect(r.code, args[0]).toBe(2);
      expect(r.stderr.split('\n')[0], args[0]).toBe(
        `sanctions-radar: no database at ${missing}: run \`sanctions-radar poll\` or \`start\` first, or give --db FILE`,
      );
      expect(r.stdout).toBe('');
    }
    // `sources` lists the configured sources, none polled yet, and creates nothing either.
    const listed = await runCli(['sources', '--json', '--sources', sources, '--db', missing], env);
    expect(listed.code).toBe(0);
    expect(
      listed.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).status),
    ).toEqual(['new', 'new']);
    expect(existsSync(join(dir, 'typo'))).toBe(false);
    expect(existsSync(join(dir, 'b.db'))).toBe(false);
    const sub = await runCli(
      ['subscribe', 'Xiaomi', '--channel', 'slack:C0123', '--sources', sources, '--db', missing],
      env,
    );
    expect(sub.code).toBe(0);
    expect(existsSync(missing)).toBe(true);
    // The file exists now, but no list is in it: still no answer, and not a success.
    const look = await runCli(['lookup', 'Xiaomi', '--sources', sources, '--db', missing], env);
    expect(look.code).toBe(2);
    expect(look.stdout).toBe('');
    expect(look.stderr).toMatch(
      /^No list has been polled yet, so "Xiaomi" cannot be looked up: run a poll first \(sanctions-radar poll, or start\)\./,
    );
  });

  it('sources forget drops a source no longer configured: its entries, names, history and alerts; a configured one is refused', async () => {
    const own = join(dir, 'forget.db');
    const env = cleanEnv({ LOG_LEVEL: 'error' });
    await runCli(['poll', '--sources', sources, '--db', own], env);
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-12_trimmed.csv') });
    try {
      expect((await runCli(['poll', '--sources', sources, '--db', own], env)).code).toBe(0);
    } finally {
      server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    }
    const courtOnly = join(dir, 'court-only-2.json');
    writeFileSync(
      courtOnly,
      JSON.stringify({ sources: [{ id: 'court', kind: 'rss', url: server.url('/court.xml') }] }),
    );

    const configured = await runCli(
      ['sources', 'forget', 'ofac-sdn', '--sources', sources, '--db', own],
      env,
    );
    expect(configured.code).toBe(2);
    expect(configured.stderr.split('\n')[0]).toBe(
      'sanctions-radar: ofac-sdn is in the sources configuration; remove it there first (and restart the daemon), then forget it',
    );
    // The webhook's source is live while its secret is set, though no sources file names it.
    const live = await runCli(
      ['sources', 'forget', 'courtlistener-webhook', '--sources', courtOnly, '--db', own],
      { ...env, COURTLISTENER_WEBHOOK_SECRET: 'a-secret-of-24-characters' },
    );
    expect(live.code).toBe(2);
    expect(live.stderr.split('\n')[0]).toBe(
      "sanctions-radar: courtlistener-webhook receives CourtListener's webhook while COURTLISTENER_WEBHOOK_SECRET is set; unset it (and restart the daemon), then forget it",
    );
    const unknown = await runCli(
      ['sources', 'forget', 'ofac-old', '--sources', courtOnly, '--db', own],
      env,
    );
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.split('\n')[0]).toBe(
      `sanctions-radar: no source "ofac-old" is stored in ${own}`,
    );

    const r = await runCli(
      ['sources', 'forget', 'ofac-sdn', '--json', '--sources', courtOnly, '--db', own],
      env,
    );
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      forgotten: 'ofac-sdn',
      entries: 127,
      changes: 7,
      feedItems: 0,
      alerts: 7,
    });

    const look = await runCli(
      ['lookup', 'STANKOVIC, Slobodan', '--sources', courtOnly, '--db', own],
      env,
    );
    expect(look.code).toBe(2);
    expect(look.stderr).toMatch(/^No list has been polled yet/);
    const left = new Database(own, { readonly: true });
    try {
      expect(
        left
          .prepare(
            'SELECT (SELECT count(*) FROM designations) + (SELECT count(*) FROM changes) + (SELECT count(*) FROM entity_names) + (SELECT count(*) FROM name_short_words) + (SELECT count(*) FROM designation_identifiers)',
          )
          .pluck()
          .get(),
      ).toBe(0);
      expect(
        left.prepare("SELECT count(*) FROM alerts WHERE source_id = 'ofac-sdn'").pluck().get(),
      ).toBe(0);
      expect(
        left
          .prepare("SELECT count(*) FROM entity_names_fts WHERE entity_names_fts MATCH 'sla'")
          .pluck()
          .get(),
      ).toBe(0);
      expect(left.pragma('foreign_key_check')).toEqual([]);
      expect(left.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(left.prepare('SELECT id FROM sources').pluck().all()).toEqual(['court']);
    } finally {
      left.close();
    }
  });

  it('backup writes a consistent copy that opens as a database', async () => {
    const copy = join(dir, 'backup', 'radar-copy.db');
    const r = await runCli(['backup', copy, '--sources', sources, '--db', db], cleanEnv());
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/backed up .* to .*radar-copy\.db/);
    const Database = (await import('better-sqlite3')).default;
    const c = new Database(copy, { readonly: true });
    try {
      expect(c.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(c.prepare('SELECT count(*) FROM designations').pluck().get()).toBeGreaterThan(100);
    } finally {
      c.close();
    }
    const bad = await runCli(['backup', '--sources', sources, '--db', db], cleanEnv());
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/usage: sanctions-radar backup FILE/);
  });
});
