// A query of three-letter words ("DJI", "Mar") is looked up by whole word: a common one sits inside
// hundreds of longer words, and the names holding it as a word must not be cut off by those.
import { describe, expect, it } from 'vitest';
import { loadMigrations, migrate } from '../db/database.js';
import { runCommand } from '../src/commands/run.js';
import { indexQueued } from '../src/store/indexing.js';
import { NameMatcher } from '../src/names/matcher.js';
import { fixture } from './helpers/fixtures.js';
import { pollTestbed, source } from './helpers/poll-harness.js';

/**
 * The real 2024-04-04 SDN excerpt, its rows whose names hold "mar" inside a word (MARITIME,
 * MARZOOK, OMAR, ...) first, each repeated under new entry numbers until 490 such names come before
 * MAR AZUL, the one name that holds it as a word. The trigram search returned the first 480.
 */
function crowdedSdn(): Buffer {
  const lines = fixture('ofac/sdn_2024-04-04_trimmed.csv')
    .toString('latin1')
    .split('\r\n')
    .filter((l) => /^\d/.test(l));
  const inside = lines.filter((l) => /^\d+,"[^"]*mar/i.test(l) && !/^\d+,"MAR AZUL"/.test(l));
  expect(inside.length).toBeGreaterThanOrEqual(6);
  const crowd: string[] = [];
  for (let i = 0; crowd.length < 490; i++)
    crowd.push(inside[i % inside.length]!.replace(/^\d+/, String(900000 + i)));
  return Buffer.from(`${[...crowd, ...lines].join('\r\n')}\r\n\x1a`, 'latin1');
}

/**
 * 1,600 entries named as the real names of the fixture lists that hold "technology" (34 of them,
 * repeated under new entry numbers), as a list crowded with one generic word.
 */
function crowdedWithTechnology(): Buffer {
  const names = new Set<string>();
  for (const f of [
    'csl/consolidated_2023-11_excerpt.csv',
    'ofac/cons_prim.csv',
    'dod1260h/dod_1260h_2025-01-07.csv',
  ]) {
    for (const m of fixture(f)
      .toString('latin1')
      .matchAll(/"([^"]*technolog[^"]*)"/gi))
      if (!/dji/i.test(m[1]!) && m[1]!.length < 100) names.add(m[1]!);
  }
  const list = [...names];
  expect(list.length).toBeGreaterThan(20);
  const rows = Array.from(
    { length: 1600 },
    (_, i) =>
      `${900000 + i},"${list[i % list.length]}",-0- ,"SDGT",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- `,
  );
  return Buffer.from(`${rows.join('\r\n')}\r\n\x1a`, 'latin1');
}

