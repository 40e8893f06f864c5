// Slack mrkdwn treats <...> as control sequences (<!channel>, <@U123>, <url|text>): text from
// feeds and lists is escaped so it can only ever be text.
import { cleanText } from '../../src/text/clean.js';
import { clip, httpUrl } from '../../src/text/limits.js';

export function escapeText(text: string): string {
  return cleanText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** A link we build ourselves, only for http(s) URLs; anything else is shown as text. */
export function link(url: string | null | undefined, label: string): string {
  const text = escapeText(label).replace(/\|/g, '¦');
  if (!httpUrl(url)) return text;
  const safe = url!.replace(/[<>|]/g, (c) => encodeURIComponent(c));
  return `<${safe}|${text}>`;
}

// Slack's limits: section text 3,000 characters, a field 2,000.
export { clip };
