// `sources`: the health of every configured source, for people and for scripts.
import { pausedChannels, undeliverable } from '../../db/outbox.js';
import { listSources, sourceEtag } from '../../db/source-state.js';
import { latestChanges, sourcesWithEntries, type ChangeRow } from '../../db/entities.js';
import { changeVerb, count, describeCounts } from '../alerts/category.js';
import type { ParsedArgs } from './args.js';
import type { CommandContext } from './context.js';
import { sourceTitle, utcMinute } from './freshness.js';
import { usage, type Reply, type ReplySection } from './reply.js';
import { uncoveredLists } from '../sources/coverage.js';

export interface SourceHealth {
  id: string;
  kind: string;
  label: string | null;
  schedule: string;
  status: string;
  lastPollAt: string | null;
  lastSuccessAt: string | null;
  lastChangeAt: string | null;
  records: number;
  etag: string | null;
  lastError: string | null;
}

export function sourceHealth(ctx: Pick<CommandContext, 'db' | 'sources'>): SourceHealth[] {
  const states = new Map(listSources(ctx.db).map((s) => [s.id, s]));
  return ctx.sources.map((c) => {
    const s = states.get(c.id);
    return {
      id: c.id,
      kind: c.kind,
      label: c.label ?? null,
      schedule: c.schedule,
      status: s?.status ?? 'new',
      lastPollAt: s?.lastPollAt ?? null,
      lastSuccessAt: s?.lastSuccessAt ?? null,
      lastChangeAt: s?.lastChangeAt ?? null,
      records: s?.recordCount ?? 0,
      etag: s ? sourceEtag(ctx.db, c.id) : null,
      lastError: s?.lastError ?? null,
    };
  });
}

/** A source outside the configuration that still holds entries: dropped from it, its entries stay and lookups search them. */
export interface UnconfiguredSource {
  id: string;
  label: string | null;
  configured: false;
  lists: string[];
  records: number;
  lastSuccessAt: string | null;
}

export function unconfiguredSources(
  ctx: Pick<CommandContext, 'db' | 'sources'>,
): UnconfiguredSource[] {
  const configured = new Set(ctx.sources.map((c) => c.id));
  return sourcesWithEntries(ctx.db)
    .filter((s) => !configured.has(s.id))
    .map((s) => ({
      id: s.id,
      label: s.label,
      configured: false,
      lists: s.lists,
      records: s.recordCount,
      lastSuccessAt: s.lastSuccessAt,
    }));
}

const ICON: Record<string, string> = {
  ok: 'ok',
  failing: 'FAILING',
  held: 'HELD',
  new: 'not polled yet',
};

/** Changes a chat answer lists; `--all` (the command line) lists every one. */
const CHAT_CHANGES = 40;

