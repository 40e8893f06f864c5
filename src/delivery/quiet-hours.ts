// Quiet hours (SANCTIONS_RADAR_QUIET_HOURS=22-7 Europe/Berlin): what can wait for the morning
// waits (reminders, a source's health, notices that name nothing the channel follows); what a
// channel follows never does (designations, court entries of followed cases, notices naming its companies).
import { ConfigError } from '../config/errors.js';
import type { Alert } from '../domain.js';

export interface QuietHours {
  /** Minutes after local midnight: quiet from `from` (inclusive) to `to` (exclusive), across midnight when from > to. */
  from: number;
  to: number;
  timeZone: string;
  /** As the operator wrote it, for logs and messages. */
  text: string;
}

const TIME = /^(\d{1,2})(?::(\d{2}))?$/;

export function readQuietHours(raw: string | undefined): QuietHours | null {
  const text = raw?.trim();
  if (!text || text === 'off') return null;
  const problem = (why: string) =>
    new ConfigError(
      `SANCTIONS_RADAR_QUIET_HOURS=${text} is not valid: ${why} (for example "22-7" or "22:30-06:00 Europe/Berlin"; the time zone defaults to UTC)`,
    );
  const [span, timeZone = 'UTC', ...rest] = text.split(/\s+/);
  if (rest.length) throw problem('expected a span of hours and at most one time zone');
  const [a, b, ...more] = span!.split('-');
  const minutes = (t: string | undefined) => {
    const m = t === undefined ? null : TIME.exec(t);
    const h = m ? Number(m[1]) : NaN;
    const min = m?.[2] ? Number(m[2]) : 0;
    return h <= 24 && min < 60 && h * 60 + min <= 1440 ? (h * 60 + min) % 1440 : null;
  };
  const from = minutes(a);
  const to = minutes(b);
  if (more.length || from === null || to === null)
    throw problem('the hours are not a span like 22-7');
  if (from === to) throw problem('the span starts and ends at the same time');
  try {
    new Intl.DateTimeFormat('en-GB', { timeZone });
  } catch {
    throw problem(
      `"${timeZone}" is not a time zone (an IANA name such as Europe/Berlin or America/New_York)`,
    );
  }
  return { from, to, timeZone, text };
}

/** Minutes after local midnight in the time zone. */
function localMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

/**
 * When the quiet hours `at` falls in end; null when it falls in none. Counted in local minutes:
 * across a change of clocks it is an hour off, and what is held is then held again until the end.
 */
export function quietUntil(q: QuietHours, at: Date): Date | null {
  const m = localMinutes(at, q.timeZone);
  const quiet = q.from < q.to ? m >= q.from && m < q.to : m >= q.from || m < q.to;
  if (!quiet) return null;
  const left = (q.to - m + 1440) % 1440;
  const end = new Date(at.getTime() + left * 60_000);
  end.setUTCSeconds(0, 0);
  return end;
}

/** What reaches a channel during quiet hours: news of what it follows. */
export function urgent(a: Alert): boolean {
  if (
    a.type === 'designation.added' ||
    a.type === 'designation.removed' ||
    a.type === 'designation.amended' ||
    a.type === 'designation.changeset'
  )
    return true;
  if (a.type === 'feed.item') return a.mentions.length > 0 || a.because.includes('case');
  return false;
}
