// Alerts as Block Kit messages: one message per alert, or a digest with the details in its thread.
import type { types } from '@slack/bolt';
import {
  alertCategory,
  alertHeadline,
  alertSubject,
  alertUrl,
  changesetNote,
  changesTold,
  count,
  describeExample,
  feedReasons,
  type AlertCategory,
} from '../../src/alerts/category.js';
import { citationLinks } from '../../src/alerts/citations.js';
import { describeFieldChange } from '../../src/alerts/format-text.js';
import type { DeliveryItem } from '../../src/delivery/adapter.js';
import type { Alert } from '../../src/domain.js';
import { clip, escapeText, link } from './escape.js';
import { bindingDates, describeIdentifiers } from '../../src/alerts/binding.js';
import { reviewable, reviewButtons } from './review-blocks.js';
import { digestLine, type DigestProgress } from '../../src/review/review.js';

export const EMOJI: Record<AlertCategory, string> = {
  added: ':rotating_light:',
  removed: ':white_check_mark:',
  amended: ':pencil2:',
  changeset: ':card_index_dividers:',
  court: ':classical_building:',
  agency: ':page_facing_up:',
  health: ':warning:',
  recovered: ':large_green_circle:',
  reminder: ':alarm_clock:',
};

/** A link to a message of the channel, from its ts; null when the workspace's address is not known. */
export type MessageLink = (messageTs: string) => string | null;

export interface SlackMessage {
  /** Notification and accessibility text. */
  text: string;
  blocks: types.KnownBlock[];
}

const mrkdwn = (text: string) => ({ type: 'mrkdwn' as const, text });

function field(
  label: string,
  value: string | null | undefined,
): { type: 'mrkdwn'; text: string } | null {
  return value ? mrkdwn(clip(`*${label}*\n${value}`, 2000)) : null;
}

/** The plain-text line for notifications: what happened and to whom, nothing that can ping. */
export function fallbackText(a: Alert): string {
  return clip(
    `${EMOJI[alertCategory(a)]} ${escapeText(alertHeadline(a))}: ${escapeText(alertSubject(a))}`,
    3000,
  );
}

