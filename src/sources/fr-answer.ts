// A Federal Register API documents.json answer, checked: the documents it lists, or why it is not
// an answer. Shared by the kinds that read the API. Pure.
import { assertLooksLikeData, decodeText, ParseError } from './parse.js';

/** The answer's `results`; `[]` for a query that matches nothing ({count: 0} without "results"). */
export function frResults(body: Uint8Array): unknown[] {
  const text = decodeText(body);
  assertLooksLikeData(text, 'the Federal Register answer');
  let doc: { results?: unknown; count?: unknown; errors?: unknown };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    throw new ParseError('the Federal Register answer is not JSON (cut off, or not the API?)');
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new ParseError('the Federal Register answer is not a JSON object');
  if (doc.errors)
    throw new ParseError(
      `the Federal Register API refused the query: ${JSON.stringify(doc.errors).slice(0, 300)}`,
    );
  if (doc.results === undefined) {
    if (typeof doc.count === 'number') return [];
    throw new ParseError(
      'the answer has neither "results" nor "count": not a Federal Register documents.json answer',
    );
  }
  if (!Array.isArray(doc.results)) throw new ParseError('"results" is not a list');
  return doc.results;
}
