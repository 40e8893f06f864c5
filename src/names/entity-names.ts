// The names a record can be found by: its name, its aliases, and acronyms given in parentheses.
import type { DesignationRecord } from '../domain.js';
import { isGeneric, normalizeName, parentheticalAliases } from './normalize.js';

export interface EntityName {
  name: string;
  normalized: string;
  isAlias: boolean;
}

/** Needs only the name and aliases, so an alert's entity reference works as well as a record. */
export function entityNames(r: Pick<DesignationRecord, 'name' | 'aliases'>): EntityName[] {
  const out: EntityName[] = [];
  const seen = new Set<string>();
  const add = (name: string, isAlias: boolean) => {
    const normalized = normalizeName(name);
    if (!normalized || seen.has(normalized)) return;
    seen.add(normalized);
    out.push({ name, normalized, isAlias });
  };
  add(r.name, false);
  for (const a of r.aliases) add(a, true);
  // "(AVIC)" is an alias; "(GROUP)" or "(LIMITED)" is a legal form in brackets, not a name.
  for (const a of parentheticalAliases(r.name)) if (!isGeneric(normalizeName(a))) add(a, true);
  return out;
}
