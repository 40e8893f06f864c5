// A lookup by identifier, on real OFAC rows polled through the real poller: a vessel by its IMO
// number, a bank by its SWIFT/BIC, an issuer by its ISIN or ticker, typed with or without the
// label, with the spacing and punctuation people use.
import { describe, expect, it } from 'vitest';
import { identifierQuery, sharesIdentifier } from '../src/portfolio/identifier-query.js';
import { runCommand } from '../src/commands/run.js';
import { indexQueued } from '../src/store/indexing.js';
import { NameMatcher } from '../src/names/matcher.js';
import { fixture } from './helpers/fixtures.js';
import { pollTestbed, source } from './helpers/poll-harness.js';

interface Answer {
  results: { name: string; matched: { name: string; reason: string; score: number } }[];
}

describe('identifierQuery', () => {
  it('gives the whole query and the query without its label, compact, and tickers as typed', () => {
    expect(identifierQuery('IMO 9187629')).toEqual({
      keys: ['IMO9187629', '9187629'],
      tickers: [],
    });
    expect(identifierQuery('Tax ID No. AABA 670850 Y').keys).toContain('AABA670850Y');
    expect(identifierQuery('CHA US').tickers).toEqual(['CHA US']);
    // A word with a digit is part of the identifier, not a label: nothing after it is dropped.
    expect(identifierQuery('7406784 EBANO').keys).toEqual(['7406784EBANO']);
    // Short words and lower-case pairs are names, not identifiers or tickers.
    expect(identifierQuery('ZTE')).toEqual({ keys: [], tickers: [] });
    expect(identifierQuery('Cha us').tickers).toEqual([]);
    // A name holds no digit: not probed, unless it has a SWIFT/BIC or tail number's shape.
    expect(identifierQuery('Bank Melli Iran').keys).toEqual([]);
    expect(identifierQuery('ABDULLAH AL NASSER').keys).toEqual([]);
    expect(identifierQuery('ADVANCED WEB SERVICES').keys).toEqual([]);
    expect(identifierQuery('ABU AL-JUD').keys).toEqual([]);
    expect(identifierQuery('Aircraft Tail Number EP-MMH').keys).toEqual(['EPMMH']);
    expect(identifierQuery('DEUTDEFF').keys).toEqual(['DEUTDEFF']);
    expect(identifierQuery('EP-MMH').keys).toEqual(['EPMMH']);
  });
});

describe('sharesIdentifier', () => {
  it('takes one identifier typed two ways as one, and two labelled numbers as two', () => {
    expect(sharesIdentifier('IMO 7406784', 'imo 7406784')).toBe(true);
    expect(sharesIdentifier('Tax ID No. 111 601 632 100', '111601632100')).toBe(true);
    expect(sharesIdentifier('7406784', 'Vessel Registration Identification IMO 7406784')).toBe(
      true,
    );
    expect(sharesIdentifier('Alpha 12345', 'Beta 12345')).toBe(false);
    expect(sharesIdentifier('IMO 7406784', 'IMO 7406785')).toBe(false);
    expect(sharesIdentifier('Hesai', 'HESAI')).toBe(false); // names are compared as names
  });
});

describe('lookup by identifier', () => {
  const { server, h } = pollTestbed({ fresh: 'block' });
  const run = (text: string) =>
    runCommand(text, {
      db: h.db,
      matcher: new NameMatcher(h.db),
      sources: [],
      channel: 'console:team',
    });
  const first = (text: string) => {
    const r = run(`lookup ${text}`);
    expect(r.ok, `${text}: ${r.summary}`).toBe(true);
    return (r.data as Answer).results[0];
  };

  it('finds a vessel by IMO, a bank by SWIFT/BIC, an issuer by ISIN and ticker, and a company by a tax number', async () => {
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    server.set('/cons.csv', { kind: 'body', body: fixture('ofac/cons_prim.csv') });
    await h.poll(source('sdn', 'ofac-csv', server.url('/sdn.csv')));
    await h.poll(source('cons', 'ofac-csv', server.url('/cons.csv'), { consolidated: true }));
    indexQueued(h.db);

    for (const q of [
      'IMO 7406784',
      '7406784',
      'Vessel Registration Identification IMO 7406784',
      'imo 7406784',
      'IMO\u00a07406784',
      'ＩＭＯ ７４０６７８４',
    ]) {
      expect(first(q), q).toMatchObject({
        name: 'EBANO',
        matched: { name: 'IMO 7406784', reason: 'identifier', score: 1 },
      });
    }
    expect(first('HAVIGB2L')).toMatchObject({
      name: 'HAVIN BANK LIMITED',
      matched: { name: 'SWIFT/BIC HAVIGB2L', reason: 'identifier' },
    });
    expect(first('SWIFT/BIC havigb2l')).toMatchObject({ name: 'HAVIN BANK LIMITED' });
    expect(first('ISIN US1694261033')).toMatchObject({
      name: expect.stringMatching(/China Mobile|CHINA/i),
      matched: { name: 'ISIN US1694261033' },
    });
    expect(first('CHA US')).toMatchObject({
      matched: { name: 'Ticker CHA US', reason: 'identifier' },
    });
    expect(first('Tax ID No. 440114505005 (Bosnia and Herzegovina)')).toMatchObject({
      matched: { name: 'Tax ID 440114505005', reason: 'identifier' },
    });
    expect(first('Unified Social Credit Code (USCC) 9111000071093019X7')).toMatchObject({
      matched: { name: 'USCC 9111000071093019X7' },
    });

    // Compared compact, shown as the source writes it.
    expect(first('Registration Number 1 91 00')).toMatchObject({
      name: 'INTEGRAL INZENJERING A.D. LAKTASI',
      matched: { name: 'Registration Number 1-91-00', reason: 'identifier' },
    });

    expect(run('history IMO 7406784').summary).toMatch(/^History of EBANO /);

    const text = run('lookup IMO 7406784');
    expect(text.summary).toMatch(/^1 match for "IMO 7406784" across the/);
    expect(text.sections[0]!.fields[0]).toEqual({
      label: 'Matched',
      value: 'IMO 7406784 — identifier, score 1.00',
    });
  });

  it('answers "not listed" for an identifier no entry carries, and still matches names as before', () => {
    const none = run('lookup IMO 9999999');
    expect(none.ok).toBe(true);
    expect(none.summary).toMatch(/^"IMO 9999999" is not on any of the \d+ tracked lists/);
    expect(first('HAVIN BANK LIMITED')).toMatchObject({
      name: 'HAVIN BANK LIMITED',
      matched: { reason: 'exact' },
    });
  });
});
