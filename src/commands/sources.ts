// `sources`: the health of every configured source, for people and for scripts.
import { pausedChannels, undeliverable } from '../../db/outbox.js';
import { listSources, sourceEtag } from '../../db/source-state.js';
import type { CommandContext } from './context.js';
import type { Reply } from './reply.js';

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
      id: c.id, kind: c.kind, label: c.label ?? null, schedule: c.schedule, status: s?.status ?? 'new',
      lastPollAt: s?.lastPollAt ?? null, lastSuccessAt: s?.lastSuccessAt ?? null, lastChangeAt: s?.lastChangeAt ?? null,
      records: s?.recordCount ?? 0, etag: s ? sourceEtag(ctx.db, c.id) : null, lastError: s?.lastError ?? null,
    };
  });
}

const ICON: Record<string, string> = { ok: 'ok', failing: 'FAILING', held: 'HELD', new: 'not polled yet' };

export function sources(ctx: CommandContext): Reply {
  const rows = sourceHealth(ctx);
  const bad = rows.filter((r) => r.status === 'failing' || r.status === 'held');
  const paused = pausedChannels(ctx.db);
  const stuck = ctx.platforms ? undeliverable(ctx.db, ctx.platforms) : [];
  const stuckSection = stuck.length
    ? [{ title: 'Undeliverable channels', fields: [], lines: stuck.map((u) => `${u.channel}: ${u.pending} alert(s) waiting since ${u.since.slice(0, 16).replace('T', ' ')}; its platform is not configured`) }]
    : [];
  const pausedSection = paused.length
    ? [{ title: 'Paused channels', fields: [], lines: paused.map((p) => `${p.channel} since ${p.at.slice(0, 16).replace('T', ' ')}: ${p.reason}`) }]
    : [];
  return {
    verb: 'sources', ok: true, visibility: 'private',
    summary: `${bad.length ? `${bad.length} of ${rows.length} sources need attention.` : `All ${rows.length} sources are healthy.`}${paused.length ? ` ${paused.length} channel(s) paused.` : ''}${stuck.length ? ` ${stuck.length} channel(s) undeliverable.` : ''}`,
    data: { sources: rows, pausedChannels: paused, undeliverable: stuck },
    sections: [...stuckSection, ...pausedSection, ...rows.map((r) => ({
      title: `${r.label ?? r.id} (${r.id})`,
      fields: [
        { label: 'Status', value: ICON[r.status] ?? r.status },
        { label: 'Records', value: String(r.records) },
        { label: 'Last success', value: r.lastSuccessAt?.slice(0, 16).replace('T', ' ') ?? 'never' },
        ...(r.lastError ? [{ label: 'Last error', value: r.lastError }] : []),
      ],
      lines: [],
    }))],
  };
}
