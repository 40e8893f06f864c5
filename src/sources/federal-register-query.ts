// The query URL of a Federal Register source, apart from the parser: the poller builds it for
// every fetch, and must not load the feed parsers' HTML stack to do so.
import type { SourceConfig } from '../domain.js';

/** Without fields[] the API answers only a few fields; these are the ones an alert uses. */
export const FR_FIELDS = [
  'document_number',
  'type',
  'action',
  'title',
  'abstract',
  'citation',
  'publication_date',
  'effective_on',
  'agencies',
  'html_url',
  'pdf_url',
  'docket_ids',
  'cfr_references',
  'raw_text_url',
  'full_text_xml_url',
] as const;

const strings = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.filter((x): x is string => typeof x === 'string' && x.length > 0)
    : typeof v === 'string' && v
      ? [v]
      : [];

/** The query URL of a source: its `url`, plus conditions from `agencies`, `term`, `types`. */
export function federalRegisterUrl(cfg: SourceConfig): string {
  const u = new URL(cfg.url);
  const q = u.searchParams;
  for (const a of strings(cfg.options.agencies)) q.append('conditions[agencies][]', a);
  for (const t of strings(cfg.options.types)) q.append('conditions[type][]', t);
  const term = strings(cfg.options.term)[0];
  if (term) q.set('conditions[term]', term);
  if (!q.has('order')) q.set('order', 'newest');
  // 50 a poll: days of any one agency's documents (the DoD's, the most, run about ten a day), so a
  // daemon stopped for days misses none, at half the bytes of 100 every 15 minutes.
  if (!q.has('per_page'))
    q.set('per_page', String(typeof cfg.options.perPage === 'number' ? cfg.options.perPage : 50));
  if (!q.has('fields[]')) for (const f of FR_FIELDS) q.append('fields[]', f);
  return u.href;
}

/** Fields the 1260H list needs besides: where each notice's full text is. */
const TEXT_FIELDS = [
  'document_number',
  'type',
  'action',
  'title',
  'citation',
  'publication_date',
  'html_url',
  'raw_text_url',
  'full_text_xml_url',
] as const;

/**
 * The DoD's notices about "Chinese military companies", all of them: each edition of the list and
 * every addition and removal since the first list of 2021 (a dozen documents, one small answer).
 */
export function dod1260hSearchUrl(cfg: SourceConfig): string {
  const u = new URL(cfg.url);
  const q = u.searchParams;
  if (!q.has('conditions[agencies][]')) q.append('conditions[agencies][]', 'defense-department');
  if (!q.has('conditions[term]')) q.set('conditions[term]', '"chinese military"');
  if (!q.has('order')) q.set('order', 'newest');
  if (!q.has('per_page')) q.set('per_page', '100');
  if (!q.has('fields[]')) for (const f of TEXT_FIELDS) q.append('fields[]', f);
  return u.href;
}

const FR_SITE = 'https://www.federalregister.gov';

/** A federalregister.gov link read from the source's own site when the source is a mirror or a test server. */
export function sameSite(link: string, sourceUrl: string): string {
  const source = new URL(sourceUrl);
  if (!link.startsWith(`${FR_SITE}/`) || source.origin === FR_SITE || source.protocol === 'file:')
    return link;
  const u = new URL(link);
  return new URL(u.pathname + u.search, source.origin).href;
}
