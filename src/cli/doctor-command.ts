// `sanctions-radar doctor`: one line per check, ✓ or ✗ with the fix. The configuration, the
// database and its disk, each source, the clock (Slack and Discord refuse requests more than five
// minutes off), and each configured platform: its token, what it was granted, and whether the bot
// can reach each channel alerts go to. Exit 1 when a check fails.
import { loadSourcesFile, DEFAULT_SOURCES_FILE } from '../config/sources-file.js';
import { readSettings, type Settings } from '../config/settings.js';
import type { AdapterContext } from '../delivery/adapter.js';
import { configuredPlatforms } from '../delivery/platforms.js';
import type { DoctorCheck } from '../doctor/check.js';
import { diskCheck, sourceChecks } from '../doctor/checks.js';
import { redactText } from '../fetch/redact.js';
import { silentLogger } from '../log.js';
import { openStore } from '../store/open.js';
import type { CliIo } from './io.js';

export async function doctorCommand(
  io: CliIo,
  env: NodeJS.ProcessEnv,
  json: boolean,
): Promise<number> {
  const checks: DoctorCheck[] = [];
  const say = (c: DoctorCheck) => {
    checks.push(c);
    if (!json)
      io.out(
        `${c.ok ? (c.warn ? '!' : '✓') : '✗'} ${c.check}: ${c.detail}${c.fix ? `\n    fix: ${c.fix}` : ''}`,
      );
  };
  let settings: Settings;
  try {
    settings = readSettings(env);
    say({ check: 'configuration', ok: true, detail: 'the environment and .env parse' });
  } catch (err) {
    say({
      check: 'configuration',
      ok: false,
      detail: (err as Error).message,
      fix: '.env.example lists every variable with its default',
    });
    return finish(io, checks, json);
  }
  let sources: ReturnType<typeof loadSourcesFile> = [];
  try {
    sources = loadSourcesFile(settings.sourcesFile ?? DEFAULT_SOURCES_FILE, settings);
    say({
      check: 'sources file',
      ok: true,
      detail: `${settings.sourcesFile ?? 'the built-in sources'}: ${sources.length} sources`,
    });
  } catch (err) {
    say({ check: 'sources file', ok: false, detail: (err as Error).message });
  }

  // The database: opened (created) as the daemon opens it, and written to.
  const channels = new Set(settings.alertChannels);
  try {
    const { db } = openStore(settings.dbPath);
    try {
      db.exec('BEGIN IMMEDIATE; ROLLBACK');
      for (const c of db
        .prepare(
          'SELECT DISTINCT channel FROM subscriptions UNION SELECT DISTINCT channel FROM holdings',
        )
        .pluck()
        .all() as string[])
        channels.add(c);
      say({ check: 'database', ok: true, detail: `${settings.dbPath}: opens and takes writes` });
    } finally {
      db.close();
    }
  } catch (err) {
    say({
      check: 'database',
      ok: false,
      detail: (err as Error).message,
      fix: 'SANCTIONS_RADAR_DB (or --db) names a file in a writable folder',
    });
  }
  const disk = diskCheck(settings.dbPath);
  if (disk) say(disk);
  for (const c of await sourceChecks(sources, settings.userAgent, settings.fetchTimeoutMs)) say(c);

  // Each configured platform, with the channels alerts go to on it.
  const ctx: AdapterContext = { env, settings, log: silentLogger, mode: 'poll', json };
  const configured = new Set(configuredPlatforms(io.adapterFactories, env));
  for (const f of io.adapterFactories) {
    const mine = [...channels]
      .filter((c) => c.startsWith(`${f.platform}:`))
      .map((c) => c.slice(f.platform.length + 1));
    if (!configured.has(f.platform)) {
      if (mine.length)
        say({
          check: f.platform,
          ok: false,
          detail: `${mine.length} channel(s) get alerts here (${mine
            .slice(0, 3)
            .map((c) => `${f.platform}:${c}`)
            .join(', ')}), but ${f.platform} is not configured`,
          ...(f.enabledBy ? { fix: `set ${f.enabledBy}` } : {}),
        });
      continue;
    }
    try {
      const adapter = await f.fromEnv(ctx);
      if (!adapter) continue;
      try {
        if (adapter.doctor) for (const c of await adapter.doctor(mine)) say(c);
        else
          say({
            check: f.platform,
            ok: true,
            detail: `configured${mine.length ? `, ${mine.length} channel(s)` : ''}`,
          });
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
  else
    io.out(
      failed.length
        ? `\n${failed.length} check(s) failed.`
        : `\nAll ${checks.length} checks hold. Next: sanctions-radar test-alert --channel <a channel> sends a test alert there.`,
    );
  return failed.length ? 1 : 0;
}
