// `sanctions-radar discord register`: asks a platform adapter to register its slash command.
import type { Settings } from '../config/settings.js';
import type { AdapterContext } from '../delivery/adapter.js';
import type { Logger } from '../log.js';
import type { CliIo } from './io.js';
import { UsageError } from './io.js';

export async function registerCommand(io: CliIo, settings: Settings, log: Logger, platform: string): Promise<number> {
  const factory = io.adapterFactories.find((f) => f.platform === platform);
  const ctx: AdapterContext = { env: io.env, settings, log, mode: 'poll', json: false };
  const adapter = await factory?.fromEnv(ctx);
  if (!adapter) throw new UsageError(`${platform} is not configured: set its token in the environment (see .env.example)`);
  if (!adapter.registerCommands) throw new UsageError(`${platform} has no commands to register`);
  io.out(await adapter.registerCommands());
  return 0;
}
