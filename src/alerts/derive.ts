// Turns changes and new feed items into alerts. Pure.
import type {
  Change,
  ChangeAlert,
  EntityRef,
  FeedAlertReason,
  FeedItem,
  Mention,
  NewAlert,
  DesignationRecord,
  HealthStatus,
} from '../domain.js';

export function entityRef(r: DesignationRecord): EntityRef {
  return { key: r.key, name: r.name, aliases: r.aliases, programs: r.programs };
}

export interface SourceRef {
  id: string;
  label: string;
}

export function alertForChange(c: Change, source: SourceRef, detectedAt: string): ChangeAlert {
  // Built whole, not spread from a shared base: a catch-up makes 8,467 of them.
  const { record } = c;
  if (c.type === 'designation.amended') {
    return {
      source: source.id,
      sourceLabel: source.label,
      detectedAt,
      list: record.list,
      entity: entityRef(record),
      record,
      type: c.type,
      fields: c.fields,
    };
  }
  return {
    source: source.id,
    sourceLabel: source.label,
    detectedAt,
    list: record.list,
    entity: entityRef(record),
    record,
    type: c.type,
  };
}

export function alertForItem(
  item: FeedItem,
  mentions: Mention[],
  because: FeedAlertReason[],
  source: SourceRef,
  detectedAt: string,
): NewAlert {
  return {
    type: 'feed.item',
    source: source.id,
    sourceLabel: source.label,
    detectedAt,
    item,
    mentions,
    because,
  };
}

export function healthAlert(
  status: HealthStatus,
  reason: string,
  source: SourceRef,
  detectedAt: string,
): NewAlert {
  return {
    type: 'source.health',
    source: source.id,
    sourceLabel: source.label,
    detectedAt,
    status,
    reason,
  };
}
