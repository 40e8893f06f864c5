// What kind of news an alert is, for the emoji and colour each platform gives it.
import type { Alert } from '../domain.js';

export type AlertCategory = 'added' | 'removed' | 'amended' | 'court' | 'agency' | 'health' | 'recovered';

const COURT = /uscourts\.gov|courtlistener\.com|pacer|court/i;

/** A court entry has a docket or court; otherwise the source or link says so. */
export function isCourtItem(a: Extract<Alert, { type: 'feed.item' }>): boolean {
  if (a.item.docket || a.item.court || a.item.caseName) return true;
  if (a.item.documentType || a.item.agencies?.length) return false;
  return COURT.test(`${a.source} ${a.sourceLabel} ${a.item.link ?? ''}`);
}

export function alertCategory(a: Alert): AlertCategory {
  switch (a.type) {
    case 'designation.added': return 'added';
    case 'designation.removed': return 'removed';
    case 'designation.amended': return 'amended';
    case 'feed.item': return isCourtItem(a) ? 'court' : 'agency';
    case 'source.health': return a.status === 'recovered' ? 'recovered' : 'health';
  }
}

/** A short headline: "Added to SDN", "Court filing", "Source failing". */
export function alertHeadline(a: Alert): string {
  switch (a.type) {
    case 'designation.added': return `Added to ${a.list}`;
    case 'designation.removed': return `Removed from ${a.list}`;
    case 'designation.amended': return `Amended on ${a.list}`;
    case 'feed.item': {
      if (alertCategory(a) === 'court') {
        const what = a.item.entryTypes?.length ? a.item.entryTypes.join(' / ') : 'Court filing';
        return `${what} · ${a.item.court ? a.item.court.toUpperCase() : a.sourceLabel}`;
      }
      return `${a.item.label ?? a.item.documentType ?? 'Agency notice'} · ${a.sourceLabel}`;
    }
    case 'source.health': return `Source ${a.status}: ${a.sourceLabel}`;
  }
}

/** The subject of an alert: the company, the filing, or the source. */
export function alertSubject(a: Alert): string {
  if (a.type === 'feed.item') return a.item.caseName && a.item.docket ? `${a.item.caseName} (${a.item.docket})` : a.item.title;
  if (a.type === 'source.health') return a.reason;
  return a.entity.name;
}

/** Why a feed item reached anyone, in words: "names Xiaomi (followed)", "followed case". */
export function feedReasons(a: Extract<Alert, { type: 'feed.item' }>): string {
  const parts: string[] = [];
  if (a.because.includes('case')) parts.push('a followed case');
  const named = a.mentions.map((m) => (m.list ? `${m.name} (${m.list})` : `${m.name} (followed, on no list)`));
  if (named.length) parts.push(`names ${named.join(', ')}`);
  if (a.because.includes('include')) parts.push('matches a filter term of the source');
  return parts.join('; ');
}