export function alertMessage(
  { alert: a, reason }: DeliveryItem,
  messageLink: MessageLink = () => null,
): SlackMessage {
  const emoji = EMOJI[alertCategory(a)];
  const blocks: types.KnownBlock[] = [];
  const context: string[] = [
    escapeText(a.sourceLabel),
    `detected ${a.detectedAt.slice(0, 16).replace('T', ' ')} UTC`,
  ];
  if (reason) context.push(escapeText(reason));

  if (
    a.type === 'designation.added' ||
    a.type === 'designation.removed' ||
    a.type === 'designation.amended'
  ) {
    const r = a.record;
    blocks.push({
      type: 'section',
      text: mrkdwn(
        clip(`${emoji} *${escapeText(alertHeadline(a))}*\n*${link(r.url, r.name)}*`, 3000),
      ),
    });
    const aliases = r.aliases.length
      ? r.aliases.slice(0, 8).map(escapeText).join('; ') +
        (r.aliases.length > 8 ? `; +${r.aliases.length - 8} more` : '')
      : null;
    const fields = [
      field('List', escapeText(a.list)),
      field('Programs', r.programs.length ? escapeText(r.programs.join(', ')) : null),
      field('Listed on', r.listedOn),
      field('Binds investors', bindingDates(r)),
      field(
        'Identifiers',
        describeIdentifiers(r.identifiers) ? escapeText(describeIdentifiers(r.identifiers)!) : null,
      ),
      field('Linked to', r.linkedTo?.length ? escapeText(r.linkedTo.join('; ')) : null),
      field('Federal Register', r.citation ? frCitation(r.citation) : null),
      field('Also known as', aliases),
      field('Type', r.type ? escapeText(r.type) : null),
    ].filter((f): f is { type: 'mrkdwn'; text: string } => f !== null);
    if (fields.length) blocks.push({ type: 'section', fields });
    if (a.type === 'designation.amended' && a.fields?.length) {
      const lines = a.fields.map((f) => `• ${escapeText(describeFieldChange(f))}`);
      blocks.push({ type: 'section', text: mrkdwn(clip(`*Changed*\n${lines.join('\n')}`, 3000)) });
    }
  } else if (a.type === 'feed.item') {
    const i = a.item;
    const court = alertCategory(a) === 'court';
    const title = court && i.caseName ? i.caseName : i.title;
    blocks.push({
      type: 'section',
      text: mrkdwn(
        clip(
          `${emoji} *${escapeText(alertHeadline(a))}*\n*${link(i.documentUrl && court ? i.documentUrl : i.link, title)}*`,
          3000,
        ),
      ),
    });
    if (i.summary && i.summary !== (i.entryTypes ?? []).map((t) => `[${t}]`).join(' '))
      blocks.push({ type: 'section', text: mrkdwn(clip(escapeText(i.summary), 3000)) });
    // The sentences of the document's text that name the companies: what it does to them.
    if (i.passages?.length)
      blocks.push({
        type: 'section',
        text: mrkdwn(clip(i.passages.map((p) => `> ${escapeText(p)}`).join('\n'), 3000)),
      });
    const fields = (
      court
        ? [
            field('Court', i.court ? escapeText(i.court.toUpperCase()) : null),
            field('Docket', i.docket ? link(i.link, i.docket) : null),
            field(
              'Entry',
              [
                i.entryTypes?.length ? escapeText(i.entryTypes.join('; ')) : '',
                i.documentNumber ? `document ${link(i.documentUrl, i.documentNumber)}` : '',
              ]
                .filter(Boolean)
                .join('\n') || null,
            ),
          ]
        : [
            field(
              'Type',
              [i.label, i.documentType]
                .filter(Boolean)
                .map((x) => escapeText(x!))
                .join(' · ') || null,
            ),
            field(
              'Federal Register',
              i.citation
                ? frCitation(i.citation)
                : i.documentNumber
                  ? `document ${escapeText(i.documentNumber)}`
                  : null,
            ),
            field('Agencies', i.agencies?.length ? escapeText(i.agencies.join('; ')) : null),
            field('Effective', i.effectiveOn ?? null),
          ]
    )
      .concat([
        field('Why', escapeText(feedReasons(a)) || null),
        field(
          'Published',
          i.publishedAt ? i.publishedAt.slice(0, 16).replace('T', ' ') + ' UTC' : null,
        ),
      ])
      .filter((f): f is { type: 'mrkdwn'; text: string } => f !== null);
    if (fields.length) blocks.push({ type: 'section', fields: fields.slice(0, 10) });
  } else if (a.type === 'designation.changeset') {
    blocks.push({
      type: 'section',
      text: mrkdwn(
        clip(
          `${emoji} *${escapeText(alertHeadline(a))}* in one poll\n*${link(a.url, a.sourceLabel)}*: ${escapeText(alertSubject(a))}`,
          3000,
        ),
      ),
    });
    // Ten fields at most in a section.
    const lists = a.lists
      .slice(0, 10)
      .map((l) =>
        mrkdwn(
          clip(
            `*${escapeText(l.list)}*\n${[`+${count(l.added)}`, `−${count(l.removed)}`, `~${count(l.amended)}`].join('  ')}`,
            2000,
          ),
        ),
      );
    if (lists.length) blocks.push({ type: 'section', fields: lists });
    if (a.examples.length)
      blocks.push({
        type: 'section',
        text: mrkdwn(
          clip(
            `*For example*\n${a.examples.map((e) => `• ${escapeText(describeExample(e))}`).join('\n')}`,
            3000,
          ),
        ),
      });
    context.push(escapeText(changesetNote(a)));
  } else if (a.type === 'source.health') {
    blocks.push({
      type: 'section',
      text: mrkdwn(
        clip(`${emoji} *${escapeText(alertHeadline(a))}*\n${escapeText(a.reason)}`, 3000),
      ),
    });
  } else if (a.type === 'review.reminder') {
    blocks.push({
      type: 'section',
      text: mrkdwn(`${emoji} *${escapeText(alertHeadline(a))}*\n${escapeText(alertSubject(a))}`),
    });
    const lines = a.alerts.map((e) => {
      const url = e.messageId ? messageLink(e.messageId) : null;
      return `• ${link(url, `#${e.id} ${e.headline}: ${e.subject}`)} · ${escapeText(e.state)} since ${e.deliveredAt.slice(0, 16).replace('T', ' ')} UTC`;
    });
    if (a.open > a.alerts.length) lines.push(`…and ${count(a.open - a.alerts.length)} more`);
    blocks.push({ type: 'section', text: mrkdwn(clip(lines.join('\n'), 3000)) });
    context.push("Decide with each alert's buttons; /sanctions review lists them all");
  }
  blocks.push({ type: 'context', elements: [mrkdwn(clip(context.join(' · '), 3000))] });
  if (reviewable(a)) blocks.push(reviewButtons(a));
  return { text: fallbackText(a), blocks };
}

