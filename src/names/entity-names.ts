// The names a record can be found by: its name, its aliases, and acronyms given in parentheses.
import type { DesignationRecord } from '../domain.js';
import { acronymsOf } from './acronym.js';
import { isGeneric, normalizeName, parentheticalAliases } from './normalize.js';

export interface EntityName {
  name: string;
  normalized: string;
  isAlias: boolean;
  /** The name's initials as acronyms (not for people: "SMITH, John Paul" spells nothing). */
  acronyms: string[];
}

/**
 * The version of how names are normalised and indexed. Raise it with any change to normalizeName
 * or entityNames: a database indexed under another scheme is re-indexed once when opened.
 */
export const NAMES_SCHEME = 3;

/**
 * Needs only the name and aliases (and the type, for acronyms), so an alert's entity reference
 * works as well as a record.
 */
export function entityNames(
  r: Pick<DesignationRecord, 'name' | 'aliases'> & { type?: string },
  withAcronyms = true,
): EntityName[] {
  const out: EntityName[] = [];
  const seen = new Set<string>();
  const noAcronyms = r.type === 'individual' || !withAcronyms;
  const add = (name: string, isAlias: boolean) => {
    const normalized = normalizeName(name);
    if (!normalized || seen.has(normalized)) return;
    seen.add(normalized);
    out.push({ name, normalized, isAlias, acronyms: noAcronyms ? [] : acronymsOf(name) });
  };
  add(r.name, false);
  for (const a of r.aliases) add(a, true);
  // "(AVIC)" is an alias; "(GROUP)" or "(LIMITED)" is a legal form in brackets, not a name.
  for (const a of parentheticalAliases(r.name)) if (!isGeneric(normalizeName(a))) add(a, true);
  return out;
}
