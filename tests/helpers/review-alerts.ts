// The alert the review tests decide on: the CSL's NS-CMIC listing of a company, as a poll makes it.
import type { DesignationRecord, NewAlert } from '../../src/domain.js';

export function cmicAddition(record: DesignationRecord): NewAlert {
  return {
    type: 'designation.added',
    source: 'csl',
    sourceLabel: 'trade.gov CSL',
    detectedAt: new Date().toISOString(),
    list: 'NS-CMIC',
    entity: { key: record.key, name: record.name, aliases: [], programs: [] },
    record,
  };
}
