// The Federal Register's public inspection desk (/api/v1/public-inspection-documents/current.json):
// documents filed by the agencies and made public the day before they are published, one
// unpaginated list. An Entity List rule or a 1260H notice is news from the moment it is on the
// desk, hours before the published issue. Pure.
import type { FeedItem, Snapshot } from '../domain.js';
import { classifyFrDocument, labelledTexts, textBody } from './federal-register.js';
import { cleanTitle, plainText } from '../text/html.js';
import { frResults } from './fr-answer.js';
import { readIfGiven } from './fr-full-text.js';

interface InspectionDocument {
  document_number?: string;
  title?: string;
  type?: string;
  agencies?: { name?: string; raw_name?: string; slug?: string }[];
  filed_at?: string;
  publication_date?: string;
  pdf_url?: string | null;
  html_url?: string | null;
  raw_text_url?: string | null;
  editorial_note?: string | null;
  subject_1?: string | null;
  subject_2?: string | null;
}

export interface InspectionOptions {
  /** Agency slugs or names: only their documents are kept (every agency's when not given). */
  agencies?: string[];
}

/**
 * Every document of the desk is kept (its first answer is the feed's baseline even on a day with
 * nothing about the lists); which of them alert is the feed policy's (kinds.ts: quiet).
 */
function kept(d: InspectionDocument, opts: InspectionOptions): boolean {
  if (!opts.agencies?.length) return true;
  const wanted = new Set(opts.agencies.map((a) => a.toLowerCase()));
  return (d.agencies ?? []).some((a) =>
    [a.slug, a.name, a.raw_name].some((x) => x && wanted.has(x.toLowerCase())),
  );
}

/** The title as the published document will have it: the desk sometimes splits it into subjects. */
function titleOf(d: InspectionDocument): string {
  return cleanTitle(d.title || [d.subject_1, d.subject_2].filter(Boolean).join(': '));
}

export function parsePublicInspection(
  body: Uint8Array,
  bodies: Record<string, Uint8Array | undefined> = {},
  opts: InspectionOptions = {},
): Snapshot {
  const warnings: string[] = [];
  const items: FeedItem[] = [];
  for (const d of frResults(body) as InspectionDocument[]) {
    const title = d ? titleOf(d) : '';
    if (!d?.document_number || !title) continue;
    if (!kept(d, opts)) continue;
    const fullText = readIfGiven(
      bodies[textBody(d.document_number)],
      d.document_number,
      warnings,
      'title',
    );
    const publishesOn = /^\d{4}-\d{2}-\d{2}$/.test(d.publication_date ?? '')
      ? d.publication_date!
      : null;
    const filed =
      d.filed_at && !Number.isNaN(Date.parse(d.filed_at))
        ? new Date(d.filed_at).toISOString()
        : null;
    items.push({
      // The published document keeps its number: the same guid lets the published one be known as this news.
      guid: d.document_number,
      title,
      link:
        d.html_url ??
        d.pdf_url ??
        `https://www.federalregister.gov/public-inspection/${d.document_number}`,
      publishedAt: filed,
      summary: plainText(d.editorial_note ?? ''),
      documentNumber: d.document_number,
      documentUrl: d.pdf_url ?? null,
      documentType: d.type ?? null,
      citation: null,
      agencies: (d.agencies ?? []).map((a) => a.name ?? a.raw_name ?? '').filter(Boolean),
      label: classifyFrDocument(title, null),
      publicInspection: { publishesOn },
      ...(fullText ? { fullText } : {}),
    });
  }
  return { kind: 'feed', items, warnings };
}

/** The text of each new labelled document on the desk (its text is ready when it is). */
export function inspectionTextsToRead(
  body: Uint8Array,
  sourceUrl: string,
  known: (guids: string[]) => Set<string>,
): Record<string, string> {
  const docs = (frResults(body) as InspectionDocument[])
    .filter((d) => d?.document_number && titleOf(d))
    .map((d) => ({
      number: d.document_number!,
      label: classifyFrDocument(titleOf(d), null),
      textUrl: d.raw_text_url ?? null,
    }));
  return labelledTexts(docs, sourceUrl, known);
}
