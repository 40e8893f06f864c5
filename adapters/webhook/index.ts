// The webhook platform as the registry sees it: configured when any SANCTIONS_RADAR_WEBHOOK_*_URL is set.
import type { AdapterFactory } from '../../src/delivery/adapter.js';
import { proxyFetch } from '../proxy.js';
import { ConfigError } from '../../src/config/errors.js';
import { readWebhookConfig, urlVariable, WEBHOOK_VARIABLE } from './config.js';

export const webhookAdapterFactory: AdapterFactory = {
  platform: 'webhook',
  enabledBy: 'SANCTIONS_RADAR_WEBHOOK_<NAME>_URL',
  configured: (env) =>
    Object.keys(env).some(
      (k) => WEBHOOK_VARIABLE.test(k) && k.endsWith('_URL') && Boolean(env[k]?.trim()),
    ),
  async fromEnv(ctx) {
    const targets = readWebhookConfig(ctx.env);
    if (targets.size === 0) return null;
    const unknown = ctx.settings.alertChannels.find(
      (c) => c.startsWith('webhook:') && !targets.has(c.slice('webhook:'.length)),
    );
    if (unknown)
      throw new ConfigError(
        `SANCTIONS_RADAR_ALERT_CHANNELS has ${unknown}, but ${urlVariable(unknown.slice('webhook:'.length))} is not set`,
      );
    const { createWebhookAdapter } = await import('./webhook-adapter.js');
    return createWebhookAdapter(targets, {
      fetch: await proxyFetch(ctx.env),
      log: ctx.log,
      userAgent: ctx.settings.userAgent,
    });
  },
};
