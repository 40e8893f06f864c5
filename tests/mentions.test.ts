import { describe, expect, it } from 'vitest';
import type { DesignationRecord } from '../src/domain.js';
import { MentionIndex } from '../src/feeds/mentions.js';
import { normalizeName } from '../src/names/normalize.js';
import { parseCsl } from '../src/sources/csl.js';
import { parseGenericCsv } from '../src/sources/generic-csv.js';
import { fixture } from './helpers/fixtures.js';
import { listingMentionNames } from './helpers/stored.js';

function lists(): DesignationRecord[] {
  const csl = parseCsl(fixture('csl/consolidated_2023-11_excerpt.csv'));
  const dod = parseGenericCsv(fixture('dod1260h/dod_1260h_2024-01-31.csv'), {
    list: 'DoD 1260H',
    columns: { name: 'Company', aliases: 'Also known as' },
  });
  if (csl.kind !== 'list' || dod.kind !== 'list') throw new Error('lists');
  return [...csl.records, ...dod.records];
}

describe('normalizeName', () => {
  const cases: [string, string][] = [
    ['HUAWEI TECHNOLOGIES CO., LTD.', 'huawei technologies'],
    ['Huawei Investment & Holding Co., Ltd.', 'huawei investment and holding'],
    ['Aviation Industry Corporation of China Ltd. (AVIC)', 'aviation industry of china'],
    [
      'Beijing Institute of Technology and any successor, sub-unit, or subsidiary thereof',
      'beijing institute of technology',
    ],
    ['Société Générale', 'societe generale'],
    ['ＨＥＳＡＩ　Group', 'hesai'],
  ];
  for (const [raw, want] of cases)
    it(`${raw} → ${want}`, () => expect(normalizeName(raw)).toBe(want));
});

describe('MentionIndex', () => {
  const index = new MentionIndex(listingMentionNames(lists()));

  it('finds a listed company in a court caption', () => {
    const found = index.find(
      '1:24-cv-02003 HESAI GROUP v. DEPARTMENT OF DEFENSE [Memorandum Opinion]',
    );
    expect(found.map((e) => e.name)).toEqual(['Hesai Technology Co., Ltd.']);
  });

  it('finds a company by its CSL alias', () => {
    expect(index.find('Order re China Telecom Corp Ltd. petition').map((e) => e.name)).toContain(
      'China Telecom Corporation Limited',
    );
  });

  it('never matches on a bare generic word', () => {
    expect(index.find('China technology group corp order filed')).toEqual([]);
    expect(index.find('USA v. Randy Koontz')).toEqual([]);
  });
});
