// Pure diff of a list snapshot against stored state. Order inside multi-valued fields carries no
// meaning in any source (OFAC reorders aliases between publications), so it is ignored.
import {
  DESIGNATION_FIELDS,
  LATER_FIELDS,
  type Change,
  type DesignationRecord,
  type FieldChange,
  type ListSnapshot,
} from '../domain.js';

/**
 * One element of a multi-valued field as text that sorts and compares: a string as it is, an
 * object (an identifier) as JSON with its keys in order. Sorting the objects themselves compared
 * "[object Object]" with itself, so a mere reordering of identifiers read as an amendment.
 */
export function elementKey(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || typeof v !== 'object') return JSON.stringify(v ?? null);
  const o = v as Record<string, unknown>;
  return JSON.stringify(
    Object.keys(o)
      .sort()
      .map((k) => [k, o[k]]),
  );
}

function canonicalValue(v: unknown): unknown {
  if (!Array.isArray(v)) return v ?? null;
  return v.length < 2 ? v.map(elementKey) : v.map(elementKey).sort();
}

const isStrings = (v: unknown[]): v is string[] => v.every((x) => typeof x === 'string');

/**
 * Whether two values of a field are the same, their canonical JSON compared. Most fields are text
 * or null, and most lists strings, which are compared as they are: serialising each of the 16
 * fields twice cost ~10 ms for the 745 entries the three-year SDN catch-up amends.
 */
function sameValue(a: unknown, b: unknown): boolean {
  const x = a ?? null;
  const y = b ?? null;
  if (x === y) return true;
  if ((typeof x === 'string' || x === null) && (typeof y === 'string' || y === null)) return false;
  if (Array.isArray(x) && Array.isArray(y) && isStrings(x) && isStrings(y)) {
    if (x.length !== y.length) return false;
    const xs = canonicalValue(x) as string[];
    const ys = canonicalValue(y) as string[];
    return xs.every((v, i) => v === ys[i]);
  }
  return JSON.stringify(canonicalValue(x)) === JSON.stringify(canonicalValue(y));
}

export function changedFields(before: DesignationRecord, after: DesignationRecord): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of DESIGNATION_FIELDS) {
    // Stored before this build parsed the field: learning it is no change to the listing.
    if (before[field] === undefined && LATER_FIELDS.has(field)) continue;
    if (!sameValue(before[field], after[field])) {
      out.push({
        field: field,
        before: before[field] ?? null,
        after: after[field] ?? null,
      });
    }
  }
  return out;
}

/** A list's current state as stored: what the diff reads, one entry at a time. */
export interface StoredList {
  /** Active keys, each with the fingerprint it was stored with (null: stored without one). */
  prints: Map<string, number | null>;
  /** The stored records of active keys, as JSON, read at once (a statement per key cost the catch-up 19 ms). */
  json(keys: readonly string[]): Map<string, string>;
}

export interface DiffResult {
  changes: Change[];
  /** Records whose stored form lacks fields this build parses, and nothing else differs: stored again, no alert. */
  refreshed: DesignationRecord[];
  /**
   * Amended and refreshed records as JSON, by key: serialised to be compared, kept to be stored.
   * Added records are serialised only when stored, a slice at a time, so their JSON dies young.
   */
  json: Map<string, string>;
  /** Amended records as they were stored, by key (what their history row keeps as before). */
  priors: Map<string, string>;
  /**
   * Fingerprints to store, by key: of every entry that was built and compared (added, amended,
   * refreshed, and unchanged ones whose source text or reading changed). Empty without prints.
   */
  prints: Map<string, number>;
  /** Unchanged entries whose fingerprint moved (their source text, or its reading, changed): only it is stored. */
  reprinted: [key: string, print: number][];
}

/**
 * An entry whose fingerprint is the stored one is unchanged and is not even built. The others are
 * built, and those stored before are serialised: parsers build records field by field in a fixed
 * order, so an unchanged entry serialises to the same JSON as the stored one, and string equality
 * settles all but the changed entries, which are compared field by field.
 */
export function diffSnapshot(stored: StoredList, next: ListSnapshot): DiffResult {
  const changes: Change[] = [];
  const refreshed: DesignationRecord[] = [];
  const json = new Map<string, string>();
  const priors = new Map<string, string>();
  const prints = new Map<string, number>();
  const reprinted: [string, number][] = [];
  const seen = new Set<string>();
  const { keys } = next;
  // Built entries in file order, with the JSON of those stored before (null: new), compared once
  // their stored form is read.
  const built: { r: DesignationRecord; text: string | null }[] = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    seen.add(key);
    const print = next.prints?.[i];
    const storedPrint = stored.prints.get(key);
    if (print !== undefined && storedPrint === print) continue;
    const r = next.record(i);
    if (print !== undefined) prints.set(key, print);
    built.push({ r, text: storedPrint === undefined ? null : JSON.stringify(r) });
  }
  const gone = [...stored.prints.keys()].filter((key) => !seen.has(key));
  const storedJson = stored.json([
    ...built.filter((b) => b.text !== null).map((b) => b.r.key),
    ...gone,
  ]);
  for (const { r, text } of built) {
    if (text === null) {
      changes.push({ type: 'designation.added', record: r });
      continue;
    }
    const prior = storedJson.get(r.key)!;
    if (prior === text) {
      const print = prints.get(r.key);
      if (print !== undefined) reprinted.push([r.key, print]);
      continue;
    }
    const before = JSON.parse(prior) as DesignationRecord;
    const fields = changedFields(before, r);
    if (fields.length > 0) {
      changes.push({ type: 'designation.amended', record: r, before, fields });
      priors.set(r.key, prior);
    } else refreshed.push(r);
    json.set(r.key, text);
  }
  for (const key of gone) {
    const prior = storedJson.get(key)!;
    changes.push({ type: 'designation.removed', record: JSON.parse(prior) as DesignationRecord });
  }
  return { changes, refreshed, json, priors, prints, reprinted };
}
