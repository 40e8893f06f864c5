// Alerts as Adaptive Cards for a Teams Workflows webhook: the same facts and links as Slack's
// messages, one card per alert, a digest as one card with a table. Teams takes a message of 28 KB
// at most: each card is measured, and its longest texts are cut first. Pure.
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
  isReviewable,
} from '../../src/alerts/category.js';
import { bindingDates, describeIdentifiers } from '../../src/alerts/binding.js';
import { describeFieldChange } from '../../src/alerts/format-text.js';
import type { DeliveryItem } from '../../src/delivery/adapter.js';
import { cleanText } from '../../src/text/clean.js';
import { clip, httpUrl } from '../../src/text/limits.js';

/** What the Workflows trigger takes: a message whose attachment is the card. */
export interface TeamsMessage {
  type: 'message';
  attachments: {
    contentType: 'application/vnd.microsoft.card.adaptive';
    contentUrl: null;
    content: AdaptiveCard;
  }[];
}

interface AdaptiveCard {
  $schema: string;
  type: 'AdaptiveCard';
  version: '1.5';
  body: Element[];
  actions?: { type: 'Action.OpenUrl'; title: string; url: string }[];
  msteams: { width: 'Full' };
}

type Element =
  | {
      type: 'TextBlock';
      text: string;
      wrap: true;
      weight?: 'Bolder';
      size?: 'Medium';
      isSubtle?: true;
      spacing?: 'None' | 'Small';
    }
  | { type: 'FactSet'; facts: { title: string; value: string }[] }
  | {
      type: 'Table';
      columns: { width: number }[];
      firstRowAsHeaders: true;
      rows: { type: 'TableRow'; cells: { type: 'TableCell'; items: Element[] }[] }[];
    };

/** Teams refuses a message over 28 KB. */
export const MAX_BYTES = 28 * 1024;

const COLOUR: Record<ReturnType<typeof alertCategory>, string> = {
  added: '🚨',
  removed: '✅',
  amended: '✏️',
  changeset: '🗂️',
  court: '🏛️',
  agency: '📄',
  health: '⚠️',
  recovered: '🟢',
  reminder: '⏰',
};

/**
 * Card text renders a markdown subset: what lists and feeds say shows as written, and cannot link
 * or format. Emphasis and link brackets are escaped anywhere, a heading, list or quote mark only
 * where it starts a line (a date's dashes stay as they are).
 */
