// What kind of news an alert is, for the emoji and colour each platform gives it.
import type { Alert, ChangeCounts, ChangeExample } from '../domain.js';

export type AlertCategory =
  | 'added'
  | 'removed'
  | 'amended'
  | 'changeset'
  | 'court'
  | 'agency'
  | 'health'
  | 'recovered'
  | 'reminder';

const COURT = /uscourts\.gov|courtlistener\.com|pacer|court/i;

/** A court entry has a docket or court; otherwise the source or link says so. */
export function isCourtItem(a: Extract<Alert, { type: 'feed.item' }>): boolean {
  if (a.item.docket || a.item.court || a.item.caseName) return true;
  if (a.item.documentType || a.item.agencies?.length) return false;
  return COURT.test(`${a.source} ${a.sourceLabel} ${a.item.link ?? ''}`);
}

export function alertCategory(a: Alert): AlertCategory {
  switch (a.type) {
    case 'designation.added':
      return 'added';
    case 'designation.removed':
      return 'removed';
    case 'designation.amended':
      return 'amended';
    case 'designation.changeset':
      return 'changeset';
    case 'feed.item':
      return isCourtItem(a) ? 'court' : 'agency';
    case 'source.health':
      return a.status === 'recovered' ? 'recovered' : 'health';
    case 'review.reminder':
      return 'reminder';
    case 'changeset.file':
      return 'changeset';
  }
}

/** An alert about a company, a list or a case, which people decide on; not the bot's own news (health, reminders) nor a changeset's file. */
export function isReviewable(a: Pick<Alert, 'type'>): boolean {
  return a.type !== 'source.health' && a.type !== 'review.reminder' && a.type !== 'changeset.file';
}

/** An alert of one list entry's change (added, removed, amended). */
export function isDesignationAlert<A extends Pick<Alert, 'type'>>(
  a: A,
): a is Extract<A, { type: 'designation.added' | 'designation.removed' | 'designation.amended' }> {
  return (
    a.type === 'designation.added' ||
    a.type === 'designation.removed' ||
    a.type === 'designation.amended'
  );
}

/** The "X of Y" of a reminder: "3 alerts undecided after 24 hours". */
export function reminderSubject(a: Extract<Alert, { type: 'review.reminder' }>): string {
  return `${count(a.open)} alert${a.open === 1 ? '' : 's'} undecided after ${count(a.hours)} hour${a.hours === 1 ? '' : 's'}`;
}

/** A short headline: "Added to SDN", "Court filing", "Source failing". */
export function alertHeadline(a: Alert): string {
  switch (a.type) {
    case 'designation.added':
      return `Added to ${a.list}`;
    case 'designation.removed':
      return `Removed from ${a.list}`;
    case 'designation.amended':
      return `Amended on ${a.list}`;
    case 'designation.changeset': {
      const lists =
        a.lists
          .slice(0, 3)
          .map((l) => l.list)
          .join(', ') + (a.lists.length > 3 ? ` and ${a.lists.length - 3} more lists` : '');
      return `${count(totalOf(a.counts))} changes to ${lists}`;
    }
    case 'feed.item': {
      if (alertCategory(a) === 'court') {
        const what = a.item.entryTypes?.length ? a.item.entryTypes.join(' / ') : 'Court filing';
        return `${what} · ${a.item.court ? a.item.court.toUpperCase() : a.sourceLabel}`;
      }
      const early = a.item.publicInspection
        ? ` · on public inspection${a.item.publicInspection.publishesOn ? `, publishes ${a.item.publicInspection.publishesOn}` : ''}`
        : '';
      return `${a.item.label ?? a.item.documentType ?? 'Agency notice'}${early} · ${a.sourceLabel}`;
    }
    case 'source.health':
      return `Source ${a.status}: ${a.sourceLabel}`;
    case 'review.reminder':
      return 'Review reminder';
    case 'changeset.file':
      return `All ${count(a.rows)} changes of the changeset`;
  }
}

/** The subject of an alert: the company, the filing, the source, or a changeset's counts. */
export function alertSubject(a: Alert): string {
  if (a.type === 'feed.item')
    return a.item.caseName && a.item.docket
      ? `${a.item.caseName} (${a.item.docket})`
      : a.item.title;
  if (a.type === 'source.health') return a.reason;
  if (a.type === 'review.reminder') return reminderSubject(a);
  if (a.type === 'changeset.file') return `${a.filename} (${a.lists.join(', ')})`;
  if (a.type === 'designation.changeset') return describeCounts(a.counts);
  return a.entity.name;
}

/** Where the alert's news can be read: the listing, the filing, the list file; null for health. */
export function alertUrl(a: Alert): string | null {
  switch (a.type) {
    case 'feed.item':
      return a.item.documentUrl ?? a.item.link;
    case 'source.health':
    case 'review.reminder':
    case 'changeset.file':
      return null;
    case 'designation.changeset':
      return a.url;
    default:
      return a.record.url;
  }
}

export const count = (n: number) => n.toLocaleString('en-US');

/** All the changes counted. */
export function totalOf(c: ChangeCounts): number {
  return c.added + c.removed + c.amended;
}

/**
 * The changes some alerts tell of, for a digest's headline: a changeset counts as all of its
 * changes; the bot's own news (a source's health, a reminder) is no change.
 */
export function changesTold(alerts: Alert[]): number {
  let n = 0;
  for (const a of alerts)
    n += a.type === 'designation.changeset' ? totalOf(a.counts) : isReviewable(a) ? 1 : 0;
  return n;
}

/** "6,871 added, 881 removed, 715 amended" (kinds with none left out). */
export function describeCounts(c: ChangeCounts): string {
  return (
    [
      c.added ? `${count(c.added)} added` : '',
      c.removed ? `${count(c.removed)} removed` : '',
      c.amended ? `${count(c.amended)} amended` : '',
    ]
      .filter(Boolean)
      .join(', ') || 'no changes'
  );
}

/** "added", "removed", "amended". */
export function changeVerb(type: ChangeExample['type']): keyof ChangeCounts {
  return type === 'designation.added'
    ? 'added'
    : type === 'designation.removed'
      ? 'removed'
      : 'amended';
}

/** One example of a changeset: "added: NAME (SDN) [SDGT]", "amended: NAME (SDN): remarks, aliases". */
export function describeExample(e: ChangeExample): string {
  const verb = changeVerb(e.type);
  const programs = e.programs.length ? ` [${e.programs.join(', ')}]` : '';
  return `${verb}: ${e.name} (${e.list})${programs}${e.fields?.length ? `: ${e.fields.join(', ')}` : ''}`;
}

/** What a changeset says about where the rest is. */
export function changesetNote(a: Extract<Alert, { type: 'designation.changeset' }>): string {
  return `More than ${count(a.limit)} list changes for this channel in one poll, so they come as this one message. Every change is in the history: "history <name>" shows an entity's, "sources ${a.source}" lists every change of the source's latest changing poll.`;
}

/** Why a feed item reached anyone, in words: "names Xiaomi (followed)", "followed case". */
export function feedReasons(a: Extract<Alert, { type: 'feed.item' }>): string {
  const parts: string[] = [];
  if (a.because.includes('case')) parts.push('a followed case');
  const named = a.mentions.map((m) =>
    m.list ? `${m.name} (${m.list})` : `${m.name} (followed, on no list)`,
  );
  if (named.length) parts.push(`names ${named.join(', ')}`);
  if (a.because.includes('include')) parts.push('matches a filter term of the source');
  if (a.because.includes('label')) parts.push(`a document about the lists (${a.item.label})`);
  return parts.join('; ');
}
