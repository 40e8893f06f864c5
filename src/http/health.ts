// What /healthz answers. The port is public (a container's HEALTHCHECK, a load balancer, anyone
// who can reach it), so it says which sources, platforms and channels fail and why in a line, and
// no address: a private feed's host or query is the operator's business (`sources` and the log
// have them in full, redacted of credentials). Pure.
import type { SourceState } from '../../db/source-state.js';
import { shortReason } from '../text/reason.js';

export interface HealthReport {
  status: 'ok' | 'degraded';
  sources: {
    id: string;
    status: SourceState['status'];
    lastSuccessAt: string | null;
    reason?: string;
  }[];
  /**
   * Sources in the database that the configuration no longer names: not polled, so neither healthy
   * nor failing, and never degrading the status (a source dropped while it failed would otherwise
   * degrade it for good). `sources forget ID` removes them.
   */
  notConfigured?: { id: string; lastSuccessAt: string | null }[];
  platforms?: { platform: string; status: 'failing'; reason: string }[];
  undeliverable?: { channel: string; pending: number; since: string; reason: string }[];
  /** Channels the platform refuses for now (the bot removed, a webhook answering 410): their alerts wait. */
  paused?: { channel: string; since: string; reason: string }[];
  /** Alerts of the last day a channel will never get (an address refused, a payload rejected), per channel. */
  deadLetters?: { channel: string; count: number; reason: string }[];
  /** The database cannot be written (a full disk, a damaged file), or its disk is about to fill. */
  storage?: { status: 'failing'; reason: string };
}

export function healthReport(
  all: readonly SourceState[],
  configured: ReadonlySet<string>,
  platformProblems: ReadonlyMap<string, string>,
  stuck: readonly { channel: string; pending: number; since: string }[],
  storage: string | null = null,
  paused: readonly { channel: string; at: string; reason: string }[] = [],
  dead: readonly { channel: string; count: number; error: string | null }[] = [],
): HealthReport {
  const sources = all.filter((s) => configured.has(s.id));
  const bad = (s: SourceState) => s.status === 'failing' || s.status === 'held';
  const report: HealthReport = {
    status:
      sources.some(bad) ||
      stuck.length > 0 ||
      paused.length > 0 ||
      dead.length > 0 ||
      platformProblems.size > 0 ||
      storage
        ? 'degraded'
        : 'ok',
    sources: sources.map((s) => {
      const why = bad(s) ? (s.lastError ?? s.heldReason) : null;
      return {
        id: s.id,
        status: s.status,
        lastSuccessAt: s.lastSuccessAt,
        ...(why ? { reason: shortReason(why) } : {}),
      };
    }),
  };
  const dropped = all.filter((s) => !configured.has(s.id));
  if (dropped.length)
    report.notConfigured = dropped.map((s) => ({ id: s.id, lastSuccessAt: s.lastSuccessAt }));
  if (platformProblems.size)
    report.platforms = [...platformProblems].map(([platform, reason]) => ({
      platform,
      status: 'failing',
      reason: shortReason(reason),
    }));
  if (storage) report.storage = { status: 'failing', reason: storage };
  if (paused.length)
    report.paused = paused.map((p) => ({
      channel: p.channel,
      since: p.at,
      reason: shortReason(p.reason),
    }));
  if (dead.length)
    report.deadLetters = dead.map((d) => ({
      channel: d.channel,
      count: d.count,
      reason: shortReason(d.error ?? 'refused'),
    }));
  if (stuck.length)
    report.undeliverable = stuck.map((u) => ({
      ...u,
      reason: 'no configured platform serves this channel',
    }));
  return report;
}
