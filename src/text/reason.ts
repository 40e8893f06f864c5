// A failure's reason as one short line without addresses, for places that are public (/healthz:
// a container's HEALTHCHECK, a load balancer, anyone who can reach the port) or read at a glance
// (a lookup naming a list whose source fails). Which of a source's files failed is worth saying;
// where it lives, with what query, is not: `sources` and the log have the full, redacted text. Pure.
import { URL_IN_TEXT } from '../fetch/redact.js';
import { clip } from './limits.js';

/** A reason's length where it is shown in a line: the first clause of an error, not a page of it. */
export const SHORT_REASON_CHARS = 160;

/**
 * Each address in an error, cut to the file it names ("HTTP 404 from ALT.CSV"): which of a
 * source's files failed is worth saying; where it lives, with what query, is not.
 */
export function withoutAddresses(text: string): string {
  return text.replace(URL_IN_TEXT, (m) => {
    // "from https://…/ALT.CSV: HTTP detail": the colon ends the sentence's address, not the URL.
    const tail = /[.,:;!?]+$/.exec(m)?.[0] ?? '';
    let path: string;
    try {
      path = new URL(m.slice(0, m.length - tail.length)).pathname;
    } catch {
      return `its address${tail}`;
    }
    const file = path.split('/').filter(Boolean).pop();
    return (file ? decodeSafely(file) : 'its address') + tail;
  });
}

function decodeSafely(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export const shortReason = (text: string): string =>
  clip(withoutAddresses(text).replace(/\s+/g, ' ').trim(), SHORT_REASON_CHARS);
