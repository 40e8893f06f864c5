// A command Reply as a Slack slash-command response.
import type { types } from '@slack/bolt';
import type { Reply } from '../../src/commands/reply.js';
import { cleanDeep } from '../../src/text/clean.js';
import { packLines } from '../../src/text/limits.js';
import { clip, escapeText, link } from './escape.js';

export const SHARE_ACTION = 'sanctions_share';
const MAX_BLOCKS = 50;
const SECTION_CHARS = 3000;

export interface SlackReply {
  response_type: 'ephemeral' | 'in_channel';
  text: string;
  blocks: types.KnownBlock[];
}

/**
 * @param shareText the command to re-run when someone presses "Post to channel"; given for
 *   private answers a user may want the channel to see (lookup, history).
 */
export function replyMessage(r: Reply, shareText?: string): SlackReply {
  const blocks: types.KnownBlock[] = [
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: clip(r.ok ? escapeText(r.summary) : `:warning: ${escapeText(r.summary)}`, 3000),
      },
    },
  ];
  // A message holds at most 50 blocks (the footer and the share button keep two); a lookup
  // answer uses a few per entity, a long list of lines (a channel's subscriptions) as many
  // 3,000-character sections as it fills.
  const room = () => MAX_BLOCKS - 2 - blocks.length;
  for (const s of r.sections.slice(0, 10)) {
    if (room() <= 0) break;
    blocks.push({
      type: 'section',
      text: { type: 'mrkdwn', text: clip(`*${link(s.url, s.title)}*`, 3000) },
    });
    const fields = s.fields.slice(0, 10).map((f) => ({
      type: 'mrkdwn' as const,
      text: clip(`*${escapeText(f.label)}*\n${escapeText(f.value)}`, 2000),
    }));
    if (fields.length && room() > 0) blocks.push({ type: 'section', fields });
    for (const text of packLines(s.lines.map(escapeText), SECTION_CHARS, room()))
      blocks.push({ type: 'section', text: { type: 'mrkdwn', text } });
  }
  if (r.footer)
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: clip(escapeText(r.footer), 3000) }],
    });
  if (shareText && r.ok && r.visibility === 'private') {
    blocks.push({
      type: 'actions',
      elements: [
        {
          type: 'button',
          action_id: SHARE_ACTION,
          text: { type: 'plain_text', text: 'Post to channel' },
          value: clip(shareText, 2000),
        },
      ],
    });
  }
  return cleanDeep({
    response_type: r.visibility === 'channel' ? 'in_channel' : 'ephemeral',
    text: clip(escapeText(r.summary), 3000),
    blocks,
  });
}
