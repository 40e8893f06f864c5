// Pure diff of a list snapshot against stored state. Order inside multi-valued fields carries no
// meaning in any source (OFAC reorders aliases between publications), so it is ignored.
import { createHash } from 'node:crypto';
import { DESIGNATION_FIELDS, type Change, type DesignationField, type DesignationRecord, type FieldChange } from './domain.js';

function canonicalValue(v: unknown): unknown {
  return Array.isArray(v) ? [...v].map(String).sort() : (v ?? null);
}

export function fingerprint(r: DesignationRecord): string {
  const canon = DESIGNATION_FIELDS.map((f) => canonicalValue(r[f]));
  return createHash('sha1').update(JSON.stringify(canon)).digest('base64');
}

export function changedFields(before: DesignationRecord, after: DesignationRecord): FieldChange[] {
  const out: FieldChange[] = [];
  for (const field of DESIGNATION_FIELDS) {
    if (JSON.stringify(canonicalValue(before[field])) !== JSON.stringify(canonicalValue(after[field]))) {
      out.push({ field: field as DesignationField, before: before[field] ?? null, after: after[field] ?? null });
    }
  }
  return out;
}

export interface StoredEntry {
  fingerprint: string;
  /** The stored record as JSON; parsed only when it differs. */
  record: string;
}

export interface DiffResult {
  changes: Change[];
  /** Fingerprint of every record of the new snapshot, by key (reused when writing state). */
  fingerprints: Map<string, string>;
}

export function diffSnapshot(stored: Map<string, StoredEntry>, records: DesignationRecord[]): DiffResult {
  const changes: Change[] = [];
  const fingerprints = new Map<string, string>();
  for (const r of records) {
    const fp = fingerprint(r);
    fingerprints.set(r.key, fp);
    const prior = stored.get(r.key);
    if (!prior) {
      changes.push({ type: 'designation.added', record: r });
    } else if (prior.fingerprint !== fp) {
      const before = JSON.parse(prior.record) as DesignationRecord;
      const fields = changedFields(before, r);
      if (fields.length > 0) changes.push({ type: 'designation.amended', record: r, before, fields });
    }
  }
  for (const [key, prior] of stored) {
    if (!fingerprints.has(key)) changes.push({ type: 'designation.removed', record: JSON.parse(prior.record) as DesignationRecord });
  }
  return { changes, fingerprints };
}
