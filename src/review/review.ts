// Decisions on alerts, made in the channel an alert reached: acknowledged, not us (a false
// positive, with the reason), escalated, or a note. A decision is a record (db/decisions.ts): a
// later one supersedes, none is rewritten. The platforms' buttons and the command line all come
// here, so a decision means the same wherever it was made.
import {
  decisionById,
  decisionsOn,
  deliveredAlerts,
  deliveredTo,
  recordDecision,
  threadAlerts,
  threadOf,
  type ReviewRow,
} from '../../db/decisions.js';
import type { Alert } from '../domain.js';
import { isReviewable } from '../alerts/category.js';
import type { Db } from '../../db/database.js';
import { addClearance, clearanceById, undoClearance } from '../../db/clearances.js';
import { deliveredAlert } from '../../db/delivered.js';
import { routedByName } from '../routing/router.js';
import { materialOf } from './cleared.js';

/** 'uncleared': a remembered "not us" undone (sanctions-radar uncleared); not a button. */
export type ReviewAction = 'ack' | 'not-us' | 'escalate' | 'note' | 'uncleared';
export const REVIEW_ACTIONS: readonly ReviewAction[] = ['ack', 'not-us', 'escalate', 'note'];

/** The longest reason and note taken (a reason is a line; a note a paragraph). */
export const REVIEW_LIMITS = { reason: 300, note: 1000 } as const;

export interface DecisionInput {
  alertId: number;
  channel: string;
  /** The platform's user id ("U0123", a Discord snowflake, "cli:ana"). */
  userId: string;
  /** The name shown for them then, kept as it was. */
  userName?: string | null;
  action: ReviewAction;
  reason?: string | null;
  note?: string | null;
  /** The platform's key for this click or submission: sent twice, it records once. */
  requestKey: string;
}

export interface Decision {
  id: number;
  alertId: number;
  channel: string;
  userId: string;
  userName: string | null;
  action: ReviewAction;
  reason: string | null;
  note: string | null;
  decidedAt: string;
  requestKey: string;
}

/**
 * Four eyes (SANCTIONS_RADAR_FOUR_EYES): an escalated alert ('escalated'), or any alert ('all'), is
 * closed only when a second, different reviewer closes it too (Acknowledge or Not us).
 */
export type FourEyes = 'off' | 'escalated' | 'all';

/**
 * A digest whose detail was decided on: its alerts, to show the digest again, and how many of
 * those a person decides on are decided ("3 of 7 reviewed"). Health alerts are not counted.
 */
export interface DigestProgress {
  /** The digest's message (Slack: the thread's ts; Discord: the message id). */
  thread: string;
  items: { alert: Alert; reason: string | null }[];
  reviewed: number;
  total: number;
  /** Escalated, or waiting for a second reviewer. */
  pending: number;
}

export type ReviewOutcome =
  | {
      ok: true;
      decisions: Decision[];
      repeated: boolean;
      fourEyes: FourEyes;
      digest?: DigestProgress;
    }
  | { ok: false; error: string };

/** Records a decision for a platform (the daemon runs it in its command queue). */
export type ReviewRunner = (input: DecisionInput) => ReviewOutcome | Promise<ReviewOutcome>;

/** What is wrong with a decision as given, in a sentence, and which of its fields; null when nothing is. */
export function checkDecision(
  d: Pick<DecisionInput, 'action' | 'reason' | 'note'>,
): { field: 'action' | 'reason' | 'note'; error: string } | null {
  if (!REVIEW_ACTIONS.includes(d.action))
    return {
      field: 'action',
      error: `"${String(d.action)}" is not a decision: one of ${REVIEW_ACTIONS.join(', ')}`,
    };
  const reason = d.reason?.trim() ?? '';
  const note = d.note?.trim() ?? '';
  if (reason.length > REVIEW_LIMITS.reason)
    return {
      field: 'reason',
      error: `The reason is ${reason.length} characters; at most ${REVIEW_LIMITS.reason} are kept. Shorten it, or put the rest in the note.`,
    };
  if (note.length > REVIEW_LIMITS.note)
    return {
      field: 'note',
      error: `The note is ${note.length} characters; at most ${REVIEW_LIMITS.note} are kept.`,
    };
  if (d.action === 'not-us' && !reason)
    return {
      field: 'reason',
      error:
        'Say why it is not us (for example "different company: Shenzhen, not Beijing"): the reason is what an examiner reads.',
    };
  if (d.action === 'note' && !note) return { field: 'note', error: 'A note needs its text.' };
  if (d.action === 'escalate' && !note)
    return { field: 'note', error: 'Say what needs looking at: an escalation carries a note.' };
  return null;
}

export type ReviewState =
  'open' | 'acknowledged' | 'not us' | 'escalated' | 'awaiting a second reviewer';

