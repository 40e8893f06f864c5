// The query URL of a Federal Register source, apart from the parser: the poller builds it for
// every fetch, and must not load the feed parsers' HTML stack to do so.
import type { SourceConfig } from '../domain.js';

/** Without fields[] the API answers only a few fields; these are the ones an alert uses. */
export const FR_FIELDS = [
  'document_number', 'type', 'action', 'title', 'abstract', 'citation', 'publication_date', 'effective_on',
  'agencies', 'html_url', 'pdf_url', 'docket_ids', 'cfr_references',
] as const;

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string' && x.length > 0) : typeof v === 'string' && v ? [v] : []);

/** The query URL of a source: its `url`, plus conditions from `agencies`, `term`, `types`. */
export function federalRegisterUrl(cfg: SourceConfig): string {
  const u = new URL(cfg.url);
  const q = u.searchParams;
  for (const a of strings(cfg.options.agencies)) q.append('conditions[agencies][]', a);
  for (const t of strings(cfg.options.types)) q.append('conditions[type][]', t);
  const term = strings(cfg.options.term)[0];
  if (term) q.set('conditions[term]', term);
  if (!q.has('order')) q.set('order', 'newest');
  if (!q.has('per_page')) q.set('per_page', String(typeof cfg.options.perPage === 'number' ? cfg.options.perPage : 100));
  if (!q.has('fields[]')) for (const f of FR_FIELDS) q.append('fields[]', f);
  return u.href;
}

