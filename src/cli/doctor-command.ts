// `sanctions-radar doctor`: one line per check, ✓ or ✗ with the fix. The configuration, the
// database and its disk, each source, the clock (Slack and Discord refuse requests more than five
// minutes off), and each configured platform: its token, what it was granted, and whether the bot
// can reach each channel alerts go to. Exit 1 when a check fails.
import { statfsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { loadSourcesFile, DEFAULT_SOURCES_FILE } from '../config/sources-file.js';
import { readSettings, type Settings } from '../config/settings.js';
import type { AdapterContext } from '../delivery/adapter.js';
import { configuredPlatforms } from '../delivery/platforms.js';
import type { DoctorCheck } from '../doctor/check.js';
import { probe } from '../doctor/probe.js';
import { redactText, redactUrl } from '../fetch/redact.js';
import { silentLogger } from '../log.js';
import { openStore } from '../store.js';
import type { CliIo } from './io.js';

const MIN_FREE = 64 * 1024 * 1024;
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(n < 10 * 1024 * 1024 ? 1 : 0)} MB`;

export async function doctorCommand(io: CliIo, env: NodeJS.ProcessEnv, json: boolean): Promise<number> {
  const checks: DoctorCheck[] = [];
  const say = (c: DoctorCheck) => {
    checks.push(c);
    if (!json) io.out(`${c.ok ? (c.warn ? '!' : '✓') : '✗'} ${c.check}: ${c.detail}${c.fix ? `\n    fix: ${c.fix}` : ''}`);
  };
  let settings: Settings;
  try {
    settings = readSettings(env);
    say({ check: 'configuration', ok: true, detail: 'the environment and .env parse' });
  } catch (err) {
    say({ check: 'configuration', ok: false, detail: (err as Error).message, fix: '.env.example lists every variable with its default' });
    return finish(io, checks, json);
  }
  let sources: ReturnType<typeof loadSourcesFile> = [];
  try {
    sources = loadSourcesFile(settings.sourcesFile ?? DEFAULT_SOURCES_FILE, settings);
    say({ check: 'sources file', ok: true, detail: `${settings.sourcesFile ?? 'the built-in sources'}: ${sources.length} sources` });
  } catch (err) {
    say({ check: 'sources file', ok: false, detail: (err as Error).message });
  }

  // The database: opened (created) as the daemon opens it, and written to.
  const channels = new Set(settings.alertChannels);
  try {
    const { db } = openStore(settings.dbPath);
    try {
      db.exec('BEGIN IMMEDIATE; ROLLBACK');
      for (const c of db.prepare('SELECT DISTINCT channel FROM subscriptions UNION SELECT DISTINCT channel FROM holdings').pluck().all() as string[]) channels.add(c);
      say({ check: 'database', ok: true, detail: `${settings.dbPath}: opens and takes writes` });
    } finally {
      db.close();
    }
  } catch (err) {
    say({ check: 'database', ok: false, detail: (err as Error).message, fix: 'SANCTIONS_RADAR_DB (or --db) names a file in a writable folder' });
  }
  if (settings.dbPath !== ':memory:') {
    try {
      const s = statfsSync(dirname(resolve(settings.dbPath)));
      const free = s.bavail * s.bsize;
      say(free >= MIN_FREE
        ? { check: 'disk', ok: true, detail: `${mb(free)} free beside the database` }
        : { check: 'disk', ok: false, detail: `only ${mb(free)} free beside the database`, fix: 'free space, or move the database (SANCTIONS_RADAR_DB) to a larger disk' });
    } catch (err) {
      say({ check: 'disk', ok: true, warn: true, detail: `not checked: ${(err as Error).message}` });
    }
  }

  // Each source, as the polls reach it; the servers' clocks come with their answers.
  const dates: number[] = [];
  // Asked all at once, told in the sources' order.
  const agentOf = (s: (typeof sources)[number]) => (typeof s.options.userAgent === 'string' && s.options.userAgent.trim() ? s.options.userAgent.trim() : settings.userAgent);
  const probes = await Promise.all(sources.map((s) => probe(s.url, agentOf(s), Math.min(settings.fetchTimeoutMs, 10_000))));
  sources.forEach((s, i) => {
    const p = probes[i]!;
    if (p.date) dates.push(Date.parse(p.date));
    const via = p.via ? ` via ${p.via}` : '';
    say(p.status !== null && p.status < 400
      ? { check: `source ${s.id}`, ok: true, detail: `${redactUrl(s.url)} answers ${p.status}${via}` }
      : { check: `source ${s.id}`, ok: false, detail: `${redactUrl(s.url)}: ${p.status !== null ? `HTTP ${p.status}` : redactText(p.error ?? 'no answer')}${via}`, fix: p.status === 403 ? 'the site refuses this User-Agent or network: SANCTIONS_RADAR_USER_AGENT, or a proxy (HTTPS_PROXY)' : 'check the address, the network, and HTTPS_PROXY / NO_PROXY' });
  });
  if (dates.length) {
    const off = Math.round((Date.now() - dates.sort((a, b) => a - b)[Math.floor(dates.length / 2)]!) / 1000);
    say(Math.abs(off) <= 60
      ? { check: 'clock', ok: true, detail: `within ${Math.max(1, Math.abs(off))} s of the sources' servers` }
      : { check: 'clock', ok: Math.abs(off) <= 300, warn: Math.abs(off) <= 300, detail: `${Math.abs(off)} s ${off > 0 ? 'ahead of' : 'behind'} the sources' servers (Slack and Discord refuse requests more than 5 minutes off)`, fix: 'synchronise the clock (NTP: timedatectl set-ntp true)' });
  } else say({ check: 'clock', ok: true, warn: true, detail: 'not checked: no source answered with its time' });

  // Each configured platform, with the channels alerts go to on it.
  const ctx: AdapterContext = { env, settings, log: silentLogger, mode: 'poll', json };
  const configured = new Set(configuredPlatforms(io.adapterFactories, env));
  for (const f of io.adapterFactories) {
    const mine = [...channels].filter((c) => c.startsWith(`${f.platform}:`)).map((c) => c.slice(f.platform.length + 1));
    if (!configured.has(f.platform)) {
      if (mine.length) say({ check: f.platform, ok: false, detail: `${mine.length} channel(s) get alerts here (${mine.slice(0, 3).map((c) => `${f.platform}:${c}`).join(', ')}), but ${f.platform} is not configured`, ...(f.enabledBy ? { fix: `set ${f.enabledBy}` } : {}) });
      continue;
    }
    try {
      const adapter = await f.fromEnv(ctx);
      if (!adapter) continue;
      try {
        if (adapter.doctor) for (const c of await adapter.doctor(mine)) say(c);
        else say({ check: f.platform, ok: true, detail: `configured${mine.length ? `, ${mine.length} channel(s)` : ''}` });
      } finally {
        await adapter.stop?.();
      }
    } catch (err) {
      say({ check: f.platform, ok: false, detail: redactText((err as Error).message) });
    }
  }
  return finish(io, checks, json);
}

function finish(io: CliIo, checks: DoctorCheck[], json: boolean): number {
  const failed = checks.filter((c) => !c.ok);
  if (json) io.out(JSON.stringify({ ok: failed.length === 0, checks }));
  else io.out(failed.length ? `\n${failed.length} check(s) failed.` : `\nAll ${checks.length} checks hold. Next: sanctions-radar test-alert --channel <a channel> sends a test alert there.`);
  return failed.length ? 1 : 0;
}
