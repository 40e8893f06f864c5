import { describe, expect, it } from 'vitest';
import { parseOfacXml } from '../../src/sources/ofac-xml.js';
import { fixture } from '../helpers/fixtures.js';

/** The excerpt keeps five entries of 5,931: its header is set to what it holds, as a whole file's is. */
const whole = (xml = fixture('ofac/SDN_2014-05-30_excerpt.xml').toString('utf8')) =>
  Buffer.from(xml.replace('<Record_Count>5931</Record_Count>', '<Record_Count>5</Record_Count>'));

describe('OFAC SDN.XML (real 2014 excerpt, tempuri namespace)', () => {
  const snap = parseOfacXml(whole());
  if (snap.kind !== 'list') throw new Error('expected a list');

  it('reads every sdnEntry keyed by uid, whatever the namespace', () => {
    expect(snap.records.map((r) => r.key)).toEqual(['10', '15', '25', '36', '39']);
    expect(snap.records[0]).toMatchObject({
      name: 'ABASTECEDORA NAVAL Y INDUSTRIAL, S.A.',
      type: 'entity',
      programs: ['CUBA'],
      aliases: ['ANAINSA'],
      countries: ['Panama'],
    });
  });

  it('writes individuals as "LAST, First" like the CSV does', () => {
    expect(snap.records[1]).toMatchObject({ name: 'ABDELNUR, Nury de Jesus', type: 'individual' });
  });

  it('refuses a file holding fewer records than its header announces (cut and closed again)', () => {
    expect(() => parseOfacXml(fixture('ofac/SDN_2014-05-30_excerpt.xml'))).toThrow(
      /says 5931 records but holds 5: incomplete/,
    );
  });

  it('parses the same file under another namespace', () => {
    const xml = fixture('ofac/SDN_2014-05-30_excerpt.xml')
      .toString('utf8')
      .replace(
        'http://tempuri.org/sdnList.xsd',
        'https://sanctionslistservice.ofac.treas.gov/api/PublicationPreview/exports/XML',
      );
    const other = parseOfacXml(whole(xml));
    expect(other.kind === 'list' && other.records.length).toBe(5);
  });

  it('rejects a truncated file', () => {
    const full = fixture('ofac/SDN_2014-05-30_excerpt.xml');
    expect(() => parseOfacXml(full.subarray(0, 1500))).toThrow(/not well-formed/);
  });
});
