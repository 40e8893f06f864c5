// OFAC's Sanctions List Service says when it has published (GET /changes/history/{year}: the
// year's publications, each `{publicationID, datePublished}` as OFAC's API documentation gives
// them): one small answer instead of four list files, so the lists can be asked after every few
// minutes and downloaded only when there is something new. Pure.
import { decodeText } from './parse.js';

/** The publications URL for a moment: `{year}` is the UTC year, so a poll on 1 January asks the new year. */
export function publicationsUrl(template: string, now: Date): string {
  return template.replace(/\{year\}/g, String(now.getUTCFullYear()));
}

/**
 * The newest publication in an answer, as a key ("<id>@<date>"), or null when the answer is not
 * a list of publications (then the lists are downloaded as if there were no gate). A year without
 * publications yet is a key of its own.
 */
export function newestPublication(body: Uint8Array): string | null {
  let doc: unknown;
  try {
    doc = JSON.parse(decodeText(body));
  } catch {
    return null;
  }
  const list = Array.isArray(doc)
    ? doc
    : Array.isArray((doc as { publications?: unknown })?.publications)
      ? (doc as { publications: unknown[] }).publications
      : null;
  if (!list) return null;
  if (list.length === 0) return 'none';
  let best: { id: string; date: string } | null = null;
  for (const p of list) {
    if (!p || typeof p !== 'object') return null;
    const entries = Object.entries(p as Record<string, unknown>);
    const id = entries.find(([k]) => /^publication_?id$/i.test(k))?.[1];
    const date = entries.find(([k]) => /^date_?published$/i.test(k))?.[1];
    if ((typeof id !== 'string' && typeof id !== 'number') || typeof date !== 'string') return null;
    const candidate = { id: String(id), date };
    if (
      !best ||
      candidate.date > best.date ||
      (candidate.date === best.date && candidate.id > best.id)
    )
      best = candidate;
  }
  return best ? `${best.id}@${best.date}` : null;
}