describe('short-word lookups', () => {
  const { server, h } = pollTestbed();

  it('finds the name holding the word, however many names hold it inside longer words', async () => {
    server.set('/sdn.csv', { kind: 'body', body: crowdedSdn() });
    await h.poll(source('sdn', 'ofac-csv', server.url('/sdn.csv')));
    const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [], channel: 'console:test' };
    const r = runCommand('lookup Mar', ctx);
    const results = (r.data as { results: { name: string }[] }).results.map((x) => x.name);
    expect(results).toEqual(['MAR AZUL']);
    expect(r.summary).toMatch(/^1 match for "Mar"/);
  });

  it('seeks every short word of the query, so a slip in one leaves the others to find the name', async () => {
    // Real SDN words, as the bench's synthetic names are made.
    server.set('/names.csv', {
      kind: 'body',
      body: 'Company\n"ABIR JOK TRADING COMPANY"\n"NORDSTRAND MARITIME AND TRADING COMPANY"\n',
    });
    await h.poll(
      source('names', 'csv', server.url('/names.csv'), {
        list: 'Team list',
        columns: { name: 'Company' },
      }),
    );
    const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [], channel: 'console:test' };
    const results = (
      runCommand('lookup bir JOK Trading Company', ctx).data as { results: { name: string }[] }
    ).results.map((x) => x.name);
    expect(results).toEqual(['ABIR JOK TRADING COMPANY']);
  });

  it('counts a word of one or two letters beside the short ones: SZ DJI', async () => {
    server.set('/cons_prim.csv', { kind: 'body', body: fixture('ofac/cons_prim.csv') });
    await h.poll(source('cons', 'ofac-csv', server.url('/cons_prim.csv')));
    const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [], channel: 'console:test' };
    for (const q of ['SZ DJI', 'DJI SZ']) {
      const results = (
        runCommand(`lookup ${q}`, ctx).data as { results: { name: string }[] }
      ).results.map((x) => x.name);
      expect(results).toEqual(['SZ DJI TECHNOLOGY CO., LTD.']);
    }
  });

  it('finds a name by its short word when a slip hides its generic one, in a list crowded with that word', async () => {
    server.set('/sdn.csv', { kind: 'body', body: crowdedWithTechnology() });
    await h.poll(source('sdn', 'ofac-csv', server.url('/sdn.csv')));
    server.set('/cons_prim.csv', { kind: 'body', body: fixture('ofac/cons_prim.csv') });
    await h.poll(source('cons', 'ofac-csv', server.url('/cons_prim.csv')));
    const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [], channel: 'console:test' };
    // Each answered a bare "not listed" while the trigram searches drowned in the 1,600 others.
    for (const q of ['SZ DJI Technlogy', 'SZ DJI Tecnology Co., Ltd.', 'DJI Technlogy']) {
      const results = (
        runCommand(`lookup ${q}`, ctx).data as { results: { name: string }[] }
      ).results.map((x) => x.name);
      expect(results, q).toEqual(['SZ DJI TECHNOLOGY CO., LTD.']);
    }
  });

  it('beside a longer word, takes the names of a common short word not at all rather than an arbitrary part of them', async () => {
    // The real excerpt with MAR AZUL repeated under 130 new entry numbers: 131 names hold "mar".
    const lines = fixture('ofac/sdn_2024-04-04_trimmed.csv')
      .toString('latin1')
      .split('\r\n')
      .filter((l) => /^\d/.test(l));
    const azul = lines.find((l) => /^\d+,"MAR AZUL"/.test(l))!;
    const copies = Array.from({ length: 130 }, (_, i) => azul.replace(/^\d+/, String(900000 + i)));
    server.set('/sdn.csv', {
      kind: 'body',
      body: Buffer.from(`${[...lines, ...copies].join('\r\n')}\r\n\x1a`, 'latin1'),
    });
    await h.poll(source('sdn', 'ofac-csv', server.url('/sdn.csv')));
    indexQueued(h.db);
    const matcher = new NameMatcher(h.db);
    const names = (q: string) => {
      const c = matcher.candidates(q);
      return c.ok ? c.rows.map((r) => r.row.name) : [];
    };
    expect(names('Mar Nordstrand')).toContain('NORDSTRAND MARITIME AND TRADING COMPANY');
    expect(names('Mar Nordstrand').filter((n) => n === 'MAR AZUL')).toEqual([]);
    // Alone, the short word brings its names, all of them.
    expect(names('Mar').filter((n) => n === 'MAR AZUL')).toHaveLength(131);
  });

  it('indexes the short words of names stored before the word index existed, as indexing would', async () => {
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    await h.poll(source('sdn', 'ofac-csv', server.url('/sdn.csv')));
    indexQueued(h.db);
    const rows = () =>
      h.db.prepare('SELECT word, name_id FROM name_short_words ORDER BY 1, 2').raw().all();
    const indexed = rows();
    expect(indexed.length).toBeGreaterThan(20);
    expect(indexed).toContainEqual(['mar', expect.any(Number)]);
    // The database as migration 013 left it, then upgraded.
    h.db.exec('DROP TABLE name_short_words');
    h.db.pragma('user_version = 13');
    // Migration 014 alone: the later ones are already in this file, as they would not be in a real one of version 13.
    expect(migrate(h.db, loadMigrations().slice(0, 14))).toBe(1);
    h.db.pragma(`user_version = ${loadMigrations().length}`);
    expect(rows()).toEqual(indexed);
  });
});