const closes = (a: ReviewAction) => a === 'ack' || a === 'not-us';

/** Under four eyes, who closed the alert so far (since its latest escalation), when one more is needed. */
function awaiting(
  decisions: readonly Pick<Decision, 'action' | 'userId'>[],
  fourEyes: FourEyes,
): Pick<Decision, 'action' | 'userId'>[] | null {
  const escalated = decisions.map((d) => d.action).lastIndexOf('escalate');
  if (fourEyes === 'off' || (fourEyes === 'escalated' && escalated < 0)) return null;
  const closers = decisions.slice(escalated + 1).filter((d) => closes(d.action));
  return closers.length > 0 && new Set(closers.map((d) => d.userId)).size < 2 ? closers : null;
}

/** Where decisions leave an alert: the latest that is not a note decides, under four eyes once two reviewers closed it. */
export function reviewState(
  decisions: readonly Pick<Decision, 'action' | 'userId'>[],
  fourEyes: FourEyes = 'off',
): ReviewState {
  for (let i = decisions.length - 1; i >= 0; i--) {
    const a = decisions[i]!.action;
    if (closes(a) && awaiting(decisions, fourEyes)) return 'awaiting a second reviewer';
    if (a === 'ack') return 'acknowledged';
    if (a === 'not-us') return 'not us';
    if (a === 'escalate') return 'escalated';
  }
  return 'open';
}

const WORDS: Record<ReviewAction, string> = {
  ack: 'Acknowledged',
  'not-us': 'Not us',
  escalate: 'Escalated',
  note: 'Note',
  uncleared: 'Cleared no longer',
};

/**
 * The line an alert's message shows once someone decided: the deciding decision, and the latest
 * note after it. `who` renders a person as the platform shows them (a mention in Slack); `text`
 * makes what people typed safe for the platform's markup.
 */
export function reviewLine(
  decisions: readonly Decision[],
  who: (d: Decision) => string,
  text: (typed: string) => string = (t) => t,
  fourEyes: FourEyes = 'off',
): string | null {
  if (decisions.length === 0) return null;
  const at = (d: Decision) => `${d.decidedAt.slice(0, 16).replace('T', ' ')} UTC`;
  const deciding = [...decisions]
    .reverse()
    .find((d) => d.action === 'ack' || d.action === 'not-us' || d.action === 'escalate');
  const parts: string[] = [];
  if (deciding) {
    const why =
      deciding.action === 'not-us'
        ? `: ${text(deciding.reason ?? '')}`
        : deciding.action === 'escalate'
          ? `: ${text(deciding.note ?? '')}`
          : '';
    parts.push(`${WORDS[deciding.action]} by ${who(deciding)} ${at(deciding)}${why}`);
    if (deciding.action === 'not-us' && deciding.note) parts.push(text(deciding.note));
  }
  const note = [...decisions].reverse().find((d) => d.action === 'note');
  if (note && (!deciding || note.id > deciding.id))
    parts.push(`Note by ${who(note)} ${at(note)}: ${text(note.note ?? '')}`);
  if (deciding && closes(deciding.action) && awaiting(decisions, fourEyes))
    parts.push(`four eyes: a second reviewer, not ${who(deciding)}, closes it`);
  return parts.join(' · ');
}

/**
 * "Not us" on a listed entry that reached the channel by a name clears that entry for the channel
 * (db/clearances.ts): its later changes route there again only once what makes it that entry
 * changed. An identifier match, or a whole list followed, is not a name to be wrong about.
 */
function rememberNotUs(db: Db, d: Decision): void {
  const got = deliveredAlert(db, d.alertId, d.channel);
  if (!got || !('record' in got.alert) || !got.reason || !routedByName(got.reason)) return;
  const { record } = got.alert;
  addClearance(db, {
    channel: d.channel,
    list: record.list,
    entryKey: record.key,
    entryName: record.name,
    material: materialOf(record),
    decisionId: d.id,
    clearedAt: d.decidedAt,
    clearedBy: d.userName ?? d.userId,
  });
}

