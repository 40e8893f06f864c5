// Pure diff of a list snapshot against stored state. Order inside multi-valued fields carries no
// meaning in any source (OFAC reorders aliases between publications), so it is ignored.
import { DESIGNATION_FIELDS, LATER_FIELDS, type Change, type DesignationField, type DesignationRecord, type FieldChange } from './domain.js';

function canonicalValue(v: unknown): unknown {
  if (!Array.isArray(v)) return v ?? null;
  return v.length < 2 ? v : [...v].sort();
}

export function changedFields(before: DesignationRecord, after: DesignationRecord): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of DESIGNATION_FIELDS) {
    // Stored before this build parsed the field: learning it is no change to the listing.
    if (before[field] === undefined && LATER_FIELDS.has(field)) continue;
    if (JSON.stringify(canonicalValue(before[field])) !== JSON.stringify(canonicalValue(after[field]))) {
      out.push({ field: field as DesignationField, before: before[field] ?? null, after: after[field] ?? null });
    }
  }
  return out;
}

export interface DiffResult {
  changes: Change[];
  /** Records whose stored form lacks fields this build parses, and nothing else differs: stored again, no alert. */
  refreshed: DesignationRecord[];
  /** Added and amended records as JSON, by key (what gets stored); unchanged ones are not kept. */
  json: Map<string, string>;
}

/**
 * Parsers build records field by field in a fixed order, so an unchanged entry serialises to the
 * same JSON as the stored one: string equality settles all but the changed entries, which are
 * compared field by field. (Hashing each record cost more than parsing the whole list.)
 */
export function diffSnapshot(stored: Map<string, string>, records: DesignationRecord[]): DiffResult {
  const changes: Change[] = [];
  const refreshed: DesignationRecord[] = [];
  const json = new Map<string, string>();
  const seen = new Set<string>();
  for (const r of records) {
    seen.add(r.key);
    const text = JSON.stringify(r);
    const prior = stored.get(r.key);
    if (prior === undefined) {
      changes.push({ type: 'designation.added', record: r });
      json.set(r.key, text);
    } else if (prior !== text) {
      const before = JSON.parse(prior) as DesignationRecord;
      const fields = changedFields(before, r);
      if (fields.length > 0) changes.push({ type: 'designation.amended', record: r, before, fields });
      else refreshed.push(r);
      json.set(r.key, text);
    }
  }
  for (const [key, prior] of stored) {
    if (!seen.has(key)) changes.push({ type: 'designation.removed', record: JSON.parse(prior) as DesignationRecord });
  }
  return { changes, refreshed, json };
}