export function escapeCardText(text: string): string {
  return cleanText(text)
    .replace(/([\\*_~`[\]])/g, '\\$1')
    .replace(/^(\s*)([#>+-]|\d+\.)/gm, '$1\\$2');
}

/** A link we build ourselves, only to an http(s) URL. */
const link = (url: string | null | undefined, label: string) =>
  httpUrl(url)
    ? `[${escapeCardText(label)}](${url!.replace(/[()\s]/g, encodeURIComponent)})`
    : escapeCardText(label);

const text = (
  t: string,
  extra: Partial<Extract<Element, { type: 'TextBlock' }>> = {},
): Element => ({ type: 'TextBlock', text: t, wrap: true, ...extra });

function facts(pairs: [string, string | null | undefined][]): Element | null {
  const kept = pairs
    .filter((p): p is [string, string] => Boolean(p[1]))
    .map(([title, value]) => ({ title, value: escapeCardText(value) }));
  return kept.length ? { type: 'FactSet', facts: kept } : null;
}

function card(body: (Element | null)[], url?: string | null): TeamsMessage {
  const content: AdaptiveCard = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.5',
    body: body.filter((e): e is Element => e !== null),
    msteams: { width: 'Full' },
    ...(httpUrl(url)
      ? {
          actions: [
            { type: 'Action.OpenUrl' as const, title: 'Open the source document', url: url! },
          ],
        }
      : {}),
  };
  return fit({
    type: 'message',
    attachments: [
      { contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content },
    ],
  });
}

export function alertCard({ alert: a, reason }: DeliveryItem): TeamsMessage {
  const head = text(`${COLOUR[alertCategory(a)]} **${escapeCardText(alertHeadline(a))}**`, {
    size: 'Medium',
  });
  const context = text(
    escapeCardText(
      [a.sourceLabel, `detected ${a.detectedAt.slice(0, 16).replace('T', ' ')} UTC`, reason ?? '']
        .filter(Boolean)
        .join(' · '),
    ),
    { isSubtle: true, spacing: 'Small' },
  );
  const url = alertUrl(a);
  switch (a.type) {
    case 'designation.added':
    case 'designation.removed':
    case 'designation.amended': {
      const r = a.record;
      return card(
        [
          head,
          text(`**${link(r.url, r.name)}**`, { spacing: 'None' }),
          facts([
            ['List', a.list],
            ['Programs', r.programs.join(', ')],
            ['Listed on', r.listedOn],
            ['Binds investors', bindingDates(r)],
            ['Identifiers', describeIdentifiers(r.identifiers)],
            ['Linked to', r.linkedTo?.join('; ')],
            ['Federal Register', r.citation],
            [
              'Also known as',
              r.aliases.slice(0, 8).join('; ') +
                (r.aliases.length > 8 ? `; +${r.aliases.length - 8} more` : ''),
            ],
            ['Type', r.type],
          ]),
          a.type === 'designation.amended' && a.fields?.length
            ? text(
                `**Changed**\n\n${a.fields.map((f) => `- ${escapeCardText(describeFieldChange(f))}`).join('\n')}`,
              )
            : null,
          context,
        ],
        url,
      );
    }
    case 'feed.item': {
      const i = a.item;
      const court = alertCategory(a) === 'court';
      return card(
        [
          head,
          text(
            `**${link(court ? (i.documentUrl ?? i.link) : i.link, court && i.caseName ? i.caseName : i.title)}**`,
            { spacing: 'None' },
          ),
          // A court entry's summary that only repeats its entry types says nothing more.
          i.summary && i.summary !== (i.entryTypes ?? []).map((t) => `[${t}]`).join(' ')
            ? text(escapeCardText(i.summary))
            : null,
          i.passages?.length
            ? text(i.passages.map((p) => `> ${escapeCardText(p)}`).join('\n\n'))
            : null,
          facts(
            court
              ? [
                  ['Court', i.court?.toUpperCase()],
                  ['Docket', i.docket],
                  [
                    'Entry',
                    [
                      i.entryTypes?.join('; '),
                      i.documentNumber ? `document ${i.documentNumber}` : '',
                    ]
                      .filter(Boolean)
                      .join(', '),
                  ],
                  ['Why', feedReasons(a)],
                ]
              : [
                  ['Type', [i.label, i.documentType].filter(Boolean).join(' · ')],
                  ['Federal Register', i.citation ?? i.documentNumber],
                  ['Agencies', i.agencies?.join('; ')],
                  ['Effective', i.effectiveOn],
                  ['Why', feedReasons(a)],
                  [
                    'Published',
                    i.publishedAt ? `${i.publishedAt.slice(0, 16).replace('T', ' ')} UTC` : null,
                  ],
                ],
          ),
          context,
        ],
        url,
      );
    }
    case 'designation.changeset':
      return card(
        [
          head,
          text(`**${link(a.url, a.sourceLabel)}**: ${escapeCardText(alertSubject(a))}`, {
            spacing: 'None',
          }),
          facts(
            a.lists
              .slice(0, 10)
              .map((l) => [
                l.list,
                `+${count(l.added)}  −${count(l.removed)}  ~${count(l.amended)}`,
              ]),
          ),
          a.examples.length
            ? text(
                `**For example**\n\n${a.examples.map((e) => `- ${escapeCardText(describeExample(e))}`).join('\n')}`,
              )
            : null,
          text(escapeCardText(changesetNote(a)), { isSubtle: true }),
          context,
        ],
        url,
      );
    case 'source.health':
      return card([head, text(escapeCardText(a.reason)), context]);
    case 'changeset.file':
      // Not routed to Teams (a workflow takes no files); said in words if it ever is.
      return card([
        head,
        text(
          escapeCardText(
            `${a.rows} changes: "sanctions-radar sources ${a.source}" lists them all.`,
          ),
        ),
        context,
      ]);
    case 'review.reminder':
      return card([
        head,
        text(escapeCardText(alertSubject(a))),
        text(
          a.alerts
            .map(
              (e) =>
                `- #${e.id} ${escapeCardText(`${e.headline}: ${e.subject}`)} · ${escapeCardText(e.state)} since ${e.deliveredAt.slice(0, 16).replace('T', ' ')} UTC`,
            )
            .join('\n') +
            (a.open > a.alerts.length ? `\n- …and ${count(a.open - a.alerts.length)} more` : ''),
        ),
        text(
          'Decide in Slack or Discord, or with `sanctions-radar review`: Teams cards carry no buttons that reach the bot.',
          { isSubtle: true },
        ),
        context,
      ]);
  }
}

