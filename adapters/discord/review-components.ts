// Review actions on a Discord alert: its buttons (message components), the modal that takes a
// reason or a note, and what a click or a submission answers (the message updated in place).
import {
  REVIEW_LIMITS,
  reviewLine,
  type Decision,
  type DigestProgress,
  type ReviewAction,
  type ReviewRunner,
} from '../../src/review/review.js';
import { alertHeadline, alertSubject, isReviewable } from '../../src/alerts/category.js';
import type { Alert } from '../../src/domain.js';
import { clip } from '../../src/text/limits.js';
import { escapeMarkdown } from './embeds.js';
import { EPHEMERAL } from './reply-embeds.js';

/** custom_id of a button, and of the modal it opens: "sr:review:not-us:123", "sr:review-modal:not-us:123". */
const CUSTOM_ID = /^sr:review(-modal)?:(ack|not-us|escalate|note):(\d+)$/;

export function reviewComponents(alertId: number): unknown[] {
  const button = (label: string, action: ReviewAction, style: number) => ({
    type: 2,
    style,
    label,
    custom_id: `sr:review:${action}:${alertId}`,
  });
  // Styles: 3 success, 2 secondary, 4 danger.
  return [
    {
      type: 1,
      components: [
        button('Acknowledge', 'ack', 3),
        button('Not us', 'not-us', 2),
        button('Escalate', 'escalate', 4),
        button('Note', 'note', 2),
      ],
    },
  ];
}

const TITLES: Partial<Record<ReviewAction, string>> = {
  ack: 'Acknowledge',
  'not-us': 'Not us',
  escalate: 'Escalate',
  note: 'Note',
};

function modal(action: ReviewAction, alertId: number): Record<string, unknown> {
  // Text input styles: 1 one line, 2 a paragraph.
  const input = (id: 'reason' | 'note', label: string, required: boolean, style: number) => ({
    type: 1,
    components: [{ type: 4, custom_id: id, label, style, required, max_length: REVIEW_LIMITS[id] }],
  });
  const components =
    action === 'not-us'
      ? [input('reason', 'Why it is not us', true, 1), input('note', 'Note', false, 2)]
      : [input('note', action === 'escalate' ? 'What needs looking at' : 'Note', true, 2)];
  return {
    type: 9,
    data: {
      custom_id: `sr:review-modal:${action}:${alertId}`,
      title: TITLES[action] ?? 'Decision',
      components,
    },
  };
}

/** What a review interaction carries (a button click, type 3, or a modal submission, type 5). */
export interface ReviewInteraction {
  type: number;
  id?: string;
  channelId: string;
  /** Whether the clicking member may decide here (their roles and permissions), and if not, why. */
  allowed: boolean;
  refusal: string;
  user: { id: string; name: string | null };
  customId: string;
  /** A modal's text inputs by custom_id. */
  values: Record<string, string | undefined>;
  /** What was picked in a select menu. */
  picked?: string[];
}

/**
 * custom_id of the menu on a packed digest's message: its embeds are several alerts, and a button
 * cannot say which it is for, so the member picks one and gets its four buttons privately.
 */
export const PICK_ID = 'sr:review-pick';

/** The menu for the alerts a message of a digest details; none when none is to be decided on. */
export function pickComponents(alerts: Alert[]): unknown[] {
  const options = alerts
    .filter(isReviewable)
    .slice(0, 25)
    .map((a) => ({
      label: clip(`${alertHeadline(a)}: ${alertSubject(a)}`, 100),
      value: String(a.id),
    }));
  return options.length
    ? [
        {
          type: 1,
          components: [
            {
              type: 3,
              custom_id: PICK_ID,
              placeholder: 'Decide on one of these alerts…',
              min_values: 1,
              max_values: 1,
              options,
            },
          ],
        },
      ]
    : [];
}

export const isReviewInteraction = (customId: string | undefined) =>
  customId === PICK_ID || CUSTOM_ID.test(customId ?? '');

const ephemeral = (content: string) => ({
  type: 4,
  data: { content, flags: EPHEMERAL, allowed_mentions: { parse: [] } },
});

/** A person as Discord shows them: a mention of a user id (allowed_mentions keeps it silent), else the name. */
const who = (d: Decision) =>
  /^\d{17,20}$/.test(d.userId) ? `<@${d.userId}>` : escapeMarkdown(d.userName ?? d.userId);

/** "2 of 7 reviewed", on the digest's message, when a decision on one of its alerts was recorded. */
export type DigestShown = (channelId: string, digest: DigestProgress) => void;

/** The interaction response: the modal to open, the updated message (type 7), or a private answer. */
export async function answerReview(
  i: ReviewInteraction,
  review: ReviewRunner | undefined,
  showDigest?: DigestShown,
): Promise<Record<string, unknown>> {
  if (!review) return ephemeral('Unknown interaction.');
  if (!i.allowed) return ephemeral(i.refusal);
  if (i.customId === PICK_ID) {
    const picked = Number(i.picked?.[0]);
    if (!Number.isSafeInteger(picked)) return ephemeral('Unknown interaction.');
    return {
      type: 4,
      data: {
        content: `Your decision on alert #${picked}:`,
        flags: EPHEMERAL,
        components: reviewComponents(picked),
        allowed_mentions: { parse: [] },
      },
    };
  }
  const m = CUSTOM_ID.exec(i.customId);
  if (!m) return ephemeral('Unknown interaction.');
  const action = m[2] as ReviewAction;
  const alertId = Number(m[3]);
  if (i.type === 3 && action !== 'ack') return modal(action, alertId);
  const outcome = await review({
    alertId,
    channel: `discord:${i.channelId}`,
    userId: i.user.id,
    userName: i.user.name,
    action,
    reason: i.values.reason ?? null,
    note: i.values.note ?? null,
    // Discord sends an interaction once per id; a retried request carries the same one.
    requestKey: `discord:${i.id ?? `${i.channelId}:${alertId}:${i.user.id}:${action}`}`,
  });
  if (!outcome.ok) return ephemeral(outcome.error);
  if (outcome.digest) showDigest?.(i.channelId, outcome.digest);
  const line = reviewLine(outcome.decisions, who, escapeMarkdown, outcome.fourEyes) ?? '';
  return {
    type: 7,
    data: { content: clip(`:memo: ${line}`, 2000), allowed_mentions: { parse: [] } },
  };
}
