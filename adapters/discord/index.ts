// The Discord platform as the registry sees it. discord.js (~0.25 s and ~20 MB to load) is
// imported only when DISCORD_TOKEN is set.
import type { AdapterFactory } from '../../src/delivery/adapter.js';
import { readDiscordConfig } from './config.js';
import { proxyDispatcher } from '../proxy.js';

export const discordAdapterFactory: AdapterFactory = {
  platform: 'discord',
  enabledBy: 'DISCORD_TOKEN',
  async fromEnv(ctx) {
    const cfg = readDiscordConfig(ctx.env);
    if (!cfg) return null;
    const { createDiscordAdapter } = await import('./discord-adapter.js');
    return createDiscordAdapter({ ...cfg, agent: await proxyDispatcher(ctx.env) }, ctx);
  },
};