/** "83 FR 37423; 87 FR 77505" with each citation linking its federalregister.gov page. */
function frCitation(citation: string): string {
  const links = citationLinks(citation);
  return links.length ? links.map((l) => link(l.url, l.citation)).join('; ') : escapeText(citation);
}

export const DIGEST_REVIEW_BLOCK = 'sanctions_digest_review';

/** How many alerts for one channel at once become a digest rather than separate messages. */
export const DIGEST_AT = 4;
const DIGEST_LINES = 20;

/**
 * The digest's parent message: one line per alert, and how many of them are decided; the details
 * follow in its thread, each with its own review buttons. Shown again, counted anew, at each decision.
 */
export function digestMessage(
  items: Pick<DeliveryItem, 'alert'>[],
  progress?: Pick<DigestProgress, 'reviewed' | 'total' | 'pending'>,
): SlackMessage {
  const counts = new Map<AlertCategory, number>();
  for (const { alert } of items)
    counts.set(alertCategory(alert), (counts.get(alertCategory(alert)) ?? 0) + 1);
  const tally = [...counts].map(([c, n]) => `${EMOJI[c]} ${n} ${c}`).join('  ');
  const sources = [...new Set(items.map((i) => i.alert.sourceLabel))].map(escapeText).join(', ');
  const lines = items.slice(0, DIGEST_LINES).map(({ alert: a }) => {
    return `${EMOJI[alertCategory(a)]} ${escapeText(alertHeadline(a))}: ${link(alertUrl(a), alertSubject(a))}`;
  });
  if (items.length > DIGEST_LINES)
    lines.push(`…and ${items.length - DIGEST_LINES} more in the thread`);
  const told = changesTold(items.map((i) => i.alert));
  const total = items.filter((i) => reviewable(i.alert)).length;
  const blocks: types.KnownBlock[] = [
    {
      type: 'section',
      text: mrkdwn(clip(`*${count(told)} changes* from ${sources}\n${tally}`, 3000)),
    },
    { type: 'section', text: mrkdwn(clip(lines.join('\n'), 3000)) },
    {
      type: 'context',
      block_id: DIGEST_REVIEW_BLOCK,
      elements: [
        mrkdwn(
          total
            ? `Details of each change are in this thread, each with its review buttons · ${digestLine(progress ?? { reviewed: 0, total, pending: 0 })}`
            : 'Details of each change are in this thread.',
        ),
      ],
    },
  ];
  return { text: `${count(told)} sanctions changes from ${sources}`, blocks };
}