export function sources(args: ParsedArgs, ctx: CommandContext): Reply {
  if (args.positional.length > 1)
    return usage('sources', 'Usage: /sanctions sources [<source id>] (one source at a time)');
  if (args.positional.length === 1)
    return sourceDetail(args.positional[0]!, args.flags.has('all'), ctx);
  const rows = sourceHealth(ctx);
  const bad = rows.filter((r) => r.status === 'failing' || r.status === 'held');
  const paused = pausedChannels(ctx.db);
  const stuck = ctx.platforms ? undeliverable(ctx.db, ctx.platforms) : [];
  const stuckSection = stuck.length
    ? [
        {
          title: 'Undeliverable channels',
          fields: [],
          lines: stuck.map(
            (u) =>
              `${u.channel}: ${u.pending} alert(s) waiting since ${u.since.slice(0, 16).replace('T', ' ')}; its platform is not configured`,
          ),
        },
      ]
    : [];
  const unconfigured = unconfiguredSources(ctx);
  const unconfiguredSection = unconfigured.length
    ? [
        {
          title: 'Not in this configuration, still searched by lookups',
          fields: [],
          lines: unconfigured.map(
            (s) =>
              `${sourceTitle(s.id, s.label)}: ${count(s.records)} entries on ${s.lists.join(', ')}, as of ${s.lastSuccessAt ? utcMinute(s.lastSuccessAt) : 'never'}`,
          ),
        },
      ]
    : [];
  const uncovered = uncoveredLists(ctx.sources);
  const uncoveredSection = uncovered.length
    ? [
        {
          title: 'Not covered by these sources',
          fields: [],
          lines: uncovered.map((u) => `${u.list}: ${u.why}; to cover it, ${u.optIn}`),
        },
      ]
    : [];
  const pausedSection = paused.length
    ? [
        {
          title: 'Paused channels',
          fields: [],
          lines: paused.map(
            (p) => `${p.channel} since ${p.at.slice(0, 16).replace('T', ' ')}: ${p.reason}`,
          ),
        },
      ]
    : [];
  return {
    verb: 'sources',
    ok: true,
    visibility: 'private',
    summary: `${bad.length ? `${bad.length} of ${rows.length} sources need attention.` : rows.length === 1 ? 'The one source is healthy.' : `All ${rows.length} sources are healthy.`}${unconfigured.length ? ` ${unconfigured.length} source(s) not in this configuration still hold entries.` : ''}${paused.length ? ` ${paused.length} channel(s) paused.` : ''}${stuck.length ? ` ${stuck.length} channel(s) undeliverable.` : ''}`,
    data: {
      sources: rows,
      unconfigured,
      pausedChannels: paused,
      undeliverable: stuck,
      notCovered: uncovered,
    },
    sections: [
      ...stuckSection,
      ...pausedSection,
      ...rows.map(healthSection),
      ...unconfiguredSection,
      ...uncoveredSection,
    ],
  };
}

function healthSection(r: SourceHealth): ReplySection {
  return {
    title: `${r.label ?? r.id} (${r.id})`,
    fields: [
      { label: 'Status', value: ICON[r.status] ?? r.status },
      { label: 'Records', value: count(r.records) },
      { label: 'Last success', value: r.lastSuccessAt?.slice(0, 16).replace('T', ' ') ?? 'never' },
      ...(r.lastError ? [{ label: 'Last error', value: r.lastError }] : []),
    ],
    lines: [],
  };
}

/** One change as a line: "added: NAME (SDN, key 12345)", "amended: NAME (SDN, key 1): remarks". */
function changeLine(c: ChangeRow): string {
  return `${changeVerb(c.type)}: ${c.name} (${c.list}, key ${c.key})${c.fields.length ? `: ${c.fields.join(', ')}` : ''}`;
}

/** One source's health and the changes of its latest poll that changed anything. */
function sourceDetail(id: string, all: boolean, ctx: CommandContext): Reply {
  const row = sourceHealth(ctx).find((r) => r.id === id);
  if (!row) {
    const ids = ctx.sources.map((s) => s.id);
    return usage(
      'sources',
      `No source "${id.slice(0, 60)}". Sources: ${ids.slice(0, 20).join(', ')}${ids.length > 20 ? ', ...' : ''}`,
    );
  }
  const latest = latestChanges(ctx.db, id, all ? Number.MAX_SAFE_INTEGER : CHAT_CHANGES);
  const when = latest.at?.slice(0, 16).replace('T', ' ');
  const changed = latest.total
    ? `Its latest change, ${when} UTC: ${count(latest.total)} (${describeCounts(latest.counts)}).`
    : latest.at
      ? `No list change in its history (its latest news: ${when} UTC).`
      : 'No change seen yet.';
  const more = latest.total - latest.rows.length;
  return {
    verb: 'sources',
    ok: true,
    visibility: 'private',
    summary: `${row.label ?? row.id} (${row.id}): ${ICON[row.status] ?? row.status}, ${count(row.records)} records. ${changed}`,
    data: {
      source: row,
      latestChanges: {
        at: latest.at,
        total: latest.total,
        counts: latest.counts,
        changes: latest.rows,
      },
    },
    sections: [
      healthSection(row),
      ...(latest.rows.length
        ? [{ title: `Changes of ${when} UTC`, fields: [], lines: latest.rows.map(changeLine) }]
        : []),
    ],
    ...(more > 0
      ? {
          footer: `…and ${count(more)} more; \`sanctions-radar sources ${id}\` on the command line lists every one, and \`history <name>\` shows an entity's.`,
        }
      : {}),
  };
}
