// End to end through the real poller, a real SQLite file and a local HTTP server serving the real
// successive downloads.
import { describe, expect, it } from 'vitest';
import { countActive } from '../db/designations.js';
import { changesOf } from '../db/entities.js';
import { RECORD_AS_OF } from '../db/history-record.js';
import { claimDue } from '../db/outbox.js';
import { getSource } from '../db/source-state.js';
import type { Alert } from '../src/domain.js';
import { indexQueued } from '../src/store/indexing.js';
import { fixture } from './helpers/fixtures.js';
import { pollTestbed, source } from './helpers/poll-harness.js';

const before = fixture('ofac/sdn_2024-04-04_trimmed.csv');
const after = fixture('ofac/sdn_2024-04-12_trimmed.csv');
const empty = fixture('ofac/sdn_2024-05-04_EMPTY_download.csv');

const types = (alerts: Alert[]) => alerts.map((a) => a.type);
const keysOf = (alerts: Alert[], type: string) =>
  alerts
    .filter((a) => a.type === type)
    .map((a) =>
      a.type.startsWith('designation.') ? (a as Extract<Alert, { list: string }>).entity.key : '',
    )
    .sort();

describe('polling real successive SDN downloads', () => {
  const { server, h } = pollTestbed();
  const sdn = () => source('ofac-sdn', 'ofac-csv', server.url('/sdn.csv'));

  it('stores the first snapshot as a baseline, then alerts exactly the real changes, then nothing', async () => {
    server.set('/sdn.csv', { kind: 'body', body: before });
    const first = await h.poll(sdn());
    expect(first).toMatchObject({ status: 'baseline', records: 123, alerts: [] });

    server.set('/sdn.csv', { kind: 'body', body: after });
    const second = await h.poll(sdn());
    expect(second).toMatchObject({ status: 'changed', added: 4, removed: 2, amended: 1 });
    expect(keysOf(second.alerts, 'designation.removed')).toEqual(['39136', '39137']);
    expect(keysOf(second.alerts, 'designation.added')).toEqual([
      '48239',
      '48240',
      '48241',
      '48242',
    ]);
    expect(keysOf(second.alerts, 'designation.amended')).toEqual(['46788']);
    const amended = second.alerts.find((a) => a.type === 'designation.amended');
    expect(amended).toMatchObject({
      list: 'SDN',
      fields: [{ field: 'remarks' }],
      channels: ['console:test'],
    });

    // Same content (the server now answers 304 to the stored ETag) and same content re-sent in full.
    const third = await h.poll(sdn());
    expect(third).toMatchObject({ status: 'not-modified', alerts: [] });
    server.set('/sdn.csv', { kind: 'body', body: after, etag: false });
    const fourth = await h.poll(sdn());
    expect(fourth).toMatchObject({ status: 'unchanged', alerts: [] });

    // History keeps every change, the outbox every alert, once.
    expect(h.db.prepare('SELECT count(*) FROM changes').pluck().get()).toBe(7);
    expect(h.db.prepare('SELECT count(*) FROM alerts').pluck().get()).toBe(7);
    expect(
      h.db
        .prepare("SELECT removed_at IS NOT NULL FROM designations WHERE key = '39136'")
        .pluck()
        .get(),
    ).toBe(1);
  });

  it('an alert read back from the outbox is the alert the poll raised; its record, entity and fields are stored once, in the change row', async () => {
    server.set('/sdn.csv', { kind: 'body', body: before });
    await h.poll(sdn());
    server.set('/sdn.csv', { kind: 'body', body: after });
    const raised = (await h.poll(sdn())).alerts;
    const due = claimDue(h.db, {
      now: '2999-01-01T00:00:00Z',
      channelPrefixes: ['console'],
      limit: 100,
      perChannel: 100,
      pausedBefore: '2999-01-01T00:00:00Z',
      claimer: 'test',
      leaseUntil: '2999-01-02T00:00:00Z',
    });
    expect(due.map((d) => d.alert)).toEqual(raised);
    expect(raised.find((a) => a.type === 'designation.amended')).toMatchObject({
      fields: [{ field: 'remarks' }],
    });
    const payloads = h.db
      .prepare("SELECT payload FROM alerts WHERE type LIKE 'designation.%'")
      .pluck()
      .all() as string[];
    expect(payloads).toHaveLength(7);
    for (const p of payloads)
      expect(Object.keys(JSON.parse(p)).sort()).toEqual([
        'detectedAt',
        'list',
        'source',
        'sourceLabel',
        'type',
      ]);
  });

  it('an entry whose fingerprint was made by another build (or none, before they existed) is compared once, silently', async () => {
    server.set('/sdn.csv', { kind: 'body', body: before, etag: false });
    await h.poll(sdn());
    const prints = () =>
      h.db
        .prepare("SELECT key, print FROM designations WHERE source_id = 'ofac-sdn' ORDER BY key")
        .raw()
        .all() as [string, number | null][];
    const stored = prints();
    expect(stored.every(([, p]) => typeof p === 'number')).toBe(true);
    // As an older build left them: fingerprints of another reading, or none (before migration 009),
    // and a content hash computed without the records scheme.
    h.db.exec(
      "UPDATE designations SET print = CASE WHEN key < '4' THEN NULL ELSE print + 1 END; UPDATE sources SET content_hash = 'old'",
    );
    const again = await h.poll(sdn());
    expect(again).toMatchObject({
      status: 'unchanged',
      added: 0,
      removed: 0,
      amended: 0,
      alerts: [],
    });
    expect(prints()).toEqual(stored);
    // And the next real change is found as before.
    server.set('/sdn.csv', { kind: 'body', body: after, etag: false });
    expect(await h.poll(sdn())).toMatchObject({
      status: 'changed',
      added: 4,
      removed: 2,
      amended: 1,
    });
  });

  it('an entry listed again keeps its row and history, beside entries new to the list in the same poll', async () => {
    const lines = (b: Buffer) => b.toString('latin1').split('\r\n');
    const row39136 = lines(before).find((l) => l.startsWith('39136,'))!;
    server.set('/sdn.csv', { kind: 'body', body: before });
    await h.poll(sdn());
    const idOf = (key: string) =>
      h.db
        .prepare("SELECT id FROM designations WHERE source_id = 'ofac-sdn' AND key = ?")
        .pluck()
        .get(key);
    const first = idOf('39136');
    server.set('/sdn.csv', {
      kind: 'body',
      body: Buffer.from(
        lines(before)
          .filter((l) => l !== row39136)
          .join('\r\n'),
        'latin1',
      ),
    });
    expect(await h.poll(sdn())).toMatchObject({ status: 'changed', removed: 1, added: 0 });
    // The 2024-04-12 file with 39136 back: four people new to the list and one listed again, all
    // stored by one statement that a key already stored makes fall back to an upsert.
    const back = lines(after);
    back.splice(
      back.findIndex((l) => l.startsWith('4')),
      0,
      row39136,
    );
    server.set('/sdn.csv', { kind: 'body', body: Buffer.from(back.join('\r\n'), 'latin1') });
    const r = await h.poll(sdn());
    expect(r).toMatchObject({ status: 'changed', added: 5, removed: 1, amended: 1 });
    expect(keysOf(r.alerts, 'designation.added')).toEqual([
      '39136',
      '48239',
      '48240',
      '48241',
      '48242',
    ]);
    expect(idOf('39136')).toBe(first);
    expect(
      h.db.prepare("SELECT removed_at FROM designations WHERE key = '39136'").pluck().get(),
    ).toBeNull();
    expect(
      h.db.prepare("SELECT type FROM changes WHERE key = '39136' ORDER BY id").pluck().all(),
    ).toEqual(['designation.removed', 'designation.added']);
    expect(countActive(h.db, 'ofac-sdn')).toBe(126);
    expect(
      h.db.prepare('SELECT count(DISTINCT key) = count(*) FROM designations').pluck().get(),
    ).toBe(1);
  });

  it('history keeps each version of a record once, and reads every change back as it was, delivered late or not', async () => {
    const lines = before.toString('latin1').split('\r\n');
    const v1 = lines.find((l) => l.startsWith('39136,'))!;
    const v2 = v1.replace('"BALKANS-EO14033"', '"BALKANS-EO14033] [RUSSIA-EO14024"');
    const v3 = v1.replace('"BALKANS-EO14033"', '"SDGT"');
    const publish = (row: string | null) =>
      server.set('/sdn.csv', {
        kind: 'body',
        body: Buffer.from(
          lines
            .map((l) => (l === v1 ? row : l))
            .filter((l) => l !== null)
            .join('\r\n'),
          'latin1',
        ),
      });
    publish(null);
    await h.poll(sdn());
    const steps: [string | null, string][] = [
      [v1, 'designation.added'],
      [v2, 'designation.amended'],
      [null, 'designation.removed'],
      [v3, 'designation.added'],
    ];
    for (const [row, type] of steps) {
      publish(row);
      expect((await h.poll(sdn())).alerts.map((a) => a.type)).toEqual([type]);
    }
    // What the history rows hold: each the version its change overwrote (the amendment v1, the
    // relisting v2), none its own; v3 is in the designation row.
    const rows = h.db
      .prepare(
        "SELECT type, json_extract(before, '$.programs') AS b, after FROM changes WHERE key = '39136' ORDER BY id",
      )
      .raw()
      .all();
    expect(rows).toEqual([
      ['designation.added', null, null],
      ['designation.amended', '["BALKANS-EO14033"]', null],
      ['designation.removed', null, null],
      ['designation.added', '["BALKANS-EO14033","RUSSIA-EO14024"]', null],
    ]);
    // Every change reads back its own version: the history's programs, and the alerts as a
    // delivery that comes only now (a channel down all along) renders them.
    const programs = (json: string) =>
      (JSON.parse(json) as { programs: string[] }).programs.join(' ');
    const asOf = h.db
      .prepare(`SELECT ${RECORD_AS_OF} FROM changes c WHERE c.key = '39136' ORDER BY c.id`)
      .pluck()
      .all() as string[];
    expect(asOf.map(programs)).toEqual([
      'BALKANS-EO14033',
      'BALKANS-EO14033 RUSSIA-EO14024',
      'BALKANS-EO14033 RUSSIA-EO14024',
      'SDGT',
    ]);
    const due = claimDue(h.db, {
      now: '2999-01-01T00:00:00Z',
      channelPrefixes: ['console'],
      limit: 100,
      perChannel: 100,
      pausedBefore: '2999-01-01T00:00:00Z',
      claimer: 'late',
      leaseUntil: '2999-01-02T00:00:00Z',
    });
    const delivered = due.flatMap(({ alert: a }) =>
      'record' in a && a.entity.key === '39136' ? [[a.type, a.record.programs.join(' ')]] : [],
    );
    expect(delivered).toEqual([
      ['designation.added', 'BALKANS-EO14033'],
      ['designation.amended', 'BALKANS-EO14033 RUSSIA-EO14024'],
      ['designation.removed', 'BALKANS-EO14033 RUSSIA-EO14024'],
      ['designation.added', 'SDGT'],
    ]);
    const history = changesOf(h.db, [
      h.db.prepare("SELECT id FROM designations WHERE key = '39136'").pluck().get() as number,
    ]);
    expect(history.map((c) => [c.type, c.url])).toEqual(
      [...steps]
        .reverse()
        .map(([, type]) => [type, 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=39136']),
    );
  });

  it("an entry that changes type is indexed again: a person's initials are no acronym", async () => {
    server.set('/sdn.csv', { kind: 'body', body: after });
    await h.poll(sdn());
    const acronyms = () => (
      indexQueued(h.db),
      h.db
        .prepare(
          "SELECT a.acronym FROM name_acronyms a JOIN entity_names n ON n.id = a.name_id JOIN designations d ON d.id = n.designation_id WHERE d.key = '306' ORDER BY 1",
        )
        .pluck()
        .all()
    );
    expect(acronyms()).toContain('bnc');
    const retyped = after
      .toString('latin1')
      .replace('306,"BANCO NACIONAL DE CUBA",-0- ,', '306,"BANCO NACIONAL DE CUBA","individual",');
    server.set('/sdn.csv', { kind: 'body', body: Buffer.from(retyped, 'latin1') });
    const r = await h.poll(sdn());
    expect(r.alerts[0]).toMatchObject({ type: 'designation.amended', fields: [{ field: 'type' }] });
    expect(acronyms()).toEqual([]);
  });

  it('holds the real empty download: no removals, state unchanged, one health alert, then recovery', async () => {
    server.set('/sdn.csv', { kind: 'body', body: before });
    await h.poll(sdn());
    server.set('/sdn.csv', { kind: 'body', body: empty });
    const bad = await h.poll(sdn());
    expect(bad.status).toBe('failing');
    expect(types(bad.alerts)).toEqual(['source.health']);
    expect(bad.alerts[0]).toMatchObject({
      status: 'failing',
      reason: expect.stringMatching(/empty/),
    });
    expect(countActive(h.db, 'ofac-sdn')).toBe(123);
    expect((await h.poll(sdn())).alerts).toEqual([]); // reported once, not every poll

    server.set('/sdn.csv', { kind: 'body', body: after });
    const back = await h.poll(sdn());
    expect(types(back.alerts)).toEqual([
      'source.health',
      'designation.amended',
      'designation.added',
      'designation.added',
      'designation.added',
      'designation.added',
      'designation.removed',
      'designation.removed',
    ]);
    expect(back.alerts[0]).toMatchObject({ status: 'recovered' });
  });

  it.each([
    [
      'an HTML maintenance page',
      {
        kind: 'body' as const,
        body: '<!DOCTYPE html><html><body>Scheduled maintenance</body></html>',
        contentType: 'text/html',
      },
      /HTML page/,
    ],
    ['a 503', { kind: 'status' as const, status: 503 }, /HTTP 503/],
    ['a truncated body', { kind: 'body' as const, body: before.subarray(0, 9000) }, /truncated/],
    [
      'a connection cut mid-body',
      { kind: 'truncate' as const, body: before, after: 5000 },
      /terminated|socket|closed/i,
    ],
    ['a server that never answers', { kind: 'hang' as const }, /timeout/],
  ])('keeps the previous state when the source serves %s', async (_name, behaviour, reason) => {
    server.set('/sdn.csv', { kind: 'body', body: before });
    await h.poll(sdn());
    const state = h.db
      .prepare('SELECT key, record, removed_at FROM designations ORDER BY key')
      .all();
    server.set('/sdn.csv', behaviour);
    const r = await h.poll(sdn());
    expect(r.status).toBe('failing');
    expect(r.error).toMatch(reason);
    expect(types(r.alerts)).toEqual(['source.health']);
    expect(
      h.db.prepare('SELECT key, record, removed_at FROM designations ORDER BY key').all(),
    ).toEqual(state);
    expect(getSource(h.db, 'ofac-sdn')).toMatchObject({ status: 'failing', recordCount: 123 });
  });

  it('a connection reset, or a 503, that passes within the poll is no failing alert', async () => {
    server.set('/sdn.csv', { kind: 'body', body: before });
    await h.poll(sdn());
    server.set('/sdn.csv', {
      kind: 'sequence',
      steps: [{ kind: 'reset' }, { kind: 'status', status: 503 }, { kind: 'body', body: after }],
    });
    const r = await h.poll(sdn());
    expect(r.status).toBe('changed');
    expect(types(r.alerts)).not.toContain('source.health');
    expect(getSource(h.db, 'ofac-sdn')).toMatchObject({ status: 'ok' });
  });

  it('holds a shrink past 10% until it is seen 3 polls in a row', async () => {
    server.set('/sdn.csv', { kind: 'body', body: before });
    await h.poll(sdn());
    // The real file with its last 60 records gone: a plausible partial publication.
    const lines = before.toString('latin1').split('\r\n');
    const shrunk = Buffer.from(`${lines.slice(0, 63).join('\r\n')}\r\n\x1a`, 'latin1');
    server.set('/sdn.csv', { kind: 'body', body: shrunk });
    const one = await h.poll(sdn());
    expect(one).toMatchObject({ status: 'held', removed: 0 });
    expect(one.alerts).toMatchObject([{ type: 'source.health', status: 'held' }]);
    expect((await h.poll(sdn())).alerts).toEqual([]);
    expect(countActive(h.db, 'ofac-sdn')).toBe(123);
    const three = await h.poll(sdn());
    expect(three).toMatchObject({ status: 'changed', removed: 60 });
    expect(three.alerts[0]).toMatchObject({ type: 'source.health', status: 'recovered' });
  });

  it('applies a held shrink at once when an operator accepted it', async () => {
    server.set('/sdn.csv', { kind: 'body', body: before });
    await h.poll(sdn());
    const lines = before.toString('latin1').split('\r\n');
    server.set('/sdn.csv', {
      kind: 'body',
      body: Buffer.from(`${lines.slice(0, 100).join('\r\n')}\r\n\x1a`, 'latin1'),
    });
    await h.poll(sdn());
    const held = getSource(h.db, 'ofac-sdn')!;
    h.db
      .prepare('UPDATE sources SET accepted_hash = ? WHERE id = ?')
      .run(held.heldHash, 'ofac-sdn');
    const r = await h.poll(sdn());
    expect(r).toMatchObject({ status: 'changed', removed: 23 });
    expect(getSource(h.db, 'ofac-sdn')).toMatchObject({
      status: 'ok',
      acceptedHash: null,
      heldHash: null,
    });
  });

  it('fetches all four OFAC files and fails the poll when a companion fails', async () => {
    server
      .set('/c/sdn.csv', { kind: 'body', body: fixture('ofac/sdn.csv') })
      .set('/c/alt.csv', { kind: 'body', body: fixture('ofac/alt.csv') })
      .set('/c/add.csv', { kind: 'body', body: fixture('ofac/add.csv') })
      .set('/c/comments.csv', { kind: 'body', body: fixture('ofac/sdn_comments.csv') });
    const cfg = source('sdn-trio', 'ofac-csv', server.url('/c/sdn.csv'), {
      altUrl: server.url('/c/alt.csv'),
      addUrl: server.url('/c/add.csv'),
      commentsUrl: server.url('/c/comments.csv'),
    });
    expect(await h.poll(cfg)).toMatchObject({ status: 'baseline', records: 71 });
    server.set('/c/alt.csv', { kind: 'status', status: 500 });
    const r = await h.poll(cfg);
    expect(r).toMatchObject({
      status: 'failing',
      error: expect.stringMatching(/HTTP 500.*alt\.csv/),
    });
    expect(countActive(h.db, 'sdn-trio')).toBe(71);
  });
});

describe('polling a court feed', () => {
  const { server, h } = pollTestbed();

  it('baselines, then alerts each new item once, naming tracked companies it mentions', async () => {
    const xml = fixture('pacer_rss/cadc.xml').toString('latin1');
    const items = [...xml.matchAll(/<item>[\s\S]*?<\/item>\s*/g)];
    const older = xml.replace(items[0]![0], '').replace(items[1]![0], '');
    // A tracked list, so that mentions can be found.
    server.set('/dod.csv', { kind: 'body', body: fixture('dod1260h/dod_1260h_2024-01-31.csv') });
    await h.poll(
      source('dod', 'csv', server.url('/dod.csv'), {
        list: 'DoD 1260H',
        columns: { name: 'Company', aliases: 'Also known as' },
      }),
    );

    const feed = source('cadc', 'rss', server.url('/cadc.xml'));
    server.set('/cadc.xml', {
      kind: 'body',
      body: Buffer.from(older, 'latin1'),
      contentType: 'application/rss+xml',
    });
    expect(await h.poll(feed)).toMatchObject({ status: 'baseline', items: 11, alerts: [] });

    // The newest real item, plus one about a tracked company (its title in PACER's caption style).
    const hesai = items[0]![0]
      .replace(/22-1214 Food &amp;amp; Water Watch v. FERC/, '24-5123 Hesai Technology Co. v. DOD')
      .replace(/caseNum=22-1214&amp;partId=1984499/, 'caseNum=24-5123&amp;partId=1');
    server.set('/cadc.xml', {
      kind: 'body',
      body: Buffer.from(xml.replace('<item>', `${hesai}<item>`), 'latin1'),
    });
    const r = await h.poll(feed);
    expect(r).toMatchObject({ status: 'changed', items: 3 });
    const titles = r.alerts.map((a) => (a.type === 'feed.item' ? a.item.title : ''));
    expect(titles).toEqual([
      '24-5123 Hesai Technology Co. v. DOD',
      '22-1214 Food & Water Watch v. FERC',
      '22-1315 Food & Water Watch v. FERC',
    ]);
    const first = r.alerts[0]!;
    expect(first.type === 'feed.item' && first.mentions.map((m) => m.name)).toEqual([
      'Hesai Technology Co., Ltd.',
    ]);
    expect((await h.poll(feed)).alerts).toEqual([]);
  });
});
