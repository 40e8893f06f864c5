// The Federal Register API (/api/v1/documents.json): rules and notices of the agencies that
// designate (BIS, OFAC, DoD, DHS), with type, citation and dates that the RSS feed lacks.
// Shapes from the API's documentation and federalregister.gov's own client code.
import type { FeedItem, Snapshot } from '../domain.js';
import { cleanTitle, plainText } from '../text/html.js';
import { frResults } from './fr-answer.js';
import { readIfGiven } from './fr-full-text.js';
import { sameSite } from './federal-register-query.js';

export { federalRegisterUrl, FR_FIELDS } from './federal-register-query.js';

interface FrDocument {
  document_number?: string;
  type?: string;
  action?: string | null;
  title?: string;
  abstract?: string | null;
  citation?: string | null;
  publication_date?: string;
  effective_on?: string | null;
  agencies?: { name?: string; raw_name?: string; slug?: string }[];
  html_url?: string;
  pdf_url?: string | null;
  docket_ids?: string[];
  raw_text_url?: string | null;
  full_text_xml_url?: string | null;
}

/** The labels whose documents name companies in their body (tables of the Entity List, the lists of a notice). */
const READ_IN_FULL = /^(?:DoD 1260H|Entity List|MEU List|Unverified List|UFLPA Entity List)/;
/** Texts read in one poll: a catch-up after days away reads the rest by title and abstract. */
const MAX_TEXTS = 10;

/** The body name under which the poller hands over a document's full text. */
export const textBody = (documentNumber: string): string => `text:${documentNumber}`;

const LABELS: [RegExp, string][] = [
  [/designation of chinese military compan/i, 'DoD 1260H designations'],
  [/removal of (?:designated )?chinese military compan/i, 'DoD 1260H removals'],
  [/chinese military compan/i, 'DoD 1260H notice'],
  [/addition(?:s)?\b.{0,40}\bto the entity list/i, 'Entity List additions'],
  [/removal(?:s)?\b.{0,40}\bfrom the entity list/i, 'Entity List removals'],
  [/revision(?:s)?\b.{0,40}\b(?:to|of|on) the entity list/i, 'Entity List revisions'],
  [/uflpa entity list|uyghur forced labor prevention act entity list/i, 'UFLPA Entity List'],
  [/military end.?user/i, 'MEU List changes'],
  [/unverified list/i, 'Unverified List changes'],
  [/\bentity list\b/i, 'Entity List rule'],
  [/notice of ofac sanctions actions?/i, 'OFAC sanctions actions'],
];

/** What a document is, from its title and action ("Additions to the Entity List" → Entity List additions). */
export function classifyFrDocument(title: string, action?: string | null): string | null {
  const text = `${title} ${action ?? ''}`;
  return LABELS.find(([re]) => re.test(text))?.[1] ?? null;
}

function isoDay(d: string | null | undefined): string | null {
  return d && /^\d{4}-\d{2}-\d{2}$/.test(d) ? d : null;
}

/**
 * Where to read the full text of each document new to the feed that names companies in its body
 * (by label), newest first, at most MAX_TEXTS. `known` tells the documents already stored.
 */
export function textsToRead(
  body: Uint8Array,
  sourceUrl: string,
  known: (guids: string[]) => Set<string>,
): Record<string, string> {
  const docs = (frResults(body) as FrDocument[])
    .filter((d) => d?.document_number && d.title)
    .map((d) => ({
      number: d.document_number!,
      label: classifyFrDocument(cleanTitle(d.title!), d.action),
      textUrl: d.raw_text_url ?? d.full_text_xml_url ?? null,
    }));
  return labelledTexts(docs, sourceUrl, known);
}

/** Of these documents, the new ones about the lists that have a text, by body name, at most MAX_TEXTS. */
export function labelledTexts(
  docs: { number: string; label: string | null; textUrl: string | null }[],
  sourceUrl: string,
  known: (guids: string[]) => Set<string>,
): Record<string, string> {
  const seen = known(docs.map((d) => d.number));
  const out: Record<string, string> = {};
  for (const d of docs) {
    if (Object.keys(out).length >= MAX_TEXTS) break;
    if (seen.has(d.number) || !d.textUrl || !READ_IN_FULL.test(d.label ?? '')) continue;
    out[textBody(d.number)] = sameSite(d.textUrl, sourceUrl);
  }
  return out;
}

export function parseFederalRegister(
  body: Uint8Array,
  bodies: Record<string, Uint8Array | undefined> = {},
): Snapshot {
  const results = frResults(body);
  const warnings: string[] = [];
  const items: FeedItem[] = [];
  for (const d of results as FrDocument[]) {
    if (!d?.document_number || !d.title) {
      warnings.push('a document without document_number or title was skipped');
      continue;
    }
    const title = cleanTitle(d.title);
    const fullText = readIfGiven(
      bodies[textBody(d.document_number)],
      d.document_number,
      warnings,
      'title and abstract',
    );
    items.push({
      guid: d.document_number,
      title,
      link: d.html_url ?? `https://www.federalregister.gov/d/${d.document_number}`,
      publishedAt: isoDay(d.publication_date) ? `${d.publication_date}T00:00:00.000Z` : null,
      summary: plainText(d.abstract ?? ''),
      documentNumber: d.document_number,
      documentUrl: d.pdf_url ?? null,
      documentType: d.type ?? null,
      citation: d.citation ?? null,
      agencies: (d.agencies ?? []).map((a) => a.name ?? a.raw_name ?? '').filter(Boolean),
      effectiveOn: isoDay(d.effective_on),
      label: classifyFrDocument(title, d.action),
      ...(fullText ? { fullText } : {}),
    });
  }
  return { kind: 'feed', items, warnings };
}
