import { describe, expect, it } from 'vitest';
import { parseOfacXml } from '../../src/sources/ofac-xml.js';
import { fixture } from '../helpers/fixtures.js';

describe('OFAC SDN.XML (real 2014 excerpt, tempuri namespace)', () => {
  const snap = parseOfacXml(fixture('ofac/SDN_2014-05-30_excerpt.xml'));
  if (snap.kind !== 'list') throw new Error('expected a list');

  it('reads every sdnEntry keyed by uid, whatever the namespace', () => {
    expect(snap.records.map((r) => r.key)).toEqual(['10', '15', '25', '36', '39']);
    expect(snap.records[0]).toMatchObject({ name: 'ABASTECEDORA NAVAL Y INDUSTRIAL, S.A.', type: 'entity', programs: ['CUBA'], aliases: ['ANAINSA'], countries: ['Panama'] });
  });

  it('writes individuals as "LAST, First" like the CSV does', () => {
    expect(snap.records[1]).toMatchObject({ name: 'ABDELNUR, Nury de Jesus', type: 'individual' });
  });

  it('notes that the excerpt holds fewer records than its header announces', () => {
    expect(snap.warnings.join()).toMatch(/says 5931 records but holds 5/);
  });

  it('parses the same file under another namespace', () => {
    const xml = fixture('ofac/SDN_2014-05-30_excerpt.xml').toString('utf8').replace('http://tempuri.org/sdnList.xsd', 'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML');
    const other = parseOfacXml(Buffer.from(xml));
    expect(other.kind === 'list' && other.records.length).toBe(5);
  });

  it('rejects a truncated file', () => {
    const full = fixture('ofac/SDN_2014-05-30_excerpt.xml');
    expect(() => parseOfacXml(full.subarray(0, 1500))).toThrow(/not well-formed/);
  });
});