/** Several alerts at once: one card, a row per alert (Teams has no threads to put details in). */
export function digestCard(items: DeliveryItem[]): TeamsMessage {
  const sources = [...new Set(items.map((i) => i.alert.sourceLabel))].join(', ');
  const told = changesTold(items.map((i) => i.alert));
  const cell = (t: string): { type: 'TableCell'; items: Element[] } => ({
    type: 'TableCell',
    items: [text(t)],
  });
  const rows = items.map(({ alert: a, reason }) => ({
    type: 'TableRow' as const,
    cells: [
      cell(`${COLOUR[alertCategory(a)]} ${escapeCardText(alertHeadline(a))}`),
      cell(link(alertUrl(a), alertSubject(a))),
      cell(escapeCardText(reason ?? (isReviewable(a) ? '' : a.sourceLabel))),
    ],
  }));
  const header = {
    type: 'TableRow' as const,
    cells: [cell('**Change**'), cell('**What**'), cell('**Why this channel**')],
  };
  return card([
    text(`**${count(told)} changes** from ${escapeCardText(sources)}`, { size: 'Medium' }),
    {
      type: 'Table',
      columns: [{ width: 2 }, { width: 3 }, { width: 2 }],
      firstRowAsHeaders: true,
      rows: [header, ...rows],
    },
  ]);
}

export const byteSize = (m: TeamsMessage) => Buffer.byteLength(JSON.stringify(m));

/**
 * The message within Teams' 28 KB: the longest text is cut by what is over (never below 60
 * characters), again until it fits; a table that still does not fit loses its last rows.
 */
export function fit(m: TeamsMessage, max = MAX_BYTES): TeamsMessage {
  const cardOf = () => m.attachments[0]!.content;
  const texts = (): { get(): string; set(v: string): void }[] => {
    const out: { get(): string; set(v: string): void }[] = [];
    const visit = (e: Element) => {
      if (e.type === 'TextBlock') out.push({ get: () => e.text, set: (v) => (e.text = v) });
      else if (e.type === 'FactSet')
        for (const f of e.facts) out.push({ get: () => f.value, set: (v) => (f.value = v) });
      else for (const r of e.rows) for (const c of r.cells) c.items.forEach(visit);
    };
    cardOf().body.forEach(visit);
    return out;
  };
  for (let over = byteSize(m) - max; over > 0; over = byteSize(m) - max) {
    const longest = texts().reduce((a, t) => (t.get().length > a.get().length ? t : a));
    const now = longest.get();
    if (now.length > 60) {
      longest.set(clip(now, Math.max(60, now.length - over - 1)));
      continue;
    }
    const table = cardOf().body.find(
      (e): e is Extract<Element, { type: 'Table' }> => e.type === 'Table',
    );
    if (!table || table.rows.length <= 2) break;
    table.rows.splice(table.rows.length - 1, 1);
  }
  return m;
}
