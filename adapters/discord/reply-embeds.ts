// A command Reply as a Discord interaction response.
import type { Reply } from '../../src/commands/reply.js';
import {
  CHARS_PER_MESSAGE,
  EMBEDS_PER_MESSAGE,
  embedSize,
  escapeMarkdown,
  fitEmbed,
  type Embed,
} from './embeds.js';
import { cleanDeep } from '../../src/text/clean.js';
import { clip, httpUrl, packLines } from '../../src/text/limits.js';

export const EPHEMERAL = 64;

export interface InteractionMessage {
  content: string;
  embeds: Omit<Embed, 'timestamp'>[];
  allowed_mentions: { parse: [] };
  flags?: number;
}

/** Below this, an embed cut to fit would say too little: it is left out and counted instead. */
const MIN_EMBED_CHARS = 300;

export function replyData(r: Reply): InteractionMessage {
  const all = r.sections.slice(0, EMBEDS_PER_MESSAGE).map((s) => ({
    title: clip(s.title, 256),
    ...(httpUrl(s.url) ? { url: httpUrl(s.url) } : {}),
    color: r.ok ? 0x1d3557 : 0xe9c46a,
    ...(s.lines.length ? { description: packLines(s.lines.map(escapeMarkdown), 4096, 1)[0] } : {}),
    ...(s.fields.length
      ? {
          fields: s.fields
            .slice(0, 25)
            .map((f) => ({ name: clip(f.label, 256), value: clip(escapeMarkdown(f.value), 1024) })),
        }
      : {}),
  }));
  // One message: at most 6,000 characters across its embeds, or Discord refuses the answer whole.
  const embeds: typeof all = [];
  let left = CHARS_PER_MESSAGE;
  for (const e of all) {
    if (left < MIN_EMBED_CHARS) break;
    const fitted = fitEmbed(e, left);
    if (embedSize(fitted) > left) break;
    embeds.push(fitted);
    left -= embedSize(fitted);
  }
  const dropped = r.sections.length - embeds.length;
  const more =
    dropped > 0
      ? `\n(${dropped} more section${dropped === 1 ? '' : 's'} not shown: a Discord message holds 10, and 6,000 characters)`
      : '';
  const content =
    clip(
      `${r.ok ? '' : '⚠️ '}${escapeMarkdown(r.summary)}${r.footer ? `\n${escapeMarkdown(r.footer)}` : ''}`,
      2000 - more.length,
    ) + more;
  return cleanDeep({
    content,
    embeds,
    allowed_mentions: { parse: [] as [] },
    ...(r.visibility === 'private' || !r.ok ? { flags: EPHEMERAL } : {}),
  });
}
