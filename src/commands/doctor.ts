// `/sanctions doctor`: what the daemon knows of its own health, in the 3 seconds a chat command
// has: the database's disk, each configured source's last poll, the platforms that cannot
// connect, channels paused or losing alerts. The checks that need the network (tokens, scopes,
// each source answering now) are `sanctions-radar doctor` on the host.
import { deadLetters, pausedChannels } from '../../db/outbox.js';
import { listSources } from '../../db/source-state.js';
import type { DoctorCheck } from '../doctor/check.js';
import { checkLine, diskCheck } from '../doctor/checks.js';
import type { CommandContext } from './context.js';
import type { Reply } from './reply.js';

export function doctorHere(ctx: CommandContext): Reply {
  const checks: DoctorCheck[] = [];
  const disk = ctx.dbPath ? diskCheck(ctx.dbPath) : null;
  if (disk) checks.push(disk);
  const configured = new Set(ctx.sources.map((s) => s.id));
  for (const s of listSources(ctx.db).filter((x) => configured.has(x.id))) {
    const bad = s.status === 'failing' || s.status === 'held';
    checks.push(
      bad
        ? {
            check: `source ${s.id}`,
            ok: false,
            detail: `${s.status}: ${s.lastError ?? s.heldReason ?? 'no reason kept'}`,
            fix:
              s.status === 'held'
                ? `sanctions-radar sources accept ${s.id}, once the smaller list is checked`
                : 'sanctions-radar doctor on the host checks the address and the network',
          }
        : {
            check: `source ${s.id}`,
            ok: true,
            detail: s.lastSuccessAt
              ? `last read ${s.lastSuccessAt.slice(0, 16).replace('T', ' ')} UTC`
              : 'not read yet',
          },
    );
  }
  for (const [platform, reason] of ctx.platformProblems ?? [])
    checks.push({
      check: platform,
      ok: false,
      detail: reason,
      fix: 'sanctions-radar doctor on the host checks the token and its scopes',
    });
  for (const p of pausedChannels(ctx.db))
    checks.push({
      check: p.channel,
      ok: false,
      detail: `paused since ${p.at.slice(0, 16).replace('T', ' ')} UTC: ${p.reason}`,
    });
  const now = ctx.now?.() ?? new Date();
  for (const d of deadLetters(ctx.db, new Date(now.getTime() - 86_400_000).toISOString()))
    checks.push({
      check: d.channel,
      ok: false,
      detail: `${d.count} alert(s) of the last day given up on: ${d.error ?? 'refused'}`,
    });
  const failed = checks.filter((c) => !c.ok).length;
  return {
    verb: 'doctor',
    ok: true,
    visibility: 'private',
    summary: failed
      ? `${failed} of ${checks.length} checks fail here`
      : `All ${checks.length} checks hold here (this answer reached you, too)`,
    sections: [{ title: 'Checks', fields: [], lines: checks.map(checkLine) }],
    footer:
      'Tokens, scopes, each channel and each source over the network: sanctions-radar doctor on the host.',
    data: { checks },
  };
}
