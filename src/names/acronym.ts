// The acronyms a name's initials spell: "China National Offshore Oil Corporation" is CNOOC,
// "Semiconductor Manufacturing International Corporation" SMIC. Companies drop a trailing legal
// form from their acronym as often as not ("China State Shipbuilding Corporation Limited" is
// CSSC), so each shorter form counts too.
import { normalizeKeyName } from './key.js';
import { LEGAL_FORMS } from './normalize.js';

const SKIP = new Set([
  'of',
  'and',
  'the',
  'for',
  'in',
  'on',
  'at',
  'de',
  'del',
  'des',
  'la',
  'le',
  'y',
  'et',
]);

export function acronymsOf(name: string): string[] {
  const words = normalizeKeyName(name.replace(/\([^)]*\)/g, ' ').replace(/&/g, ' '))
    .split(' ')
    .filter((w) => w && !SKIP.has(w));
  // A name of one or two words spells no acronym worth searching; a person's name spells none.
  if (words.length < 3 || words.some((w) => /^\d+$/.test(w))) return [];
  const out = new Set<string>();
  let end = words.length;
  while (end >= 3) {
    const a = words
      .slice(0, end)
      .map((w) => w[0])
      .join('');
    if (a.length <= 8) out.add(a);
    if (!LEGAL_FORMS.has(words[end - 1]!)) break;
    end--;
  }
  return [...out];
}

/** A query that may be an acronym: one word of three to eight letters. */
export function looksLikeAcronym(normalized: string): boolean {
  return /^[a-z]{3,8}$/.test(normalized);
}
