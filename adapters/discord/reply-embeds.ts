// A command Reply as a Discord interaction response.
import type { Reply } from '../../src/commands/reply.js';
import { escapeMarkdown, type Embed } from './embeds.js';
import { clip, httpUrl, packLines } from '../../src/text/limits.js';

export const EPHEMERAL = 64;

export interface InteractionMessage {
  content: string;
  embeds: Omit<Embed, 'timestamp'>[];
  allowed_mentions: { parse: [] };
  flags?: number;
}

export function replyData(r: Reply): InteractionMessage {
  const embeds = r.sections.slice(0, 10).map((s) => ({
    title: clip(s.title, 256),
    ...(httpUrl(s.url) ? { url: httpUrl(s.url) } : {}),
    color: r.ok ? 0x1d3557 : 0xe9c46a,
    ...(s.lines.length ? { description: packLines(s.lines.map(escapeMarkdown), 4096, 1)[0] } : {}),
    ...(s.fields.length ? { fields: s.fields.slice(0, 25).map((f) => ({ name: clip(f.label, 256), value: clip(escapeMarkdown(f.value), 1024) })) } : {}),
  }));
  const content = clip(`${r.ok ? '' : '⚠️ '}${escapeMarkdown(r.summary)}${r.footer ? `\n${escapeMarkdown(r.footer)}` : ''}`, 2000);
  return { content, embeds, allowed_mentions: { parse: [] }, ...(r.visibility === 'private' || !r.ok ? { flags: EPHEMERAL } : {}) };
}
