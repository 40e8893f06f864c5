// The full text of one Federal Register document, as paragraphs. The API offers it two ways:
// `raw_text_url`, the Government Publishing Office's text (72-column lines, a paragraph's first
// line indented, ``quotes'') wrapped in <html><body><pre>; and `full_text_xml_url`, the GPO XML
// (<P> per paragraph, <HD> headings). Both are read here into the same paragraphs. Pure.
import { decodeHTML } from 'entities';
import { stripControls } from '../text/html.js';
import { decodeText, ParseError } from './parse.js';

export interface DocumentText {
  /** Every paragraph of the document, whitespace collapsed. */
  paragraphs: string[];
  /** The paragraphs of SUPPLEMENTARY INFORMATION, up to the signature ("Dated:") or the filing line. */
  supplementary: string[];
}

const XML = /^\s*(?:<\?xml[^>]*>\s*)?<(?:NOTICE|RULE|PRORULE|PRESDOCU|FEDREG)\b/;
const SUPPLEMENTARY = /^SUPPLEMENTARY\s+INFORMATION\s*:?\s*/i;
const SECTION_END = /^(?:Dated:|\[FR Doc\.|BILLING CODE\b)/;

/** Paragraphs of a document's full text; `what` names it in errors ("the full text of 2025-00070"). */
export function readDocumentText(body: Uint8Array, what: string): DocumentText {
  const raw = decodeText(body);
  if (raw.trim().length === 0) throw new ParseError(`${what} is empty (0 bytes of data)`);
  const paragraphs = XML.test(raw) ? xmlParagraphs(raw) : textParagraphs(raw);
  const start = paragraphs.findIndex((p) => SUPPLEMENTARY.test(p));
  if (start < 0) {
    // An error or maintenance page, a login wall, a document cut off before its body.
    throw new ParseError(
      `${what} has no SUPPLEMENTARY INFORMATION section: not the full text of a notice or rule (an error page, or cut off?)`,
    );
  }
  const supplementary: string[] = [];
  const first = paragraphs[start]!.replace(SUPPLEMENTARY, '');
  if (first) supplementary.push(first);
  for (const p of paragraphs.slice(start + 1)) {
    if (SECTION_END.test(p)) break;
    supplementary.push(p);
  }
  return { paragraphs, supplementary };
}

/** GPO text: a paragraph begins with an indented line or after a blank line; the lines under it continue it. */
function textParagraphs(raw: string): string[] {
  let text = raw;
  if (/<pre\b/i.test(text))
    text = text
      .slice(text.search(/<pre\b[^>]*>/i))
      .replace(/^<pre\b[^>]*>/i, '')
      .replace(/<\/pre>[\s\S]*$/i, '');
  else if (/<\/?(?:html|body|p|div)\b/i.test(text))
    text = text.replace(/<(?:p|div|br|li|h\d)\b[^>]*>/gi, '\n    ');
  text = decodeHTML(text.replace(/<[^>]*>/g, ''));
  const out: string[] = [];
  let current: string[] = [];
  const flush = () => {
    const p = tidy(current.join(' '));
    if (p) out.push(p);
    current = [];
  };
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim()) {
      flush();
      continue;
    }
    // Page markers ("[[Page 1106]]") sit between lines of one paragraph.
    if (/^\s*\[\[Page \d+\]\]\s*$/.test(line)) continue;
    if (/^\s/.test(line) || /^-{10,}$/.test(line.trim())) flush();
    current.push(line.trim());
  }
  flush();
  return out;
}

function xmlParagraphs(raw: string): string[] {
  const marked = raw
    .replace(/<PRTPAGE\b[^>]*\/>/g, ' ')
    .replace(
      /<(?:P|FP|HD|AGY|ACT|SUM|DATES|ADD|FURINF|SUPLINF|SIG|DATED|NAME|TITLE|FRDOC|BILCOD|LI)\b[^>]*>/g,
      '\n\u0000',
    );
  const out: string[] = [];
  for (const chunk of marked.split('\n\u0000')) {
    const p = tidy(decodeHTML(chunk.replace(/<[^>]*>/g, ' ')));
    if (p) out.push(p);
  }
  return out;
}

function tidy(s: string): string {
  // GPO writes ``quotes'' in its text; the XML and the printed page have “quotes”.
  return stripControls(s.replace(/``/g, '“').replace(/''/g, '”')).replace(/\s+/g, ' ').trim();
}

/**
 * The paragraphs of a document's text handed over under `name`, if it was read; a text that is
 * not one (an error page) is left out with a warning, and the document read by `fallback`.
 */
export function readIfGiven(
  body: Uint8Array | undefined,
  documentNumber: string,
  warnings: string[],
  fallback: string,
): string[] | undefined {
  if (!body) return undefined;
  try {
    return readDocumentText(body, `the full text of ${documentNumber}`).paragraphs;
  } catch (err) {
    warnings.push(`${(err as Error).message}; it was read by ${fallback}`);
    return undefined;
  }
}
