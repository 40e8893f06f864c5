// The sentences of a document that name the companies found in it, to quote in the alert: "the
// Entity List is amended by adding ... Huawei Technologies Co., Ltd. ..." says what the rule does
// to the company, where the title ("Additions to the Entity List") does not. Pure.
import type { Mention } from '../domain.js';
import { normalizeName } from '../names/normalize.js';

const MAX_PASSAGES = 3;
const MAX_CHARS = 400;

/** A sentence ends at ". " or "; " before a capital, a digit or an opening bracket or quote. */
const SENTENCE_END = /(?<=[.;])\s+(?=[A-Z0-9(“"‘[])/;

/** Up to three sentences, one per company (listed ones first, as found), each cut to 400 characters around the name. */
export function passagesNaming(paragraphs: string[], mentions: Mention[]): string[] {
  const out: string[] = [];
  const done = new Set<string>();
  for (const m of mentions) {
    if (out.length >= MAX_PASSAGES || done.has(m.matched)) continue;
    done.add(m.matched);
    const needle = ` ${m.matched} `;
    for (const [i, p] of paragraphs.entries()) {
      if (!` ${normalizeName(p)} `.includes(needle)) continue;
      // A short paragraph is one item ("WuXi AppTec Co., Ltd. (WuXi AppTec)"), whatever its periods.
      const sentence =
        p.length < 120
          ? p
          : (p.split(SENTENCE_END).find((s) => ` ${normalizeName(s)} `.includes(needle)) ?? p);
      // A name alone on its line is an item of a list: the sentence that leads into the list says what it is on.
      const lead = sentence.length < 120 ? leadIn(paragraphs, i) : null;
      const quote = lead
        ? `${clipEnd(lead, MAX_CHARS - sentence.length - 3)} … ${sentence}`
        : around(sentence, m);
      if (!out.includes(quote)) out.push(quote);
      break;
    }
  }
  return out;
}

/**
 * The last sentence of the paragraph that leads into a list ("...the following entities are
 * “Chinese military companies”...:"), within the 400 paragraphs above an item of it. Items may
 * carry a paragraph of their own (the 1260H reasons): a long paragraph right after a short one is
 * such a note; any other long paragraph ends the list, and there is no lead-in.
 */
function leadIn(paragraphs: string[], at: number): string | null {
  for (let j = at - 1; j >= Math.max(0, at - 400); j--) {
    const p = paragraphs[j]!;
    if (p.endsWith(':')) return p.split(SENTENCE_END).at(-1)!;
    if (p.length >= 120 && !(j > 0 && paragraphs[j - 1]!.length < 120)) return null;
  }
  return null;
}

/** The end of a text, at most `max` characters. */
function clipEnd(text: string, max: number): string {
  return text.length <= max ? text : `…${text.slice(text.length - max + 1).trimStart()}`;
}

/** The sentence, or 400 characters of it around the first word of the name. */
function around(sentence: string, m: Mention): string {
  if (sentence.length <= MAX_CHARS) return sentence;
  const first = m.matched.split(' ')[0]!;
  const at = Math.max(0, sentence.toLowerCase().indexOf(first));
  const start = Math.max(0, Math.min(at - 120, sentence.length - MAX_CHARS));
  return `${start > 0 ? '…' : ''}${sentence.slice(start, start + MAX_CHARS).trim()}${start + MAX_CHARS < sentence.length ? '…' : ''}`;
}
