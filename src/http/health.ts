// What /healthz answers. The port is public (a container's HEALTHCHECK, a load balancer, anyone
// who can reach it), so it says which sources, platforms and channels fail and why in a line, and
// no address: a private feed's host or query is the operator's business (`sources` and the log
// have them in full, redacted of credentials). Pure.
import type { SourceState } from '../../db/source-state.js';
import { URL_IN_TEXT } from '../fetch/redact.js';
import { clip } from '../text/limits.js';

/** A reason's length in /healthz: the first clause of an error, not a page of it. */
export const HEALTH_REASON_CHARS = 160;

export interface HealthReport {
  status: 'ok' | 'degraded';
  sources: { id: string; status: SourceState['status']; lastSuccessAt: string | null; reason?: string }[];
  platforms?: { platform: string; status: 'failing'; reason: string }[];
  undeliverable?: { channel: string; pending: number; since: string; reason: string }[];
}

/**
 * Each address in an error, cut to the file it names ("HTTP 404 from ALT.CSV"): which of a
 * source's files failed is worth saying; where it lives, with what query, is not.
 */
export function withoutAddresses(text: string): string {
  return text.replace(URL_IN_TEXT, (m) => {
    // "from https://…/ALT.CSV: HTTP detail": the colon ends the sentence's address, not the URL.
    const tail = /[.,:;!?]+$/.exec(m)?.[0] ?? '';
    let path: string;
    try {
      path = new URL(m.slice(0, m.length - tail.length)).pathname;
    } catch {
      return `its address${tail}`;
    }
    const file = path.split('/').filter(Boolean).pop();
    return (file ? decodeSafely(file) : 'its address') + tail;
  });
}

function decodeSafely(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

export const healthReason = (text: string): string => clip(withoutAddresses(text).replace(/\s+/g, ' ').trim(), HEALTH_REASON_CHARS);

export function healthReport(
  sources: readonly SourceState[],
  platformProblems: ReadonlyMap<string, string>,
  stuck: readonly { channel: string; pending: number; since: string }[],
): HealthReport {
  const bad = (s: SourceState) => s.status === 'failing' || s.status === 'held';
  const report: HealthReport = {
    status: sources.some(bad) || stuck.length > 0 || platformProblems.size > 0 ? 'degraded' : 'ok',
    sources: sources.map((s) => {
      const why = bad(s) ? (s.lastError ?? s.heldReason) : null;
      return { id: s.id, status: s.status, lastSuccessAt: s.lastSuccessAt, ...(why ? { reason: healthReason(why) } : {}) };
    }),
  };
  if (platformProblems.size) report.platforms = [...platformProblems].map(([platform, reason]) => ({ platform, status: 'failing', reason: healthReason(reason) }));
  if (stuck.length) report.undeliverable = stuck.map((u) => ({ ...u, reason: 'no configured platform serves this channel' }));
  return report;
}
