// A poll that changes more list entries than a channel takes one by one sends that channel one
// changeset alert; channels following an entity still get its own alert; the history keeps all.
import { describe, expect, it } from 'vitest';
import { alertJson, formatAlertText } from '../src/alerts/format-text.js';
import { runCommand } from '../src/commands/run.js';
import type { Alert } from '../src/domain.js';
import { NameMatcher } from '../src/names/matcher.js';
import { readCsvRows } from '../src/sources/csv-rows.js';
import { fixture } from './helpers/fixtures.js';
import { pollTestbed, source } from './helpers/poll-harness.js';

type Changeset = Extract<Alert, { type: 'designation.changeset' }>;
const changesets = (alerts: Alert[]) =>
  alerts.filter((a): a is Changeset => a.type === 'designation.changeset');
const byKey = (alerts: Alert[]) =>
  new Map(alerts.filter((a) => 'entity' in a).map((a) => ['entity' in a ? a.entity.key : '', a]));

describe('a list poll with more changes than a channel takes one by one (real SDN 2024-04-04 → 04-12)', () => {
  // Seven real changes (4 added, 2 removed, 1 amended) against a limit of three.
  const { server, h } = pollTestbed({
    deps: { defaultChannels: ['console:ops'], maxListAlerts: 3 },
  });
  const sdn = () => source('ofac-sdn', 'ofac-csv', server.url('/sdn.csv'));

  async function baseline() {
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    await h.poll(sdn());
    const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [sdn()] };
    return (text: string, channel: string) =>
      expect(runCommand(text, { ...ctx, channel }).ok).toBe(true);
  }

  it('sends channel-wide subscribers one changeset, and followers of an entity its own alert', async () => {
    const subscribe = await baseline();
    subscribe('subscribe "Khalil Azzam"', 'slack:C1');
    // Everything, and one company besides: the changeset and that company's own alert.
    subscribe('subscribe --all', 'slack:C2');
    subscribe('subscribe Peretyatco Ruslan', 'slack:C2');
    subscribe('subscribe --source ofac-sdn', 'discord:9');

    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-12_trimmed.csv') });
    const r = await h.poll(sdn());
    expect([r.added, r.removed, r.amended]).toEqual([4, 2, 1]);

    const [set, ...more] = changesets(r.alerts);
    expect(more).toEqual([]);
    expect(set!.channels).toEqual(['console:ops', 'discord:9', 'slack:C2']);
    expect(set!.counts).toEqual({ added: 4, removed: 2, amended: 1 });
    expect(set!.lists).toEqual([{ list: 'SDN', added: 4, removed: 2, amended: 1 }]);
    expect(set!.limit).toBe(3);
    expect(set!.url).toBe(server.url('/sdn.csv'));
    expect(set!.examples).toHaveLength(7);
    expect(set!.examples.find((e) => e.key === '46788')).toMatchObject({
      type: 'designation.amended',
      fields: expect.arrayContaining(['remarks']),
    });
    // It stands for exactly this poll's history rows.
    const ids = h.db
      .prepare('SELECT min(id) AS first, max(id) AS last, count(*) AS n FROM changes')
      .get() as { first: number; last: number; n: number };
    expect(set!.changeIds).toEqual({ first: ids.first, last: ids.last });
    expect(ids.n).toBe(7);

    // Only the followed entities come one by one, and only to their followers.
    const single = byKey(r.alerts);
    expect([...single.keys()].sort()).toEqual(['46788', '48241']);
    expect(single.get('48241')!.channels).toEqual(['slack:C1']); // AZZAM, Khalil Muhammad, added
    expect(single.get('46788')!.channels).toEqual(['slack:C2']); // PERETYATKO, amended
    // The changeset comes first, so a channel reads the overview before the detail.
    expect(r.alerts[0]).toBe(set);

    const reasons = new Map(
      (
        h.db.prepare('SELECT alert_id || channel AS k, reason FROM deliveries').all() as {
          k: string;
          reason: string;
        }[]
      ).map((x) => [x.k, x.reason]),
    );
    expect(reasons.get(`${single.get('46788')!.id}slack:C2`)).toMatch(/Peretyatco Ruslan/);
    expect(reasons.get(`${set!.id}slack:C2`)).toMatch(
      /every alert \(7 changes in one poll, more than 3\)/,
    );
    expect(h.db.prepare('SELECT count(*) FROM deliveries').pluck().get()).toBe(5);
  });

  it('reads back from the outbox as stored, and renders as text and JSON', async () => {
    await baseline();
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-12_trimmed.csv') });
    const r = await h.poll(sdn());
    const [set] = changesets(r.alerts);
    const text = formatAlertText(set!);
    expect(text).toContain(
      'CHANGESET ofac-sdn: 7 changes to SDN in one poll (4 added, 2 removed, 1 amended)',
    );
    expect(text).toContain('amended: PERETYATKO, Ruslan Aleksandrovich (SDN)');
    expect(text).toContain(
      '"sources ofac-sdn" lists every change of the source\'s latest changing poll',
    );
    expect(alertJson(set!)).toMatchObject({
      type: 'designation.changeset',
      counts: { added: 4, removed: 2, amended: 1 },
      limit: 3,
    });
    const { claimDue } = await import('../db/outbox.js');
    const [due] = claimDue(h.db, {
      now: '9999',
      channelPrefixes: ['console'],
      limit: 10,
      perChannel: 10,
      pausedBefore: '0',
      claimer: 't',
      leaseUntil: '9999-1',
    });
    expect(due!.alert).toEqual(set);
  });

  it('lists every change of the poll through `sources <id>`, at most 40 in chat', async () => {
    await baseline();
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-12_trimmed.csv') });
    await h.poll(sdn());
    const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [sdn()], channel: 'slack:C1' };
    const reply = runCommand('sources ofac-sdn', ctx);
    expect(reply.ok).toBe(true);
    expect(reply.summary).toMatch(/7 \(4 added, 2 removed, 1 amended\)/);
    const lines = reply.sections.flatMap((s) => s.lines);
    expect(lines).toHaveLength(7);
    expect(lines).toContain('amended: PERETYATKO, Ruslan Aleksandrovich (SDN, key 46788): remarks');
    expect(lines.filter((l) => l.startsWith('removed: '))).toHaveLength(2);
    expect(reply.footer).toBeUndefined();
    expect(runCommand('sources nothing-here', ctx)).toMatchObject({
      ok: false,
      summary: expect.stringMatching(/No source "nothing-here"\. Sources: ofac-sdn/),
    });
    expect(runCommand('sources a b', ctx).ok).toBe(false);
  });

  it('changes nothing at or below the limit: one alert per change', async () => {
    await baseline();
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-12_trimmed.csv') });
    const r = await h.poll(
      source('ofac-sdn', 'ofac-csv', server.url('/sdn.csv'), { maxAlerts: 7 }),
    );
    expect(changesets(r.alerts)).toEqual([]);
    expect(r.alerts).toHaveLength(7);
    expect(r.alerts.every((a) => a.channels.join() === 'console:ops')).toBe(true);
  });
});

