// Reminders (SANCTIONS_RADAR_REVIEW_REMINDER_HOURS): a channel whose alerts stay undecided past the
// hours gets one message listing them, oldest first, with links to their messages; at most one a
// day per channel. It goes through the outbox like any alert: retried, paced, held in quiet hours.
import { remindedChannels, sentPage, unreviewedAlertIds } from '../../db/decisions.js';
import { metaValue, setMeta } from '../../db/meta.js';
import type { Db } from '../../db/database.js';
import { deliveredAlert } from '../../db/delivered.js';
import { enqueueAlert } from '../../db/outbox.js';
import { alertHeadline, alertSubject } from '../alerts/category.js';
import type { Alert, ReminderEntry } from '../domain.js';
import type { Steps } from '../commands/steps.js';
import { reviewState, stillOpen, type Decision, type FourEyes } from './review.js';

export interface ReminderOptions {
  hours: number;
  now: Date;
  fourEyes: FourEyes;
  /** Platforms that deliver (channels of others would never see it). */
  platforms: string[];
  /** Alerts listed in one reminder; the rest are counted. */
  listed?: number;
}

/** "At most one a day", checked hourly: 23 hours, so the daily reminder does not creep later. */
const REMIND_EVERY_MS = 23 * 3_600_000;
/** The deliveries are read this often at most (the daemon checks hourly). */
const CHECK_EVERY_MS = 55 * 60_000;
const CHECKED_AT = 'reminders_checked_at';
/** Deliveries read per step: a year of them (634,950) is ~130 steps of ~8 ms. */
const PAGE = 5000;

interface Open {
  alertId: number;
  sentAt: string;
  messageId: string | null;
  state: string;
}

/**
 * Finds the reminders due and queues them, in steps (src/commands/steps.ts): every delivery of the channels
 * not reminded lately is read, a page a step, since an alert stays undecided however old it is.
 */
export function* reminderSteps(db: Db, o: ReminderOptions): Steps<Alert[]> {
  const listed = o.listed ?? 10;
  // A cron deployment runs `poll` every few minutes: the deliveries are read once an hour at most.
  const checked = metaValue(db, CHECKED_AT);
  if (
    checked !== undefined &&
    o.now.getTime() >= checked &&
    o.now.getTime() - checked < CHECK_EVERY_MS
  )
    return [];
  const reminded = remindedChannels(db, new Date(o.now.getTime() - REMIND_EVERY_MS).toISOString());
  const served = (channel: string) =>
    o.platforms.includes(channel.slice(0, channel.indexOf(':'))) && !reminded.has(channel);
  const skip = unreviewedAlertIds(db);
  const sentBefore = new Date(o.now.getTime() - o.hours * 3_600_000).toISOString();
  // Per channel: how many are open, and the oldest `listed` of them.
  const found = new Map<string, { count: number; oldest: Open[] }>();
  for (let after = 0; ;) {
    const page = sentPage(db, after, sentBefore, PAGE);
    if (page.length === 0) break;
    after = page[page.length - 1]!.rid;
    for (const r of page) {
      if (skip.has(r.alertId) || !served(r.channel)) continue;
      const state =
        r.decisions === null
          ? 'open'
          : reviewState(
              JSON.parse(r.decisions) as Pick<Decision, 'action' | 'userId'>[],
              o.fourEyes,
            );
      if (!stillOpen(state)) continue;
      let f = found.get(r.channel);
      if (!f) found.set(r.channel, (f = { count: 0, oldest: [] }));
      f.count++;
      keepOldest(
        f.oldest,
        { alertId: r.alertId, sentAt: r.sentAt, messageId: r.messageId, state },
        listed,
      );
    }
    yield;
  }
  return db
    .transaction(() => {
      setMeta(db, CHECKED_AT, o.now.getTime());
      return [...found].map(([channel, { count, oldest }]) => {
        const alerts: ReminderEntry[] = [];
        for (const e of oldest) {
          const got = deliveredAlert(db, e.alertId, channel);
          if (got)
            alerts.push({
              id: e.alertId,
              headline: alertHeadline(got.alert),
              subject: alertSubject(got.alert),
              deliveredAt: e.sentAt,
              messageId: e.messageId,
              state: e.state,
            });
        }
        const why = `alerts undecided after ${o.hours} hours (SANCTIONS_RADAR_REVIEW_REMINDER_HOURS)`;
        return enqueueAlert(
          db,
          {
            type: 'review.reminder',
            source: 'review',
            sourceLabel: 'sanctions-radar review',
            detectedAt: o.now.toISOString(),
            hours: o.hours,
            open: count,
            alerts,
          },
          new Map([[channel, why]]),
          null,
        );
      });
    })
    .immediate();
}

/** Keeps the `n` oldest (by time sent, then id) in order; the table is read in about that order. */
function keepOldest(list: Open[], e: Open, n: number): void {
  const before = (a: Open, b: Open) =>
    a.sentAt < b.sentAt || (a.sentAt === b.sentAt && a.alertId < b.alertId);
  if (list.length === n && !before(e, list[n - 1]!)) return;
  let i = list.length;
  while (i > 0 && before(e, list[i - 1]!)) i--;
  list.splice(i, 0, e);
  if (list.length > n) list.pop();
}
