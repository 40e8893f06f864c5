// The email platform as the registry sees it. nodemailer is imported only when SMTP_URL is set.
import { ConfigError } from '../../src/config/errors.js';
import type { AdapterFactory } from '../../src/delivery/adapter.js';
import { badAddress, readEmailConfig } from './config.js';

export const emailAdapterFactory: AdapterFactory = {
  platform: 'email',
  enabledBy: 'SMTP_URL',
  checkChannel: (id) => badAddress(id),
  async fromEnv(ctx) {
    const cfg = readEmailConfig(ctx.env);
    if (!cfg) return null;
    for (const c of ctx.settings.alertChannels.filter((ch) => ch.startsWith('email:'))) {
      const bad = badAddress(c.slice('email:'.length));
      if (bad) throw new ConfigError(`SANCTIONS_RADAR_ALERT_CHANNELS has ${c}: ${bad}`);
    }
    const { createEmailAdapter } = await import('./email-adapter.js');
    return createEmailAdapter(cfg, { log: ctx.log });
  },
};
