// `sanctions-radar register [PLATFORM]`: asks the platforms whose slash command must be registered
// (Discord) to do it; all the configured ones, or the one named.
import type { Settings } from '../config/settings.js';
import type { AdapterContext } from '../delivery/adapter.js';
import { configuredPlatforms } from '../delivery/platforms.js';
import type { Logger } from '../log.js';
import type { CliIo } from './io.js';
import { UsageError } from './io.js';

export async function registerCommand(
  io: CliIo,
  settings: Settings,
  log: Logger,
  platform?: string,
): Promise<number> {
  const ctx: AdapterContext = { env: io.env, settings, log, mode: 'poll', json: false };
  if (platform && !io.adapterFactories.some((f) => f.platform === platform))
    throw new UsageError(
      `no "${platform}" platform; platforms: ${io.adapterFactories.map((f) => f.platform).join(', ')}`,
    );
  const configured = configuredPlatforms(io.adapterFactories, io.env);
  let registered = 0;
  for (const factory of io.adapterFactories.filter((f) =>
    platform ? f.platform === platform : configured.includes(f.platform),
  )) {
    const adapter = await factory.fromEnv(ctx);
    if (!adapter)
      throw new UsageError(
        `${factory.platform} is not configured: set ${factory.enabledBy ?? 'its token'} (see .env.example)`,
      );
    if (!adapter.registerCommands) {
      if (platform) throw new UsageError(`${platform} has no commands to register`);
      continue;
    }
    io.out(await adapter.registerCommands());
    registered++;
  }
  if (!platform && registered === 0)
    io.out(
      'No configured platform needs its command registered (Slack takes /sanctions from the app manifest).',
    );
  return 0;
}