describe('changesets per list subscription (real CSL rows of 13 lists)', () => {
  const { server, h } = pollTestbed({
    deps: { defaultChannels: ['console:ops'], maxListAlerts: 30 },
  });

  it("gives a channel its own lists' changes, one by one under the limit, as one shared changeset over it", async () => {
    const text = fixture('csl/consolidated_2023-11_excerpt.csv').toString('utf8');
    const rows = readCsvRows(text);
    const grown = /Chinese Military-Industrial Complex|Entity List \(EL\)/;
    const csv = (keep: string[][]) =>
      `${keep.map((r) => r.map((f) => `"${f.replace(/"/g, '""')}"`).join(',')).join('\n')}\n`;
    const csl = source('csl', 'csl', server.url('/csl.csv'));
    // The baseline lacks the CMIC's 31 rows and the Entity List's 25; the next version has them.
    server.set('/csl.csv', {
      kind: 'body',
      body: csv([rows[0]!, ...rows.slice(1).filter((r) => !grown.test(r[1]!))]),
    });
    await h.poll(csl);
    server.set('/csl.csv', { kind: 'body', body: csv(rows) });
    const r0 = { db: h.db, matcher: new NameMatcher(h.db), sources: [csl] };
    const cmic = 'NS-CMIC';
    const el = 'Entity List';
    for (const [channel, list] of [
      ['slack:EL', el],
      ['slack:CMIC1', cmic],
      ['discord:CMIC2', cmic],
    ] as const) {
      const reply = runCommand(`subscribe --list "${list}"`, { ...r0, channel });
      expect(reply.ok, reply.summary).toBe(true);
    }

    const r = await h.poll(csl);
    // 56 rows, 54 entries: the Entity List's 25 rows name 23 parties (BIS rows of one name are one entry).
    expect([r.added, r.removed, r.amended]).toEqual([54, 0, 0]);
    const sets = changesets(r.alerts);
    expect(sets.map((s) => [s.channels, s.lists.map((l) => [l.list, l.added])])).toEqual([
      [
        ['console:ops'],
        [
          [cmic, 31],
          [el, 23],
        ],
      ],
      [['discord:CMIC2', 'slack:CMIC1'], [[cmic, 31]]],
    ]);
    // The Entity List's 23 are within its channel's limit of 30: one alert each.
    const single = r.alerts.filter((a) => a.type !== 'designation.changeset');
    expect(single).toHaveLength(23);
    expect(
      single.every(
        (a) => a.type === 'designation.added' && a.list === el && a.channels.join() === 'slack:EL',
      ),
    ).toBe(true);
  });
});
