// The checks `sanctions-radar doctor` and `/sanctions doctor` share: the disk beside the database,
// each source as the polls reach it, and the clock against the servers that answered.
import { statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { SourceConfig } from '../domain.js';
import { redactText, redactUrl } from '../fetch/redact.js';
import type { DoctorCheck } from './check.js';
import { probe } from './probe.js';

const MIN_FREE = 64 * 1024 * 1024;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;

export function diskCheck(dbPath: string): DoctorCheck | null {
  if (dbPath === ':memory:') return null;
  try {
    const s = statfsSync(dirname(resolve(dbPath)));
    const free = s.bavail * s.bsize;
    return free >= MIN_FREE
      ? { check: 'disk', ok: true, detail: `${mb(free)} free beside the database` }
      : {
          check: 'disk',
          ok: false,
          detail: `only ${mb(free)} free beside the database`,
          fix: 'free space, or move the database (SANCTIONS_RADAR_DB) to a larger disk',
        };
  } catch (err) {
    return {
      check: 'disk',
      ok: true,
      warn: true,
      detail: `not checked: ${(err as Error).message}`,
    };
  }
}

/** Each source asked at once, told in the sources' order; then the clock, against the servers that answered with their time. */
export async function sourceChecks(
  sources: readonly SourceConfig[],
  userAgent: string,
  timeoutMs: number,
): Promise<DoctorCheck[]> {
  const agentOf = (s: SourceConfig) =>
    typeof s.options.userAgent === 'string' && s.options.userAgent.trim()
      ? s.options.userAgent.trim()
      : userAgent;
  const probes = await Promise.all(
    sources.map((s) => probe(s.url, agentOf(s), Math.min(timeoutMs, 10_000))),
  );
  const dates: number[] = [];
  const checks = sources.map((s, i): DoctorCheck => {
    const p = probes[i]!;
    if (p.date) dates.push(Date.parse(p.date));
    const via = p.via ? ` via ${p.via}` : '';
    return p.status !== null && p.status < 400
      ? {
          check: `source ${s.id}`,
          ok: true,
          detail: `${redactUrl(s.url)} answers ${p.status}${via}`,
        }
      : {
          check: `source ${s.id}`,
          ok: false,
          detail: `${redactUrl(s.url)}: ${p.status !== null ? `HTTP ${p.status}` : redactText(p.error ?? 'no answer')}${via}`,
          fix:
            p.status === 403
              ? 'the site refuses this User-Agent or network: SANCTIONS_RADAR_USER_AGENT, or a proxy (HTTPS_PROXY)'
              : 'check the address, the network, and HTTPS_PROXY / NO_PROXY',
        };
  });
  return [...checks, clockCheck(dates)];
}

/** Slack and Discord refuse requests signed more than five minutes off. */
function clockCheck(dates: number[]): DoctorCheck {
  if (!dates.length)
    return {
      check: 'clock',
      ok: true,
      warn: true,
      detail: 'not checked: no source answered with its time',
    };
  const off = Math.round(
    (Date.now() - dates.sort((a, b) => a - b)[Math.floor(dates.length / 2)]!) / 1000,
  );
  if (Math.abs(off) <= 60)
    return {
      check: 'clock',
      ok: true,
      detail: `within ${Math.max(1, Math.abs(off))} s of the sources' servers`,
    };
  return {
    check: 'clock',
    ok: Math.abs(off) <= 300,
    warn: Math.abs(off) <= 300,
    detail: `${Math.abs(off)} s ${off > 0 ? 'ahead of' : 'behind'} the sources' servers (Slack and Discord refuse requests more than 5 minutes off)`,
    fix: 'synchronise the clock (NTP: timedatectl set-ntp true)',
  };
}

/** One line of a check, as the command line and the chat show it. */
export const checkLine = (c: DoctorCheck) =>
  `${c.ok ? (c.warn ? '!' : '✓') : '✗'} ${c.check}: ${c.detail}${c.fix ? ` (fix: ${c.fix})` : ''}`;
