import { describe, expect, it } from 'vitest';
import type { SourceConfig } from '../../src/domain.js';
import { citationLinks } from '../../src/alerts/citations.js';
import {
  classifyFrDocument,
  federalRegisterUrl,
  parseFederalRegister,
} from '../../src/sources/federal-register.js';
import { fixture } from '../helpers/fixtures.js';

const cfg = (
  options: Record<string, unknown>,
  url = 'https://www.federalregister.gov/api/v1/documents.json',
): SourceConfig => ({
  id: 'fr-bis',
  kind: 'federal-register',
  url,
  schedule: '*/15 * * * *',
  options,
});

describe('Federal Register API (federal-register kind)', () => {
  it('asks for the agency, newest first, with explicit fields', () => {
    const u = new URL(
      federalRegisterUrl(
        cfg({ agencies: ['industry-and-security-bureau'], types: ['RULE'], term: 'entity list' }),
      ),
    );
    expect(u.searchParams.getAll('conditions[agencies][]')).toEqual([
      'industry-and-security-bureau',
    ]);
    expect(u.searchParams.getAll('conditions[type][]')).toEqual(['RULE']);
    expect(u.searchParams.get('conditions[term]')).toBe('entity list');
    expect(u.searchParams.get('order')).toBe('newest');
    expect(u.searchParams.getAll('fields[]')).toEqual(
      expect.arrayContaining([
        'document_number',
        'type',
        'citation',
        'abstract',
        'agencies',
        'pdf_url',
        'effective_on',
      ]),
    );
  });

  it('reads each document: number, type, citation, dates, agencies, links, and what it is', () => {
    const s = parseFederalRegister(fixture('federal_register/documents_bis_constructed.json'));
    if (s.kind !== 'feed') throw new Error('feed');
    const [huawei, dod, other] = s.items;
    expect(huawei).toMatchObject({
      guid: '2019-10616',
      documentNumber: '2019-10616',
      documentType: 'Rule',
      citation: '84 FR 22961',
      effectiveOn: '2019-05-16',
      publishedAt: '2019-05-21T00:00:00.000Z',
      agencies: ['Commerce Department', 'Industry and Security Bureau'],
      label: 'Entity List additions',
      link: 'https://www.federalregister.gov/documents/2019/05/21/2019-10616/addition-of-entities-to-the-entity-list',
      documentUrl: 'https://www.govinfo.gov/content/pkg/FR-2019-05-21/pdf/2019-10616.pdf',
    });
    expect(huawei!.summary).toMatch(/^In this rule, the Bureau of Industry and Security/);
    // DoD's notice of the 2025 edition of the list (2025-00070, 90 FR 1105).
    expect(dod).toMatchObject({
      documentNumber: '2025-00070',
      documentType: 'Notice',
      citation: '90 FR 1105',
      label: 'DoD 1260H designations',
      documentUrl: null,
      title: 'Notice of Availability of Designation of Chinese Military Companies',
    });
    expect(other).toMatchObject({
      title: 'Agency Information Collection Activities — Comment Request',
      label: null,
      summary: '',
    });
  });

  it('recognises 1260H and Entity List documents by their real titles', () => {
    expect(classifyFrDocument('Notice of Designation of Chinese Military Companies')).toBe(
      'DoD 1260H designations',
    );
    expect(classifyFrDocument('Notice of Removal of Designated Chinese Military Companies')).toBe(
      'DoD 1260H removals',
    );
    expect(classifyFrDocument('Additions to the Entity List')).toBe('Entity List additions');
    expect(classifyFrDocument('Revisions to the Entity List')).toBe('Entity List revisions');
    expect(
      classifyFrDocument(
        'Removal of Certain Entities From the Entity List; and Revisions of Entries on the Entity List',
      ),
    ).toBe('Entity List removals');
    expect(classifyFrDocument('Notice of OFAC Sanctions Actions')).toBe('OFAC sanctions actions');
    expect(classifyFrDocument('Agency Information Collection Activities')).toBeNull();
  });

  it('a query with no match omits results: an empty feed, not an error', () => {
    expect(
      parseFederalRegister(Buffer.from('{"count":0,"description":"Documents matching nothing"}')),
    ).toEqual({ kind: 'feed', items: [], warnings: [] });
  });

  it('refuses errors, HTML and cut-off bodies with a reason', () => {
    expect(() =>
      parseFederalRegister(
        Buffer.from('{"errors":{"conditions":{"agencies":["nonsense is not a valid agency"]}}}'),
      ),
    ).toThrow(/refused the query.*nonsense/);
    expect(() =>
      parseFederalRegister(Buffer.from('<!DOCTYPE html><html>maintenance</html>')),
    ).toThrow(/HTML/);
    expect(() =>
      parseFederalRegister(Buffer.from('{"count":3,"results":[{"document_number":"2019-10')),
    ).toThrow(/not JSON/);
    expect(() => parseFederalRegister(Buffer.from('{"hello":"world"}'))).toThrow(
      /neither "results" nor "count"/,
    );
  });

  it('citations become federalregister.gov links, several per cell', () => {
    expect(citationLinks('83 FR 37423; 87 FR 77505')).toEqual([
      { citation: '83 FR 37423', url: 'https://www.federalregister.gov/citation/83-FR-37423' },
      { citation: '87 FR 77505', url: 'https://www.federalregister.gov/citation/87-FR-77505' },
    ]);
    expect(citationLinks('84 FR 22961')[0]!.url).toBe(
      'https://www.federalregister.gov/citation/84-FR-22961',
    );
    expect(citationLinks(null)).toEqual([]);
  });
});
