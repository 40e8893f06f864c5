// Turns changes and new feed items into alerts. Pure.
import type { Change, ChangeAlert, EntityRef, FeedAlertReason, FeedItem, Mention, NewAlert, DesignationRecord, HealthStatus } from '../domain.js';

export function entityRef(r: DesignationRecord): EntityRef {
  return { key: r.key, name: r.name, aliases: r.aliases, programs: r.programs };
}

export interface SourceRef {
  id: string;
  label: string;
}

export function alertForChange(c: Change, source: SourceRef, detectedAt: string): ChangeAlert {
  const base = { source: source.id, sourceLabel: source.label, detectedAt, list: c.record.list, entity: entityRef(c.record), record: c.record };
  if (c.type === 'designation.amended') return { ...base, type: c.type, fields: c.fields };
  return { ...base, type: c.type };
}

export function alertForItem(item: FeedItem, mentions: Mention[], because: FeedAlertReason[], source: SourceRef, detectedAt: string): NewAlert {
  return { type: 'feed.item', source: source.id, sourceLabel: source.label, detectedAt, item, mentions, because };
}

export function healthAlert(status: HealthStatus, reason: string, source: SourceRef, detectedAt: string): NewAlert {
  return { type: 'source.health', source: source.id, sourceLabel: source.label, detectedAt, status, reason };
}
