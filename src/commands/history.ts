// `history <name>`: the timeline of one entity across every list (added, amended, removed) and the
// court and agency entries that named it, newest first.
import { changesOf } from '../../db/entities.js';
import { itemsContaining, itemsNaming, type NamingItem } from '../../db/feed-items.js';
import { itemText } from '../feeds/policy.js';
import { captionParties, MentionIndex } from '../feeds/mentions.js';
import { namesOfDesignations } from '../../db/name-index.js';
import { normalizeName } from '../names/normalize.js';
import { queryOf, type ParsedArgs } from './args.js';
import type { CommandContext } from './context.js';
import { groupHits } from './entities.js';
import { asOfClause, listScope, notCurrentSection } from './freshness.js';
import { queryHits } from './identifier-hits.js';
import { usage, type Reply } from './reply.js';

interface HistoryEvent {
  date: string;
  kind: 'listing' | 'change' | 'court' | 'agency';
  text: string;
  url: string | null;
}

/** A stored feed item that named the company, as one line of its history. */
function itemEvent({ item: i, sourceId, firstSeen }: NamingItem): HistoryEvent {
  const court = Boolean(i.docket || i.court || i.caseName);
  const date = (i.publishedAt ?? firstSeen).slice(0, 10);
  if (court) {
    const entry = [
      i.entryTypes?.length ? i.entryTypes.join(' / ') : 'entry',
      i.documentNumber ? `doc ${i.documentNumber}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    return {
      date,
      kind: 'court',
      text: `COURT ${[i.court?.toUpperCase(), i.docket].filter(Boolean).join(' ')} ${i.caseName ?? i.title}: ${entry}`,
      url: i.documentUrl ?? i.link,
    };
  }
  const what = [i.label ?? i.documentType, i.citation].filter(Boolean).join(', ');
  return {
    date,
    kind: 'agency',
    text: `${what ? `${what}: ` : ''}${i.title} (${sourceId})`,
    url: i.link,
  };
}

/**
 * Stored items naming any of a company's names: those recorded as mentions when stored, and
 * those stored before the name was listed or followed, found by text and confirmed as whole-word
 * mentions (a Federal Register notice seen before the list change it announces).
 */
function itemsNamingAny(
  ctx: CommandContext,
  names: { name: string; normalized: string }[],
  listed: boolean,
): NamingItem[] {
  // A listed name is held to the rules of mentions (a one-word alias only as a whole party).
  const index = new MentionIndex(
    names.map((n) => ({
      normalized: n.normalized,
      mention: { name: n.name, key: 'query', list: listed ? 'listed' : null },
    })),
  );
  const byGuid = new Map<string, NamingItem>();
  for (const n of itemsNaming(
    ctx.db,
    names.map((x) => x.normalized),
  ))
    byGuid.set(`${n.sourceId}\u0000${n.item.guid}`, n);
  if (index.size > 0) {
    // The longest word of each name narrows the text search; the index confirms.
    const words = new Set(
      names
        .map((n) => n.normalized.split(' ').sort((a, b) => b.length - a.length)[0]!)
        .filter((w) => w.length >= 4),
    );
    for (const w of [...words].slice(0, 8)) {
      for (const n of itemsContaining(ctx.db, w))
        if (index.find(itemText(n.item), { parties: captionParties(n.item.caseName) }).length)
          byGuid.set(`${n.sourceId}\u0000${n.item.guid}`, n);
    }
  }
  return [...byGuid.values()]
    .sort((a, b) =>
      (b.item.publishedAt ?? b.firstSeen).localeCompare(a.item.publishedAt ?? a.firstSeen),
    )
    .slice(0, 50);
}

export function history(args: ParsedArgs, ctx: CommandContext): Reply {
  const q = queryOf(args);
  if (!q.ok) return usage('history', `Usage: /sanctions history <company name> (${q.error})`);
  const { hits, refused } = queryHits(ctx, q.query);
  if (refused)
    return usage(
      'history',
      `"${q.query}" is too generic or empty; give the company's distinctive name`,
    );
  const [entity, ...others] = groupHits(ctx.db, hits);
  // A history is what was seen up to the last good read of each list.
  const { freshness } = listScope(ctx);
  const asOf = asOfClause(freshness);
  const notCurrent = notCurrentSection(freshness);
  if (!entity) {
    // Never listed, but court or agency entries may have named it (a followed name).
    const items = itemsNamingAny(
      ctx,
      [{ name: q.query, normalized: normalizeName(q.query) }],
      false,
    ).map(itemEvent);
    if (items.length === 0)
      return {
        verb: 'history',
        ok: true,
        visibility: 'private',
        summary: `No history for "${q.query}": it has never been on a tracked list${asOf}, and no stored court or agency entry names it.`,
        sections: notCurrent,
        data: { query: q.query, events: [], asOf: freshness.asOf, notCurrent: freshness.behind },
      };
    return {
      verb: 'history',
      ok: true,
      visibility: 'private',
      summary: `"${q.query}" has never been on a tracked list${asOf}; ${items.length} court or agency entr${items.length === 1 ? 'y names' : 'ies name'} it.`,
      sections: [
        ...notCurrent,
        {
          title: q.query,
          fields: [],
          lines: items.map((e) => `${e.date}  ${e.text}${e.url ? ` ${e.url}` : ''}`),
        },
      ],
      data: {
        query: q.query,
        name: null,
        events: items,
        asOf: freshness.asOf,
        notCurrent: freshness.behind,
      },
    };
  }

  const ids = entity.listings.map((l) => l.id);
  const changes = changesOf(ctx.db, ids, 200);
  const events: HistoryEvent[] = [];
  for (const l of entity.listings) {
    // Entries present in a source's first snapshot predate our records of it.
    if (l.baselineAt && l.firstSeen <= l.baselineAt) {
      const since = l.record.listedOn
        ? `listed ${l.record.listedOn}`
        : `already listed when first polled`;
      events.push({
        date: l.record.listedOn ?? l.firstSeen.slice(0, 10),
        kind: 'listing',
        text: `on ${l.record.list} (${since}${l.record.citation ? `, ${l.record.citation}` : ''})`,
        url: l.record.url,
      });
    }
  }
  for (const c of changes) {
    const verb =
      c.type === 'designation.added'
        ? 'ADDED to'
        : c.type === 'designation.removed'
          ? 'REMOVED from'
          : 'AMENDED on';
    events.push({
      date: c.detectedAt.slice(0, 10),
      kind: 'change',
      text: `${verb} ${c.list}${c.fields.length ? ` (${c.fields.join(', ')})` : ''}${c.citation ? ` — ${c.citation}` : ''}`,
      url: c.url,
    });
  }
  const names = new Map(
    namesOfDesignations(ctx.db, ids).map((n) => [
      n.normalized,
      { name: n.name, normalized: n.normalized },
    ]),
  );
  for (const item of itemsNamingAny(ctx, [...names.values()], true)) events.push(itemEvent(item));
  // Newest first; on one day, list changes before the filings that explain them.
  const order = { change: 0, listing: 1, agency: 2, court: 3 };
  events.sort((a, b) => b.date.localeCompare(a.date) || order[a.kind] - order[b.kind]);
  const name = entity.listings[0]!.record.name;
  const filings = events.filter((e) => e.kind === 'court' || e.kind === 'agency').length;
  return {
    verb: 'history',
    ok: true,
    visibility: 'private',
    summary: `History of ${name}${asOf}: ${events.length - filings} list event${events.length - filings === 1 ? '' : 's'} across ${new Set(entity.listings.map((l) => l.record.list)).size} list(s)${filings ? `, ${filings} court or agency entr${filings === 1 ? 'y' : 'ies'} naming it` : ''}.`,
    sections: [
      ...notCurrent,
      {
        title: name,
        url: entity.listings[0]!.record.url,
        fields: [],
        lines: events.map((e) => `${e.date}  ${e.text}${e.url ? ` ${e.url}` : ''}`),
      },
    ],
    footer: others.length
      ? `Other matches: ${others
          .slice(0, 3)
          .map((g) => g.listings[0]!.record.name)
          .join('; ')}`
      : undefined,
    data: { query: q.query, name, events, asOf: freshness.asOf, notCurrent: freshness.behind },
  };
}
