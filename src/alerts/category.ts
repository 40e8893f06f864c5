// What kind of news an alert is, for the emoji and colour each platform gives it.
import type { Alert } from '../domain.js';

export type AlertCategory = 'added' | 'removed' | 'amended' | 'court' | 'agency' | 'health' | 'recovered';

const COURT = /uscourts\.gov|courtlistener\.com|pacer|court/i;

export function alertCategory(a: Alert): AlertCategory {
  switch (a.type) {
    case 'designation.added': return 'added';
    case 'designation.removed': return 'removed';
    case 'designation.amended': return 'amended';
    case 'feed.item': return COURT.test(`${a.source} ${a.sourceLabel} ${a.item.link ?? ''}`) ? 'court' : 'agency';
    case 'source.health': return a.status === 'recovered' ? 'recovered' : 'health';
  }
}

/** A short headline: "Added to SDN", "Court filing", "Source failing". */
export function alertHeadline(a: Alert): string {
  switch (a.type) {
    case 'designation.added': return `Added to ${a.list}`;
    case 'designation.removed': return `Removed from ${a.list}`;
    case 'designation.amended': return `Amended on ${a.list}`;
    case 'feed.item': return alertCategory(a) === 'court' ? `Court filing · ${a.sourceLabel}` : `Agency notice · ${a.sourceLabel}`;
    case 'source.health': return `Source ${a.status}: ${a.sourceLabel}`;
  }
}

/** The subject of an alert: the company, the filing, or the source. */
export function alertSubject(a: Alert): string {
  if (a.type === 'feed.item') return a.item.title;
  if (a.type === 'source.health') return a.reason;
  return a.entity.name;
}
