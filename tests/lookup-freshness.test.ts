// "Not on any of the tracked lists" holds as of the oldest good read among the lists searched, and
// a list whose source fails, holds back a new version, or is no longer read is named: on real
// fixture lists, polled through the real poller from a local server, at set times.
import { describe, expect, it } from 'vitest';
import type { CommandContext } from '../src/commands/context.js';
import { NOT_CURRENT_TITLE } from '../src/commands/freshness.js';
import { runCommand } from '../src/commands/run.js';
import type { SourceConfig } from '../src/domain.js';
import { indexQueued } from '../src/store/indexing.js';
import { NameMatcher } from '../src/names/matcher.js';
import { pollSource } from '../src/poll/poll-source.js';
import { fixture } from './helpers/fixtures.js';
import { pollTestbed, source } from './helpers/poll-harness.js';

const T0 = Date.parse('2026-11-02T09:00:00Z');
const hours = (n: number) => new Date(T0 + n * 3600_000);

interface Answer {
  asOf: string | null;
  notCurrent: {
    source: string;
    status: string;
    asOf: string | null;
    lists: string[];
    detail: string | null;
  }[];
}

describe('answers say how current the lists are', () => {
  const { server, h } = pollTestbed();
  const dodFile = fixture('dod1260h/dod_1260h_2024-01-31.csv');
  const sdn = () => source('ofac-sdn', 'ofac-csv', server.url('/sdn.csv'));
  const dod = () =>
    source(
      'dod',
      'csv',
      server.url('/dod.csv'),
      { list: 'DoD 1260H', columns: { name: 'Company', aliases: 'Also known as' } },
      { label: 'DoD 1260H list' },
    );
  const pollAt = async (at: Date, cfg: SourceConfig) => {
    const r = await pollSource({ ...h.deps, now: () => at }, cfg);
    indexQueued(h.db);
    return r;
  };
  const run = (text: string, sources = [sdn(), dod()]) => {
    const ctx: CommandContext = {
      db: h.db,
      matcher: new NameMatcher(h.db),
      sources,
      channel: 'console:team',
    };
    return runCommand(text, ctx);
  };
  const both = async (at: Date) => {
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    server.set('/dod.csv', { kind: 'body', body: dodFile });
    await pollAt(at, sdn());
    await pollAt(at, dod());
  };

  it('states the oldest read, and names nothing while every source is read', async () => {
    await both(hours(0));
    expect((await pollAt(hours(3), sdn())).status).toBe('not-modified');
    const r = run('lookup Aviation Industry Corporation of China');
    expect(r.summary).toMatch(/across the 2 tracked lists \(as of 2026-11-02 09:00 UTC\);/);
    expect(r.sections.map((s) => s.title)).not.toContain(NOT_CURRENT_TITLE);
    expect(r.data).toMatchObject({ asOf: hours(0).toISOString(), notCurrent: [] });
  });

  it('names a list whose source fails, in a match, a "not listed" answer, a history and the exposure report', async () => {
    await both(hours(0));
    server.set('/dod.csv', { kind: 'status', status: 503, body: 'Service Unavailable' });
    expect((await pollAt(hours(2), dod())).status).toBe('failing');
    await pollAt(hours(2), sdn());

    const match = run('lookup Aviation Industry Corporation of China');
    expect(match.summary).toMatch(
      /across the 2 tracked lists \(as of 2026-11-02 09:00 UTC; not current: dod\);/,
    );
    expect(match.sections[0]!.title).toBe(NOT_CURRENT_TITLE);
    // The failure in a line, with the file but not the address (`sources` has it whole).
    expect(match.sections[0]!.lines).toEqual([
      expect.stringMatching(
        /^DoD 1260H list \(dod\): DoD 1260H as of 2026-11-02 09:00 UTC; its polls fail: HTTP 503 Service Unavailable from dod\.csv\b/,
      ),
    ]);
    expect(match.sections[0]!.lines[0]).not.toContain('127.0.0.1');
    expect(match.sections[1]!.title).toMatch(/Aviation Industry Corporation of China/);
    const data = match.data as Answer;
    expect(data.notCurrent).toEqual([
      expect.objectContaining({
        source: 'dod',
        status: 'failing',
        asOf: hours(0).toISOString(),
        lists: ['DoD 1260H'],
      }),
    ]);

    const clear = run('lookup Xiaomi Corporation');
    expect(clear.summary).toBe(
      '"Xiaomi Corporation" is not on any of the 2 tracked lists (as of 2026-11-02 09:00 UTC; not current: dod).',
    );
    expect(clear.sections[0]!.title).toBe(NOT_CURRENT_TITLE);

    const history = run('history Aviation Industry Corporation of China');
    expect(history.summary).toMatch(
      /^History of Aviation Industry Corporation of China Ltd\. \(as of 2026-11-02 09:00 UTC; not current: dod\): /,
    );
    expect(history.sections[0]!.title).toBe(NOT_CURRENT_TITLE);
    const never = run('history Xiaomi Corporation');
    expect(never.summary).toMatch(
      /^No history for "Xiaomi Corporation": it has never been on a tracked list \(as of 2026-11-02 09:00 UTC; not current: dod\), /,
    );

    const report = run('portfolio add Aviation Industry Corporation of China');
    expect(report.ok).toBe(true);
    const exposure = run('portfolio');
    expect(exposure.summary).toMatch(
      /1 of this channel's 1 holding is on a tracked list now \(as of 2026-11-02 09:00 UTC; not current: dod\)\.$/,
    );
    expect(exposure.sections[0]!.title).toBe(NOT_CURRENT_TITLE);

    // The source answers again: nothing is named, and the answer is as of the new reads.
    server.set('/dod.csv', { kind: 'body', body: dodFile });
    await pollAt(hours(4), dod());
    await pollAt(hours(4), sdn());
    expect(run('lookup Xiaomi Corporation').summary).toBe(
      '"Xiaomi Corporation" is not on any of the 2 tracked lists (as of 2026-11-02 13:00 UTC).',
    );
  });

  it('names a list whose new version is held back', async () => {
    await both(hours(0));
    // The list shrinks from 12 entries to 2: held until confirmed, the 12 still stand.
    const lines = dodFile.toString('utf8').split('\n');
    server.set('/dod.csv', { kind: 'body', body: `${lines.slice(0, 3).join('\n')}\n` });
    expect((await pollAt(hours(1), dod())).status).toBe('held');
    const r = run('lookup Aviation Industry Corporation of China');
    expect(r.sections[0]!.lines[0]).toMatch(
      /^DoD 1260H list \(dod\): DoD 1260H as of 2026-11-02 09:00 UTC; a new version is held back: .+$/,
    );
    expect((r.data as Answer).notCurrent[0]).toMatchObject({ source: 'dod', status: 'held' });
  });

  it('names a list dropped from the configuration once it is a day behind the others, and only such a list', async () => {
    await both(hours(0));
    const dropped = [sdn()];
    await pollAt(hours(23), sdn());
    expect((run('lookup Xiaomi Corporation', dropped).data as Answer).notCurrent).toEqual([]);
    await pollAt(hours(25), sdn());
    const r = run('lookup Xiaomi Corporation', dropped);
    expect(r.summary).toBe(
      '"Xiaomi Corporation" is not on any of the 2 tracked lists (as of 2026-11-02 09:00 UTC; not current: dod).',
    );
    expect(r.sections[0]!.lines).toEqual([
      'DoD 1260H list (dod): DoD 1260H as of 2026-11-02 09:00 UTC; not read for over a day while other lists were (not in this configuration)',
    ]);
    expect((r.data as Answer).notCurrent).toEqual([
      expect.objectContaining({ source: 'dod', status: 'stale', asOf: hours(0).toISOString() }),
    ]);
    // Still configured (read weekly, say), a day behind is its schedule, not a fault: the answer
    // is as of its read, and names nothing.
    const weekly = run('lookup Xiaomi Corporation');
    expect(weekly.summary).toBe(
      '"Xiaomi Corporation" is not on any of the 2 tracked lists (as of 2026-11-02 09:00 UTC).',
    );
    expect((weekly.data as Answer).notCurrent).toEqual([]);

    // `sources` under a configuration without it says its entries are still searched.
    const withDod = run('sources');
    expect(withDod.sections.map((s) => s.title)).not.toContain(
      'Not in this configuration, still searched by lookups',
    );
    const without = run('sources', [sdn()]);
    expect(without.summary).toBe(
      'The one source is healthy. 1 source(s) not in this configuration still hold entries.',
    );
    expect(without.sections.find((s) => s.title.startsWith('Not in this configuration'))).toEqual({
      title: 'Not in this configuration, still searched by lookups',
      fields: [],
      lines: ['DoD 1260H list (dod): 12 entries on DoD 1260H, as of 2026-11-02 09:00 UTC'],
    });
  });
});
