// `sanctions-radar review`: the alerts channels received and what was decided on them, oldest
// first; and `review ALERT_ID ack|not-us|escalate|note --channel C --by NAME` to record a decision
// from the command line (recorded as the CLI user "cli:NAME").
import { randomUUID } from 'node:crypto';
import { alertHeadline, alertSubject } from '../alerts/category.js';
import type { Settings } from '../config/settings.js';
import { standingClearances } from '../../db/clearances.js';
import {
  REVIEW_ACTIONS,
  reviewedAlerts,
  reviewLine,
  reviewState,
  runReview,
  stillOpen,
  unclear,
  type ReviewAction,
  type Reviewed,
} from '../review/review.js';
import { openStore } from '../store/open.js';
import { existingDatabase, UsageError, type CliIo } from './io.js';

/** At most this many alerts listed: the oldest open ones are what needs doing first. */
const LIMIT = 500;

export function reviewList(
  io: CliIo,
  settings: Settings,
  o: { channel?: string; all: boolean; json: boolean; now?: Date },
): number {
  const { db } = openStore(existingDatabase(settings.dbPath));
  try {
    const now = o.now ?? new Date();
    const shown: Reviewed[] = [];
    for (const r of reviewedAlerts(db, o.channel ?? null, settings.fourEyes)) {
      if (o.all || stillOpen(r.state)) shown.push(r);
      if (shown.length >= LIMIT) break;
    }
    if (o.json) {
      for (const r of shown)
        io.out(
          JSON.stringify({
            alertId: r.alertId,
            channel: r.channel,
            deliveredAt: r.sentAt,
            type: r.type,
            headline: alertHeadline(r.alert),
            subject: alertSubject(r.alert),
            state: r.state,
            decisions: r.decisions,
          }),
        );
      return 0;
    }
    if (shown.length === 0) {
      io.out(
        o.all
          ? 'No alerts were delivered yet.'
          : 'Nothing to review: every alert delivered was acknowledged or cleared.',
      );
      return 0;
    }
    for (const r of shown) {
      const days = r.sentAt
        ? Math.floor((now.getTime() - Date.parse(r.sentAt)) / 86_400_000)
        : null;
      const age =
        days === null ? '' : days === 0 ? 'today' : `${days} day${days === 1 ? '' : 's'} ago`;
      const line = reviewLine(
        r.decisions,
        (d) => d.userName ?? d.userId,
        (t) => t,
        settings.fourEyes,
      );
      io.out(
        [
          `#${r.alertId}`,
          r.channel,
          `${r.sentAt?.slice(0, 16).replace('T', ' ') ?? '-'} (${age})`,
          `${alertHeadline(r.alert)}: ${alertSubject(r.alert)}`,
          line ?? r.state,
        ].join('\t'),
      );
    }
    return 0;
  } finally {
    db.close();
  }
}

export function reviewRecord(
  io: CliIo,
  settings: Settings,
  o: {
    alert: string;
    action: string;
    channel?: string;
    by?: string;
    reason?: string;
    note?: string;
    json: boolean;
  },
): number {
  const alertId = Number(o.alert.replace(/^#/, ''));
  if (!Number.isSafeInteger(alertId) || alertId <= 0)
    throw new UsageError(`"${o.alert}" is not an alert id (the number review lists, e.g. 123)`);
  if (!REVIEW_ACTIONS.includes(o.action as ReviewAction))
    throw new UsageError(`"${o.action}" is not a decision: one of ${REVIEW_ACTIONS.join(', ')}`);
  if (!o.channel)
    throw new UsageError(
      'review ALERT_ID ACTION needs --channel: the channel the alert reached (review lists them)',
    );
  if (!o.by?.trim())
    throw new UsageError(
      'review ALERT_ID ACTION needs --by NAME: who decides (kept with the decision)',
    );
  const { db } = openStore(existingDatabase(settings.dbPath));
  try {
    const by = o.by.trim();
    const outcome = runReview(
      db,
      {
        alertId,
        channel: o.channel,
        userId: `cli:${by}`,
        userName: by,
        action: o.action as ReviewAction,
        reason: o.reason ?? null,
        note: o.note ?? null,
        requestKey: `cli:${randomUUID()}`,
      },
      new Date(),
      settings.fourEyes,
    );
    if (!outcome.ok) {
      io.err(`sanctions-radar: ${outcome.error}`);
      return 2;
    }
    if (o.json)
      io.out(
        JSON.stringify({
          alertId,
          channel: o.channel,
          state: reviewState(outcome.decisions, settings.fourEyes),
          decision: outcome.decisions.at(-1),
        }),
      );
    else
      io.out(
        `#${alertId} in ${o.channel}: ${reviewLine(
          outcome.decisions,
          (d) => d.userName ?? d.userId,
          (t) => t,
          settings.fourEyes,
        )}`,
      );
    return 0;
  } finally {
    db.close();
  }
}

/** `sanctions-radar cleared [--channel C]`: the entries channels cleared as "not us", still standing. */
export function clearedList(
  io: CliIo,
  settings: Settings,
  o: { channel?: string; json: boolean },
): number {
  const { db } = openStore(existingDatabase(settings.dbPath));
  try {
    const cs = standingClearances(db, o.channel ?? null);
    if (o.json) {
      for (const c of cs) io.out(JSON.stringify(c));
      return 0;
    }
    if (cs.length === 0) io.out('No entry is cleared as "not us".');
    for (const c of cs)
      io.out(
        [
          `#${c.id}`,
          c.channel,
          `${c.entryName} (${c.list} ${c.entryKey})`,
          `cleared ${c.clearedAt.slice(0, 10)} by ${c.clearedBy}`,
        ].join('\t'),
      );
    return 0;
  } finally {
    db.close();
  }
}

/** `sanctions-radar uncleared ID --by NAME [--note TEXT]`: the entry alerts its channel again. */
export function unclearCommand(
  io: CliIo,
  settings: Settings,
  o: { id: string; by?: string; note?: string },
): number {
  const id = Number(o.id.replace(/^#/, ''));
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new UsageError(`"${o.id}" is not a clearance id (the number "cleared" lists)`);
  if (!o.by?.trim())
    throw new UsageError('uncleared ID needs --by NAME: who undoes it (kept with the decision)');
  const { db } = openStore(existingDatabase(settings.dbPath));
  try {
    const by = o.by.trim();
    const r = unclear(
      db,
      id,
      { userId: `cli:${by}`, userName: by },
      o.note ?? null,
      `cli:${randomUUID()}`,
    );
    if (!r.ok) {
      io.err(`sanctions-radar: ${r.error}`);
      return 2;
    }
    io.out(`${r.entry} alerts ${r.channel} again.`);
    return 0;
  } finally {
    db.close();
  }
}
