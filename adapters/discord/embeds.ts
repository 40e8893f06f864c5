// Alerts as Discord embeds: a colour per kind, the title linking the source document, fields for
// list, programs, listed-on, citation and the subscription that brought it.
import { cleanText } from '../../src/text/clean.js';
import {
  alertCategory,
  alertHeadline,
  alertSubject,
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
import { clip, httpUrl } from '../../src/text/limits.js';
import { bindingDates, describeIdentifiers } from '../../src/alerts/binding.js';

export const COLOURS: Record<AlertCategory, number> = {
  added: 0xd62828,
  removed: 0x2a9d8f,
  amended: 0xf4a261,
  changeset: 0x264653,
  court: 0x6a4c93,
  agency: 0x457b9d,
  health: 0xe9c46a,
  recovered: 0x8ac926,
  reminder: 0x577590,
};

/** A link to a message of the channel, from its id; null when its server is not known. */
export type MessageLink = (messageId: string) => string | null;

export interface Embed {
  title: string;
  url?: string;
  description?: string;
  color: number;
  fields?: { name: string; value: string; inline?: boolean }[];
  footer?: { text: string };
  timestamp: string;
}

// Discord's limits: title 256, description 4096, field value 1024, 25 fields.

/** Embeds render markdown: escape it so list and feed text shows as written. */
export function escapeMarkdown(text: string): string {
  return cleanText(text).replace(/([\\*_~`|>[\]()#-])/g, '\\$1');
}

export function alertEmbed(
  { alert: a, reason }: DeliveryItem,
  messageLink: MessageLink = () => null,
): Embed {
  const fields: { name: string; value: string; inline?: boolean }[] = [];
  const add = (name: string, value: string | null | undefined, inline = true) => {
    if (value) fields.push({ name, value: clip(escapeMarkdown(value), 1024), inline });
  };
  // Markdown we build ourselves: masked links to federalregister.gov citation pages.
  const addCitation = (citation: string | null | undefined) => {
    const links = citationLinks(citation);
    if (!citation) return;
    if (!links.length) return add('Federal Register', citation);
    fields.push({
      name: 'Federal Register',
      value: clip(links.map((l) => `[${l.citation}](${l.url})`).join('; '), 1024),
      inline: true,
    });
  };
  let url: string | undefined;
  let description: string | undefined;
  if (
    a.type === 'designation.added' ||
    a.type === 'designation.removed' ||
    a.type === 'designation.amended'
  ) {
    const r = a.record;
    url = httpUrl(r.url);
    description = escapeMarkdown(r.name);
    add('List', a.list);
    add('Programs', r.programs.join(', '));
    add('Listed on', r.listedOn);
    add('Binds investors', bindingDates(r) ?? undefined);
    add('Identifiers', describeIdentifiers(r.identifiers) ?? undefined, false);
    add('Linked to', r.linkedTo?.join('; '));
    addCitation(r.citation);
    add('Also known as', r.aliases.slice(0, 8).join('; '), false);
    if (a.type === 'designation.amended')
      add('Changed', (a.fields ?? []).map((f) => describeFieldChange(f)).join('\n'), false);
  } else if (a.type === 'feed.item') {
    const i = a.item;
    if (alertCategory(a) === 'court') {
      url = httpUrl(i.documentUrl) ?? httpUrl(i.link);
      description = escapeMarkdown([i.caseName ?? i.title, i.summary].filter(Boolean).join('\n'));
      add('Court', i.court?.toUpperCase());
      add('Docket', i.docket);
      add(
        'Entry',
        [i.entryTypes?.join('; '), i.documentNumber ? `document ${i.documentNumber}` : '']
          .filter(Boolean)
          .join(', '),
      );
    } else {
      url = httpUrl(i.link);
      description =
        escapeMarkdown([i.title, i.summary].filter(Boolean).join('\n')) +
        (i.passages ?? []).map((p) => `\n> ${escapeMarkdown(p)}`).join('');
      add('Type', [i.label, i.documentType].filter(Boolean).join(' · '));
      if (i.citation) addCitation(i.citation);
      else add('Document', i.documentNumber);
      add('Agencies', i.agencies?.join('; '));
      add('Effective', i.effectiveOn);
    }
    add('Why', feedReasons(a), false);
  } else if (a.type === 'designation.changeset') {
    url = httpUrl(a.url);
    description = escapeMarkdown(`${a.sourceLabel}: ${alertSubject(a)}`);
    for (const l of a.lists.slice(0, 10))
      add(
        clip(escapeMarkdown(l.list), 256),
        `+${count(l.added)} −${count(l.removed)} ~${count(l.amended)}`,
      );
    add('For example', a.examples.map(describeExample).join('\n'), false);
    add('The rest', changesetNote(a), false);
  } else if (a.type === 'source.health') {
    description = escapeMarkdown(a.reason);
  } else if (a.type === 'review.reminder') {
    // Masked links we build ourselves, to the alerts' messages.
    const lines = a.alerts.map((e) => {
      const url = e.messageId ? messageLink(e.messageId) : null;
      const label = escapeMarkdown(clip(`#${e.id} ${e.headline}: ${e.subject}`, 150));
      return `• ${url ? `[${label}](${url})` : label} · ${e.state} since ${e.deliveredAt.slice(0, 16).replace('T', ' ')} UTC`;
    });
    if (a.open > a.alerts.length) lines.push(`…and ${count(a.open - a.alerts.length)} more`);
    description = `${escapeMarkdown(alertSubject(a))}\n${lines.join('\n')}\nDecide with each alert's buttons; /sanctions review lists them all.`;
  }
  add('Why this channel', reason, false);
  return {
    title: clip(alertHeadline(a), 256),
    ...(url ? { url } : {}),
    ...(description ? { description: clip(description, 4096) } : {}),
    color: COLOURS[alertCategory(a)],
    ...(fields.length ? { fields: fields.slice(0, 25) } : {}),
    // The alert's number, for support ("alert #4711") and for counting what arrived.
    footer: { text: clip(`${a.sourceLabel} · alert #${a.id}`, 2048) },
    timestamp: a.detectedAt,
  };
}

/** A message carries at most ten embeds, and at most 6,000 characters across all of them. */
export const EMBEDS_PER_MESSAGE = 10;
export const CHARS_PER_MESSAGE = 6000;

/** The characters Discord counts toward a message's 6,000: titles, descriptions, fields, footers. */
export function embedSize(e: Omit<Embed, 'timestamp'>): number {
  return (
    e.title.length +
    (e.description?.length ?? 0) +
    (e.footer?.text.length ?? 0) +
    (e.fields ?? []).reduce((n, f) => n + f.name.length + f.value.length, 0)
  );
}

/** One embed within the message limit on its own: long descriptions and fields are cut first. */
export function fitEmbed<E extends Omit<Embed, 'timestamp'>>(e: E, max = CHARS_PER_MESSAGE): E {
  let out = e;
  const over = () => embedSize(out) - max;
  if (over() > 0 && out.description)
    out = {
      ...out,
      description: clip(out.description, Math.max(200, out.description.length - over())),
    };
  while (over() > 0 && out.fields?.length) {
    const fields = [...out.fields];
    const longest = fields.reduce(
      (a, f, i) => (f.value.length > fields[a]!.value.length ? i : a),
      0,
    );
    const f = fields[longest]!;
    fields[longest] = { ...f, value: clip(f.value, Math.max(20, f.value.length - over())) };
    if (fields[longest].value.length === f.value.length) fields.pop();
    out = { ...out, fields };
  }
  return out;
}

/**
 * Embeds packed into messages by count and by measured size, in order. `covers` says how many of
 * the batch's alerts a message details (a digest embed details none).
 */
export function packEmbeds(
  embeds: { embed: Embed; alert: boolean }[],
): { embeds: Embed[]; covers: number }[] {
  const out: { embeds: Embed[]; covers: number; size: number }[] = [];
  for (const { embed, alert } of embeds) {
    const e = fitEmbed(embed);
    const size = embedSize(e);
    const cur = out[out.length - 1];
    if (cur && cur.embeds.length < EMBEDS_PER_MESSAGE && cur.size + size <= CHARS_PER_MESSAGE) {
      cur.embeds.push(e);
      cur.size += size;
      cur.covers += alert ? 1 : 0;
    } else out.push({ embeds: [e], covers: alert ? 1 : 0, size });
  }
  return out.map(({ embeds: es, covers }) => ({ embeds: es, covers }));
}
/** From this many alerts at once, a channel gets one digest embed before the details. */
export const DIGEST_AT = 4;

export function digestEmbed(items: DeliveryItem[]): Embed {
  const lines = items
    .slice(0, 30)
    .map(({ alert }) =>
      clip(
        `• ${escapeMarkdown(alertHeadline(alert))}: ${escapeMarkdown(alertSubject(alert))}`,
        200,
      ),
    );
  if (items.length > 30) lines.push(`…and ${items.length - 30} more`);
  const sources = [...new Set(items.map((i) => i.alert.sourceLabel))].join(', ');
  return {
    title: clip(`${count(changesTold(items.map((i) => i.alert)))} sanctions changes`, 256),
    description: clip(lines.join('\n'), 4096),
    color: 0x1d3557,
    footer: { text: clip(sources, 2048) },
    timestamp: items[items.length - 1]!.alert.detectedAt,
  };
}
