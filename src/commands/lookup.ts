// `lookup <name>`: where a company stands on every tracked list, now and in the past.
import { changesByDesignation, type ChangeRow, type DesignationRow } from '../../db/entities.js';
import type { HitReason, NameHit } from '../names/matcher.js';
import { queryOf, type ParsedArgs } from './args.js';
import type { CommandContext } from './context.js';
import { groupHits, type EntityGroup } from './entities.js';
import { queryHits } from './identifier-hits.js';
import { asOfClause, listScope, notCurrentSection } from './freshness.js';
import { usage, type Reply, type ReplySection } from './reply.js';

const day = (iso: string | null | undefined) => (iso ? iso.slice(0, 10) : null);

export function describeListing(l: DesignationRow): string {
  const r = l.record;
  const parts = [r.list];
  if (l.removedAt) parts.push(`removed ${day(l.removedAt)}`);
  else if (r.listedOn) parts.push(`listed ${r.listedOn}`);
  else if (l.baselineAt && l.firstSeen > l.baselineAt) parts.push(`added ${day(l.firstSeen)}`);
  if (r.programs.length) parts.push(r.programs.join(', '));
  if (r.citation) parts.push(r.citation);
  return parts.join(' · ');
}

/**
 * One line per list: the same listing often arrives through two sources (NS-CMIC in OFAC's file
 * and in the CSL), and the reader wants the list, not our plumbing.
 */
export function byList(listings: DesignationRow[]): { row: DesignationRow; sources: number }[] {
  const out = new Map<string, { row: DesignationRow; sources: number }>();
  for (const l of listings) {
    const prior = out.get(l.record.list);
    if (!prior) out.set(l.record.list, { row: l, sources: 1 });
    else {
      prior.sources++;
      const better =
        (!l.removedAt && prior.row.removedAt) ||
        (!!l.removedAt === !!prior.row.removedAt &&
          !prior.row.record.listedOn &&
          l.record.listedOn);
      if (better) prior.row = l;
    }
  }
  return [...out.values()];
}

const WHY: Record<HitReason, string> = {
  identifier: 'identifier',
  exact: 'exact name',
  alias: 'exact alias',
  acronym: 'acronym',
  spacing: 'same name, other spacing',
  typo: 'one typo per word',
  reordered: 'same words, other order',
  contains: 'the name with generic words more',
  subsidiary: 'the name inside a longer one',
  similar: 'similar name',
};

/** Why an entity matched, in words: what matched, how, and the score. */
export function matchedVia(hit: NameHit): string {
  return `${hit.name}${hit.isAlias ? ' (alias)' : ''} — ${WHY[hit.reason]}, score ${hit.score.toFixed(2)}`;
}

const hitJson = (h: NameHit) => ({
  name: h.name,
  alias: h.isAlias,
  exact: h.exact,
  reason: h.reason,
  why: WHY[h.reason],
  score: Math.round(h.score * 1000) / 1000,
});

export function entityJson(g: EntityGroup, changes: ChangeRow[]) {
  return {
    name: g.listings[0]!.record.name,
    score: Math.round(g.best.score * 1000) / 1000,
    matched: hitJson(g.best),
    listings: g.listings.map((l) => ({
      list: l.record.list,
      source: l.sourceId,
      key: l.record.key,
      name: l.record.name,
      aliases: l.record.aliases,
      programs: l.record.programs,
      listedOn: l.record.listedOn,
      citation: l.record.citation,
      url: l.record.url,
      current: !l.removedAt,
      removedAt: l.removedAt,
    })),
    lastChanges: changes.map((c) => ({
      type: c.type,
      list: c.list,
      detectedAt: c.detectedAt,
      fields: c.fields,
    })),
  };
}

/** The closest names when none matches: never a bare "not listed" while near names exist. */
function nearMissesOf(ctx: CommandContext, hits: NameHit[], max: number) {
  const groups = groupHits(ctx.db, hits, max).slice(0, max);
  return groups.map((g) => ({
    name: g.listings[0]?.record.name ?? g.best.name,
    lists: [...new Set(g.listings.filter((l) => !l.removedAt).map((l) => l.record.list))],
    matched: hitJson(g.best),
  }));
}

