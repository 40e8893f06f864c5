// Name normalisation for matching. Pure functions; the same code serves lookups, routing and
// mention detection, so a name that matches in one place matches in all of them.
import { normalizeKeyName } from './key.js';

/** Legal forms and boilerplate that say nothing about which company it is. */
const LEGAL_FORMS = new Set([
  'co', 'company', 'corp', 'corporation', 'inc', 'incorporated', 'ltd', 'limited', 'llc', 'plc', 'group', 'holdings', 'holding',
  'sa', 'ag', 'gmbh', 'bv', 'nv', 'srl', 'spa', 'jsc', 'pjsc', 'ojsc', 'cjsc', 'ooo', 'oao', 'zao', 'llp', 'lp', 'pte', 'pty',
  'the', 'sdn', 'bhd', 'kg', 'kft', 'as', 'ab', 'oy', 'sas', 'sarl', 'de', 'cv',
]);

const CONNECTORS = new Set(['and', 'of', 'for', 'the']);

/** Whole phrases that trail Entity List names or court captions. */
const BOILERPLATE = [
  /\band any successor,? sub-?unit,? or subsidiary thereof\b/giu,
  /\bet al\.?/giu,
  /\bjoint stock company\b/giu,
  /\blimited liability company\b/giu,
  /\bpublic joint stock company\b/giu,
];

export function normalizeName(name: string): string {
  let s = name.replace(/&/g, ' and ');
  for (const re of BOILERPLATE) s = s.replace(re, ' ');
  // Parenthesised acronyms are aliases, not part of the name: "(AVIC)", "(Huawei)".
  s = s.replace(/\([^)]*\)/g, ' ');
  const tokens = normalizeKeyName(s).split(' ').filter(Boolean);
  const kept = tokens.filter((t) => !LEGAL_FORMS.has(t));
  // "X & Holding Co." leaves a dangling "and" once the legal forms are gone.
  while (kept.length > 1 && CONNECTORS.has(kept[kept.length - 1]!)) kept.pop();
  while (kept.length > 1 && CONNECTORS.has(kept[0]!)) kept.shift();
  // A name made only of legal forms ("The Company") keeps its words rather than vanish.
  return (kept.length > 0 ? kept : tokens).join(' ');
}

/** Acronyms and short names given in parentheses count as aliases. */
export function parentheticalAliases(name: string): string[] {
  const out: string[] = [];
  for (const m of name.matchAll(/\(([^)]{2,60})\)/g)) {
    const inner = m[1]!.trim();
    // "(China)" or "(formerly ...)" are not aliases; a short proper name or acronym is.
    if (/^(formerly|a\.?k\.?a\.?|f\.?k\.?a\.?|see|also)\b/i.test(inner)) continue;
    if (/^[A-Z0-9][\w .&'-]*$/.test(inner) && inner.split(/\s+/).length <= 4) out.push(inner);
  }
  return out;
}

/** Words too common to identify a company when they stand alone. */
export const GENERIC_WORDS = new Set([
  'china', 'chinese', 'technology', 'technologies', 'tech', 'international', 'industrial', 'industries', 'industry', 'trading',
  'bank', 'national', 'state', 'electronics', 'electronic', 'science', 'research', 'institute', 'university', 'engineering',
  'development', 'investment', 'import', 'export', 'energy', 'services', 'service', 'global', 'shipping', 'aviation', 'general',
  'united', 'states', 'america', 'american', 'department', 'defense', 'government', 'ministry', 'new', 'city', 'central',
  'and', 'of', 'for', 'in', 'on', 'v', 'vs', 'us', 'usa', 'beijing', 'shanghai', 'shenzhen', 'hong', 'kong', 'russia', 'russian',
  'iran', 'korea', 'federal', 'court', 'order', 'motion',
]);

/** True when a normalised name is specific enough to be matched inside free text. */
export function isDistinctive(normalized: string): boolean {
  const tokens = normalized.split(' ').filter(Boolean);
  if (tokens.length === 0) return false;
  if (tokens.every((t) => GENERIC_WORDS.has(t) || /^\d+$/.test(t))) return false;
  if (tokens.length === 1) return tokens[0]!.length >= 4;
  return normalized.length >= 5;
}