/** Checks, then records a decision on an alert the channel received. */
export function runReview(
  db: Db,
  input: DecisionInput,
  now: Date = new Date(),
  fourEyes: FourEyes = 'off',
): ReviewOutcome {
  const problem = checkDecision(input);
  if (problem) return { ok: false, error: problem.error };
  const clean = {
    ...input,
    reason: input.reason?.trim() || null,
    note: input.note?.trim() || null,
  };
  return db
    .transaction((): ReviewOutcome => {
      const { exists, delivered } = deliveredTo(db, input.alertId, input.channel);
      if (!exists)
        return {
          ok: false,
          error: `Alert #${input.alertId} is no longer kept (alerts are pruned after the retention period unless someone decided on them); nothing was recorded.`,
        };
      if (!delivered)
        return {
          ok: false,
          error: `Alert #${input.alertId} was not delivered to ${input.channel}; decide on it in the channel it reached.`,
        };
      const before = decisionsOn(db, input.alertId, input.channel);
      const pending =
        closes(input.action) && !before.some((d) => d.requestKey === input.requestKey)
          ? awaiting(before, fourEyes)
          : null;
      if (pending?.some((d) => d.userId === input.userId)) {
        return {
          ok: false,
          error:
            'Four eyes: you closed this alert already; a second, different reviewer confirms it. Nothing was recorded.',
        };
      }
      const { decision, repeated } = recordDecision(db, clean, now.toISOString());
      if (!repeated && decision.action === 'not-us') rememberNotUs(db, decision);
      const thread = threadOf(db, input.alertId, input.channel);
      const digest = thread ? digestProgress(db, input.channel, thread, fourEyes) : undefined;
      return {
        ok: true,
        decisions: decisionsOn(db, input.alertId, input.channel),
        repeated,
        fourEyes,
        ...(digest ? { digest } : {}),
      };
    })
    .immediate();
}

/** How far the alerts of one digest in a channel are decided. */
export function digestProgress(
  db: Db,
  channel: string,
  thread: string,
  fourEyes: FourEyes,
): DigestProgress {
  const rows = threadAlerts(db, channel, thread);
  let reviewed = 0;
  let pending = 0;
  let total = 0;
  for (const r of rows) {
    if (!isReviewable(r.alert)) continue;
    total++;
    const state = reviewState(
      JSON.parse(r.decisions ?? '[]') as Pick<Decision, 'action' | 'userId'>[],
      fourEyes,
    );
    if (!stillOpen(state)) reviewed++;
    else if (state !== 'open') pending++;
  }
  return {
    thread,
    items: rows.map((r) => ({ alert: r.alert, reason: r.reason })),
    reviewed,
    total,
    pending,
  };
}

/** "3 of 7 reviewed · 1 escalated or awaiting a second reviewer". */
export function digestLine(p: Pick<DigestProgress, 'reviewed' | 'total' | 'pending'>): string {
  return `${p.reviewed} of ${p.total} reviewed${p.pending ? ` · ${p.pending} escalated or awaiting a second reviewer` : ''}`;
}

/** Undoes a remembered "not us": a decision of its own on the alert that was cleared. */
export function unclear(
  db: Db,
  clearanceId: number,
  by: { userId: string; userName: string | null },
  note: string | null,
  requestKey: string,
  now: Date = new Date(),
): { ok: true; entry: string; channel: string } | { ok: false; error: string } {
  return db
    .transaction(() => {
      const c = clearanceById(db, clearanceId);
      if (!c)
        return { ok: false as const, error: `No clearance #${clearanceId}: "cleared" lists them.` };
      if (c.undoneBy !== null)
        return {
          ok: false as const,
          error: `Clearance #${clearanceId} (${c.entryName}, ${c.list}) was undone already.`,
        };
      const alertId = decisionById(db, c.decisionId)?.alertId ?? 0;
      const { decision } = recordDecision(
        db,
        {
          alertId,
          channel: c.channel,
          userId: by.userId,
          userName: by.userName,
          action: 'uncleared',
          note: [`clearance #${clearanceId}`, note?.trim()].filter(Boolean).join(': '),
          requestKey,
        },
        now.toISOString(),
      );
      undoClearance(db, clearanceId, decision.id);
      return { ok: true as const, entry: `${c.entryName} (${c.list})`, channel: c.channel };
    })
    .immediate();
}

/** A delivered alert with its decisions and the state they leave it in. */
export type Reviewed = Omit<ReviewRow, 'decisions'> & { decisions: Decision[]; state: ReviewState };

/**
 * The alerts channels received (one channel, or all), oldest first, with their decisions and
 * state: read a page at a time, since the open ones may come after thousands already decided.
 */
export function* reviewedAlerts(
  db: Db,
  channel: string | null,
  fourEyes: FourEyes,
): Generator<Reviewed> {
  const PAGE = 2000;
  for (
    let offset = 0, page = deliveredAlerts(db, channel, PAGE);
    page.length > 0;
    page = deliveredAlerts(db, channel, PAGE, (offset += PAGE))
  ) {
    for (const r of page) {
      // Ids in the order decided: the line shows the note that came after the deciding decision.
      const decisions = (JSON.parse(r.decisions ?? '[]') as Decision[]).map((d, i) => ({
        ...d,
        id: i + 1,
      }));
      yield { ...r, decisions, state: reviewState(decisions, fourEyes) };
    }
  }
}

/** Still to decide: open, escalated, or waiting for a second reviewer. */
export const stillOpen = (state: ReviewState) => state !== 'acknowledged' && state !== 'not us';
