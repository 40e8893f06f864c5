// The Teams platform as the registry sees it: configured when any SANCTIONS_RADAR_TEAMS_*_URL is set.
import { ConfigError } from '../../src/config/errors.js';
import type { AdapterFactory } from '../../src/delivery/adapter.js';
import { proxyFetch } from '../proxy.js';
import { readTeamsConfig, TEAMS_VARIABLE, teamsUrlVariable } from './config.js';

export const teamsAdapterFactory: AdapterFactory = {
  platform: 'teams',
  enabledBy: 'SANCTIONS_RADAR_TEAMS_<NAME>_URL',
  configured: (env) =>
    Object.keys(env).some((k) => TEAMS_VARIABLE.test(k) && Boolean(env[k]?.trim())),
  async fromEnv(ctx) {
    const targets = readTeamsConfig(ctx.env);
    if (targets.size === 0) return null;
    const unknown = ctx.settings.alertChannels.find(
      (c) => c.startsWith('teams:') && !targets.has(c.slice('teams:'.length)),
    );
    if (unknown)
      throw new ConfigError(
        `SANCTIONS_RADAR_ALERT_CHANNELS has ${unknown}, but ${teamsUrlVariable(unknown.slice('teams:'.length))} is not set`,
      );
    const { createTeamsAdapter } = await import('./teams-adapter.js');
    return createTeamsAdapter(targets, {
      fetch: await proxyFetch(ctx.env),
      userAgent: ctx.settings.userAgent,
    });
  },
};
