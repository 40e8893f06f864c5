// `lookup <name>`: where a company stands on every tracked list, now and in the past.
import { changesOf, lastListUpdate, trackedLists, type DesignationRow } from '../../db/entities.js';
import { queryOf, type ParsedArgs } from './args.js';
import type { CommandContext } from './context.js';
import { groupHits, type EntityGroup } from './entities.js';
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
      const better = (!l.removedAt && prior.row.removedAt) || (!!l.removedAt === !!prior.row.removedAt && !prior.row.record.listedOn && l.record.listedOn);
      if (better) prior.row = l;
    }
  }
  return [...out.values()];
}

function matchedVia(g: EntityGroup): string {
  const how = g.best.exact ? 'exact' : `similarity ${g.best.score.toFixed(2)}`;
  return `${g.best.name}${g.best.isAlias ? ' (alias)' : ''} — ${how}`;
}

export function entityJson(g: EntityGroup, ctx: CommandContext) {
  const changes = changesOf(ctx.db, g.listings.map((l) => l.id), 5);
  return {
    name: g.listings[0]!.record.name,
    matched: { name: g.best.name, alias: g.best.isAlias, exact: g.best.exact, score: Math.round(g.best.score * 1000) / 1000 },
    listings: g.listings.map((l) => ({
      list: l.record.list, source: l.sourceId, key: l.record.key, name: l.record.name, aliases: l.record.aliases, programs: l.record.programs,
      listedOn: l.record.listedOn, citation: l.record.citation, url: l.record.url, current: !l.removedAt, removedAt: l.removedAt,
    })),
    lastChanges: changes.map((c) => ({ type: c.type, list: c.list, detectedAt: c.detectedAt, fields: c.fields })),
  };
}

export function lookup(args: ParsedArgs, ctx: CommandContext): Reply {
  const q = queryOf(args);
  if (!q.ok) return usage('lookup', `Usage: /sanctions lookup <company name> (${q.error})`);
  const m = ctx.matcher.match(q.query);
  if (!m.ok) {
    return usage('lookup', m.reason === 'generic'
      ? `"${q.query}" is too generic to look up on its own; add the company's distinctive name (e.g. "China Mobile", not "China")`
      : `Usage: /sanctions lookup <company name> ("${q.query}" has no letters or digits to match)`);
  }
  const groups = groupHits(ctx.db, m.hits);
  const lists = trackedLists(ctx.db);
  const asOf = lastListUpdate(ctx.db);
  const scope = `${lists.length} tracked list${lists.length === 1 ? '' : 's'}${asOf ? ` (as of ${asOf.slice(0, 16).replace('T', ' ')} UTC)` : ''}`;
  if (groups.length === 0) {
    return {
      verb: 'lookup', ok: true, visibility: 'private',
      summary: `"${q.query}" is not on any of the ${scope}.`,
      sections: [], footer: lists.length ? `Lists: ${lists.join(', ')}` : 'No list has been polled yet: run a poll first.',
      data: { query: q.query, results: [], trackedLists: lists, asOf },
    };
  }
  const max = ctx.maxResults ?? 5;
  const shown = groups.slice(0, max);
  const sections: ReplySection[] = shown.map((g) => {
    const current = g.listings.filter((l) => !l.removedAt);
    const removed = g.listings.filter((l) => l.removedAt);
    const changes = changesOf(ctx.db, g.listings.map((l) => l.id), 3);
    const fields = [{ label: 'Matched', value: matchedVia(g) }];
    const currentLists = new Set(current.map((l) => l.record.list));
    const line = (x: { row: DesignationRow; sources: number }) => `${describeListing(x.row)}${x.sources > 1 ? ` (${x.sources} sources)` : ''}`;
    fields.push({ label: 'On now', value: current.length ? byList(current).map(line).join('\n') : 'none' });
    // A list the company left and is back on is "on now", not "removed".
    const gone = byList(removed.filter((l) => !currentLists.has(l.record.list)));
    if (gone.length) fields.push({ label: 'Removed from', value: gone.map(line).join('\n') });
    const links = [...new Set(g.listings.map((l) => l.record.url).filter((u): u is string => !!u))];
    if (links.length) fields.push({ label: 'Sources', value: links.join('\n') });
    return {
      title: g.listings[0]!.record.name,
      url: links[0] ?? null,
      fields,
      lines: changes.map((c) => `${day(c.detectedAt)} ${c.type.replace('designation.', '')} on ${c.list}${c.fields.length ? ` (${c.fields.join(', ')})` : ''}`),
    };
  });
  const more = groups.length - shown.length;
  const onNow = shown.filter((g) => g.listings.some((l) => !l.removedAt)).length;
  return {
    verb: 'lookup', ok: true, visibility: 'private',
    summary: `${groups.length} match${groups.length === 1 ? '' : 'es'} for "${q.query}" across the ${scope}; ${onNow} of those shown listed now.`,
    sections,
    footer: more > 0 ? `and ${more} more` : undefined,
    data: { query: q.query, results: shown.map((g) => entityJson(g, ctx)), more, trackedLists: lists, asOf },
  };
}
