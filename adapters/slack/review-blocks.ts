// Review actions on an alert's message: the buttons, the modal that takes a reason or a note, and
// the message as it shows once someone decided (the state line above the buttons, which stay for
// a later decision or note).
import type { types } from '@slack/bolt';
import {
  REVIEW_LIMITS,
  reviewLine,
  type Decision,
  type FourEyes,
  type ReviewAction,
} from '../../src/review/review.js';
import type { Alert } from '../../src/domain.js';
import { isReviewable } from '../../src/alerts/category.js';
import { clip, escapeText } from './escape.js';

export const REVIEW_BLOCK = 'sanctions_review';
export const REVIEW_STATE_BLOCK = 'sanctions_review_state';
export const REVIEW_MODAL = 'sanctions_review_modal';
/** action_id of each button: sanctions_review_ack, sanctions_review_not_us, ... */
export const REVIEW_ACTION_ID = /^sanctions_review_(ack|not_us|escalate|note)$/;

const actionId = (a: ReviewAction) => `sanctions_review_${a.replace('-', '_')}`;
export const actionOf = (id: string): ReviewAction =>
  id.slice('sanctions_review_'.length).replace('_', '-') as ReviewAction;

/** Health alerts and reminders are the bot's own news, not a company's: nothing to decide. */
export const reviewable = (a: Alert) => isReviewable(a);

export function reviewButtons(a: Alert): types.ActionsBlock {
  const button = (
    text: string,
    action: ReviewAction,
    style?: 'primary' | 'danger',
  ): types.Button => ({
    type: 'button',
    action_id: actionId(action),
    text: { type: 'plain_text', text },
    value: String(a.id),
    ...(style ? { style } : {}),
  });
  return {
    type: 'actions',
    block_id: REVIEW_BLOCK,
    elements: [
      button('Acknowledge', 'ack', 'primary'),
      button('Not us', 'not-us'),
      button('Escalate', 'escalate', 'danger'),
      button('Note', 'note'),
    ],
  };
}

/** What the modal carries from the click to the submission. */
export interface ReviewContext {
  alertId: number;
  channel: string;
  ts: string;
  action: ReviewAction;
}

const TITLES: Partial<Record<ReviewAction, string>> = {
  ack: 'Acknowledge',
  'not-us': 'Not us',
  escalate: 'Escalate',
  note: 'Note',
};

export function reviewModal(c: ReviewContext): types.ModalView {
  const input = (
    id: 'reason' | 'note',
    label: string,
    optional: boolean,
    multiline: boolean,
    placeholder: string,
  ): types.InputBlock => ({
    type: 'input',
    block_id: id,
    optional,
    label: { type: 'plain_text', text: label },
    element: {
      type: 'plain_text_input',
      action_id: id,
      multiline,
      max_length: REVIEW_LIMITS[id],
      placeholder: { type: 'plain_text', text: placeholder },
    },
  });
  const blocks: types.KnownBlock[] =
    c.action === 'not-us'
      ? [
          input(
            'reason',
            'Why it is not us',
            false,
            false,
            'different company: Shenzhen, not Beijing',
          ),
          input('note', 'Note', true, true, 'anything an examiner should know'),
        ]
      : [
          input(
            'note',
            c.action === 'escalate' ? 'What needs looking at' : 'Note',
            false,
            true,
            c.action === 'escalate' ? 'who should look, and why' : 'what you found',
          ),
        ];
  return {
    type: 'modal',
    callback_id: REVIEW_MODAL,
    private_metadata: JSON.stringify(c),
    title: { type: 'plain_text', text: TITLES[c.action] ?? 'Decision' },
    submit: { type: 'plain_text', text: 'Record' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
}

/** A person as Slack shows them: a mention of a real user id, else the name as given, escaped. */
const who = (d: Decision) =>
  /^[UW][A-Z0-9]{2,}$/.test(d.userId) ? `<@${d.userId}>` : escapeText(d.userName ?? d.userId);

/** The message's blocks with the decisions' line above its buttons (replacing an earlier line). */
export function withReviewState(
  blocks: types.KnownBlock[],
  decisions: Decision[],
  fourEyes: FourEyes = 'off',
): types.KnownBlock[] {
  const line = reviewLine(decisions, who, escapeText, fourEyes);
  const kept = blocks.filter((b) => b.block_id !== REVIEW_STATE_BLOCK);
  if (!line) return kept;
  const state: types.ContextBlock = {
    type: 'context',
    block_id: REVIEW_STATE_BLOCK,
    elements: [{ type: 'mrkdwn', text: clip(`:memo: ${line}`, 3000) }],
  };
  const at = kept.findIndex((b) => b.block_id === REVIEW_BLOCK);
  return at < 0 ? [...kept, state] : [...kept.slice(0, at), state, ...kept.slice(at)];
}