export function lookup(args: ParsedArgs, ctx: CommandContext): Reply {
  const q = queryOf(args);
  if (!q.ok)
    return usage('lookup', `Usage: /sanctions lookup <company name | identifier> (${q.error})`);
  const { lists, polled, freshness } = listScope(ctx);
  // Not an answer: "not on any of the 0 tracked lists" read as clear by whoever checks only for success.
  if (lists.length === 0 && !polled)
    return usage(
      'lookup',
      `No list has been polled yet, so "${q.query}" cannot be looked up: run a poll first (sanctions-radar poll, or start).`,
    );
  const { hits, match: m, refused } = queryHits(ctx, q.query);
  if (refused && !m.ok) {
    return usage(
      'lookup',
      m.reason === 'generic'
        ? `"${q.query}" is too generic to look up on its own; add the company's distinctive name (e.g. "China Mobile", not "China")`
        : `Usage: /sanctions lookup <company name | identifier> ("${q.query}" has no name to match: only legal forms such as Co., Ltd. or JSC, or punctuation)`,
    );
  }
  const max = ctx.maxResults ?? 5;
  const groups = groupHits(ctx.db, hits, max);
  const scope = `${lists.length} tracked list${lists.length === 1 ? '' : 's'}${asOfClause(freshness)}`;
  const notCurrent = notCurrentSection(freshness);
  const { asOf, behind } = freshness;
  if (groups.length === 0) {
    const near = m.ok ? nearMissesOf(ctx, m.nearMisses, max) : [];
    return {
      verb: 'lookup',
      ok: true,
      visibility: 'private',
      summary: near.length
        ? `"${q.query}" is not on any of the ${scope}. Not listed, closest names:`
        : `"${q.query}" is not on any of the ${scope}.`,
      sections: [
        ...notCurrent,
        ...(near.length
          ? [
              {
                title: 'Closest names (below the match threshold: check them)',
                fields: [],
                lines: near.map(
                  (n) =>
                    `${n.name}${n.lists.length ? ` (${n.lists.join(', ')})` : ' (removed)'} — ${n.matched.why}, score ${n.matched.score.toFixed(2)}`,
                ),
              },
            ]
          : []),
      ],
      footer: lists.length ? `Lists: ${lists.join(', ')}` : 'No tracked list has current entries.',
      data: {
        query: q.query,
        results: [],
        nearMisses: near,
        trackedLists: lists,
        asOf,
        notCurrent: behind,
      },
    };
  }
  const shown = groups.slice(0, max);
  // One query for the changes of every listing shown, not one per entity.
  const byDesignation = changesByDesignation(
    ctx.db,
    shown.flatMap((g) => g.listings.map((l) => l.id)),
    5,
  );
  const changesByGroup = shown.map((g) =>
    g.listings
      .flatMap((l) => byDesignation.get(l.id) ?? [])
      .sort((a, b) => b.detectedAt.localeCompare(a.detectedAt) || b.id - a.id)
      .slice(0, 5),
  );
  const sections: ReplySection[] = shown.map((g, i) => {
    const current = g.listings.filter((l) => !l.removedAt);
    const removed = g.listings.filter((l) => l.removedAt);
    const fields = [{ label: 'Matched', value: matchedVia(g.best) }];
    const currentLists = new Set(current.map((l) => l.record.list));
    const line = (x: { row: DesignationRow; sources: number }) =>
      `${describeListing(x.row)}${x.sources > 1 ? ` (${x.sources} sources)` : ''}`;
    fields.push({
      label: 'On now',
      value: current.length ? byList(current).map(line).join('\n') : 'none',
    });
    // A list the company left and is back on is "on now", not "removed".
    const gone = byList(removed.filter((l) => !currentLists.has(l.record.list)));
    if (gone.length) fields.push({ label: 'Removed from', value: gone.map(line).join('\n') });
    const links = [...new Set(g.listings.map((l) => l.record.url).filter((u): u is string => !!u))];
    if (links.length) fields.push({ label: 'Sources', value: links.join('\n') });
    return {
      title: g.listings[0]!.record.name,
      url: links[0] ?? null,
      fields,
      lines: changesByGroup[i]!.slice(0, 3).map(
        (c) =>
          `${day(c.detectedAt)} ${c.type.replace('designation.', '')} on ${c.list}${c.fields.length ? ` (${c.fields.join(', ')})` : ''}`,
      ),
    };
  });
  const more = groups.length - shown.length;
  const onNow = shown.filter((g) => g.listings.some((l) => !l.removedAt)).length;
  return {
    verb: 'lookup',
    ok: true,
    visibility: 'private',
    summary: `${groups.length} match${groups.length === 1 ? '' : 'es'} for "${q.query}" across the ${scope}; ${onNow} of those shown listed now.`,
    sections: [...notCurrent, ...sections],
    footer: more > 0 ? `and ${more} more` : undefined,
    data: {
      query: q.query,
      results: shown.map((g, i) => entityJson(g, changesByGroup[i]!)),
      nearMisses: [],
      more,
      trackedLists: lists,
      asOf,
      notCurrent: behind,
    },
  };
}
