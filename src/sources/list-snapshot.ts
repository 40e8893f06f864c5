// The two ways a parser hands over a list: records it has built (small lists, formats that need
// the whole file to build one entry), or keys with fingerprints and a builder (large row lists).
import type { DesignationRecord, ListSnapshot } from '../domain.js';

/**
 * How this build turns source text into records. Bump it whenever any list parser's output for
 * the same input changes (a new field, a fixed quirk): stored fingerprints and content hashes then
 * differ once, so every list is read and compared again and stored records take the new form
 * without alerts. `tests/records-scheme.test.ts` fails when parser output changes without a bump.
 */
export const RECORDS_SCHEME = 1;

export function listSnapshot(
  records: DesignationRecord[],
  warnings: string[] = [],
  endMarked?: boolean,
): ListSnapshot {
  return {
    kind: 'list',
    keys: records.map((r) => r.key),
    record: (i) => records[i]!,
    records,
    warnings,
    ...(endMarked === undefined ? {} : { endMarked }),
  };
}

export interface LazyList {
  keys: string[];
  prints: number[];
  build: (i: number) => DesignationRecord;
  warnings: string[];
  endMarked?: boolean;
}

export function lazyListSnapshot(list: LazyList): ListSnapshot {
  const built = new Array<DesignationRecord | undefined>(list.keys.length);
  const record = (i: number): DesignationRecord => (built[i] ??= list.build(i));
  return {
    kind: 'list',
    keys: list.keys,
    prints: list.prints,
    record,
    get records() {
      return list.keys.map((_, i) => record(i));
    },
    warnings: list.warnings,
    ...(list.endMarked === undefined ? {} : { endMarked: list.endMarked }),
  };
}
