// One designation, one alert: the CSL repeats OFAC's NS-CMIC rows, so with both sources polled a
// channel hears of Huawei's CMIC listing once, from whichever source had it first. Real OFAC and
// CSL fixtures, the real poller and SQLite.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../src/domain.js';
import { SameEntryIndex, sameEntry } from '../src/alerts/same-entry.js';
import { runCommand } from '../src/commands/run.js';
import { NameMatcher } from '../src/names/matcher.js';
import { fixture } from './helpers/fixtures.js';
import { pollTestbed, source } from './helpers/poll-harness.js';

/** The file without the record of OFAC number 30947 (HUAWEI TECHNOLOGIES CO., LTD.), as before it was listed. */
function without30947(path: string, eol: string): Buffer {
  const text = fixture(path).toString('latin1');
  const lines = text.split(eol);
  const kept = lines.filter((l) => !/^"?30947"?,/.test(l));
  expect(kept.length).toBe(lines.length - 1);
  return Buffer.from(kept.join(eol), 'latin1');
}

const added = (alerts: Alert[]) => alerts.filter((a) => a.type === 'designation.added');

describe('one designation, one alert across OFAC and the CSL', () => {
  it('matches entries by OFAC number across the two keys, else by normalised name on the same list', () => {
    expect(
      sameEntry(
        'NS-CMIC',
        { key: '30947', name: 'HUAWEI TECHNOLOGIES CO., LTD.' },
        { key: 'NS-CMIC:30947', name: 'Huawei Technologies Co., Ltd.' },
      ),
    ).toBe(true);
    expect(
      sameEntry(
        'NS-CMIC',
        { key: '30947', name: 'HUAWEI TECHNOLOGIES CO., LTD.' },
        { key: 'NS-CMIC:32087', name: 'HUAWEI INVESTMENT & HOLDING CO., LTD.' },
      ),
    ).toBe(false);
    // Two numbers that differ are two entries, even under one name.
    expect(sameEntry('SDN', { key: '1001', name: 'A CO' }, { key: 'SDN:1002', name: 'A CO' })).toBe(
      false,
    );
    expect(
      sameEntry(
        'Entity List',
        { key: 'Entity List:huawei technologies co ltd', name: 'Huawei Technologies Co., Ltd.' },
        { key: 'x', name: 'HUAWEI TECHNOLOGIES CO., LTD.' },
      ),
    ).toBe(true);
  });

  it('finds through its index exactly the entries sameEntry accepts', () => {
    const others = [
      { key: 'NS-CMIC:30947', name: 'HUAWEI TECHNOLOGIES CO., LTD.' },
      { key: 'NS-CMIC:32087', name: 'HUAWEI INVESTMENT & HOLDING CO., LTD.' },
      { key: 'NS-CMIC:huawei technologies co ltd', name: 'Huawei Technologies Co., Ltd.' },
      { key: '1001', name: 'A CO' },
    ];
    const index = new SameEntryIndex('NS-CMIC', others);
    const queries = [
      { key: '30947', name: 'HUAWEI TECHNOLOGIES CO., LTD.' },
      { key: 'team:huawei', name: 'Huawei Technologies Co Ltd' },
      { key: '1002', name: 'A CO' },
      { key: 'x', name: 'A CO' },
      { key: '5', name: 'nobody' },
    ];
    for (const q of queries)
      expect(
        index.find(q).sort((a, b) => a.key.localeCompare(b.key)),
        q.key,
      ).toEqual(
        others.filter((o) => sameEntry('NS-CMIC', q, o)).sort((a, b) => a.key.localeCompare(b.key)),
      );
  });

  const { server, h } = pollTestbed({ fresh: 'test', deps: { defaultChannels: ['console:ops'] } });
  const ofac = () =>
    source('ofac-consolidated', 'ofac-csv', server.url('/CONS_PRIM.CSV'), { consolidated: true });
  const csl = () => source('csl', 'csl', server.url('/consolidated.csv'));

  it("tells a channel once, from the first source; the second source's copy is history, and reaches only channels that follow it alone", async () => {
    server.set('/CONS_PRIM.CSV', {
      kind: 'body',
      body: without30947('ofac/cons_prim.csv', '\r\n'),
    });
    server.set('/consolidated.csv', {
      kind: 'body',
      body: without30947('csl/consolidated_2023-11_excerpt.csv', '\n'),
    });
    await h.poll(ofac());
    await h.poll(csl());
    const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [ofac(), csl()] };
    expect(runCommand('subscribe Huawei Technologies', { ...ctx, channel: 'slack:C1' }).ok).toBe(
      true,
    );
    expect(runCommand('subscribe --source csl', { ...ctx, channel: 'discord:7' }).ok).toBe(true);

    server.set('/CONS_PRIM.CSV', { kind: 'body', body: fixture('ofac/cons_prim.csv') });
    const first = added((await h.poll(ofac())).alerts);
    expect(first.map((a) => [a.type === 'designation.added' && a.entity.name, a.channels])).toEqual(
      [['HUAWEI TECHNOLOGIES CO., LTD.', ['console:ops', 'slack:C1']]],
    );

    server.set('/consolidated.csv', {
      kind: 'body',
      body: fixture('csl/consolidated_2023-11_excerpt.csv'),
    });
    const second = await h.poll(csl());
    // The CSL's copy: console:ops and slack:C1 were told; discord:7 follows the CSL and was not.
    expect(added(second.alerts).map((a) => a.channels)).toEqual([['discord:7']]);
    // Both sources' changes stand in the history.
    expect(
      h.db
        .prepare("SELECT source_id FROM changes WHERE type = 'designation.added' ORDER BY id")
        .pluck()
        .all(),
    ).toEqual(['ofac-consolidated', 'csl']);
  });

  it('an entry the other source held already when first read was never alerted: it is news when OFAC lists it', async () => {
    server.set('/CONS_PRIM.CSV', {
      kind: 'body',
      body: without30947('ofac/cons_prim.csv', '\r\n'),
    });
    server.set('/consolidated.csv', {
      kind: 'body',
      body: fixture('csl/consolidated_2023-11_excerpt.csv'),
    });
    await h.poll(ofac());
    await h.poll(csl());
    server.set('/CONS_PRIM.CSV', { kind: 'body', body: fixture('ofac/cons_prim.csv') });
    expect(added((await h.poll(ofac())).alerts).map((a) => a.channels)).toEqual([['console:ops']]);
  });
});
