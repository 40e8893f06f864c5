// `history <name>`: the timeline of one entity across every list: added, amended, removed.
import { changesOf } from '../../db/entities.js';
import { queryOf, type ParsedArgs } from './args.js';
import type { CommandContext } from './context.js';
import { groupHits } from './entities.js';
import { usage, type Reply } from './reply.js';

export function history(args: ParsedArgs, ctx: CommandContext): Reply {
  const q = queryOf(args);
  if (!q.ok) return usage('history', `Usage: /sanctions history <company name> (${q.error})`);
  const m = ctx.matcher.match(q.query);
  if (!m.ok) return usage('history', `"${q.query}" is too generic or empty; give the company's distinctive name`);
  const [entity, ...others] = groupHits(ctx.db, m.hits);
  if (!entity) return { verb: 'history', ok: true, visibility: 'private', summary: `No history for "${q.query}": it has never been on a tracked list.`, sections: [], data: { query: q.query, events: [] } };

  const changes = changesOf(ctx.db, entity.listings.map((l) => l.id), 200).reverse();
  const events: { date: string; text: string; url: string | null }[] = [];
  for (const l of entity.listings) {
    // Entries present in a source's first snapshot predate our records of it.
    if (l.baselineAt && l.firstSeen <= l.baselineAt) {
      const since = l.record.listedOn ? `listed ${l.record.listedOn}` : `already listed when first polled`;
      events.push({ date: l.record.listedOn ?? l.firstSeen.slice(0, 10), text: `on ${l.record.list} (${since}${l.record.citation ? `, ${l.record.citation}` : ''})`, url: l.record.url });
    }
  }
  for (const c of changes) {
    const verb = c.type === 'designation.added' ? 'ADDED to' : c.type === 'designation.removed' ? 'REMOVED from' : 'AMENDED on';
    events.push({ date: c.detectedAt.slice(0, 10), text: `${verb} ${c.list}${c.fields.length ? ` (${c.fields.join(', ')})` : ''}${c.citation ? ` — ${c.citation}` : ''}`, url: c.url });
  }
  events.sort((a, b) => a.date.localeCompare(b.date));
  const name = entity.listings[0]!.record.name;
  return {
    verb: 'history', ok: true, visibility: 'private',
    summary: `History of ${name}: ${events.length} event${events.length === 1 ? '' : 's'} across ${new Set(entity.listings.map((l) => l.record.list)).size} list(s).`,
    sections: [{ title: name, url: entity.listings[0]!.record.url, fields: [], lines: events.map((e) => `${e.date}  ${e.text}${e.url ? ` ${e.url}` : ''}`) }],
    footer: others.length ? `Other matches: ${others.slice(0, 3).map((g) => g.listings[0]!.record.name).join('; ')}` : undefined,
    data: { query: q.query, name, events },
  };
}
