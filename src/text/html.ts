// Text of feed items as people should read it: entities decoded (PACER and the Federal Register
// escape twice), markup and control characters gone, whitespace collapsed. Pure.
import { decodeHTML } from 'entities';

// C0/C1 controls (ESC sequences, BEL, NUL) and bidi overrides would reach terminals and chat
// payloads verbatim; tabs and newlines become spaces with the rest of the whitespace.
const CONTROL =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

export function stripControls(s: string): string {
  return s.replace(CONTROL, '');
}

/** "Food &amp;amp; Water" → "Food & Water": two layers of escaping, undone by a real decoder. */
export function unescapeText(s: string): string {
  return decodeHTML(decodeHTML(s));
}

/** One line of plain text: entities, tags (also escaped tags), controls and runs of space removed. */
export function plainText(html: string): string {
  const once = decodeHTML(html.replace(/<[^>]*>/g, ' '));
  return stripControls(decodeHTML(once.replace(/<[^>]*>/g, ' ')).replace(/<[^>]*>/g, ' '))
    .replace(/\s+/g, ' ')
    .trim();
}

/** A title: unescaped, controls stripped, padded and doubled spaces collapsed. */
export function cleanTitle(s: string): string {
  return stripControls(unescapeText(s)).replace(/\s+/g, ' ').trim();
}
