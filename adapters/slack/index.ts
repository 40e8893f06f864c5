// The Slack platform as the registry sees it. Bolt (~0.3 s and ~25 MB to load) is imported only
// when SLACK_BOT_TOKEN is set, so a CLI call or a console-only daemon never pays for it.
import type { AdapterFactory } from '../../src/delivery/adapter.js';
import { readSlackConfig } from './config.js';
import { proxyFetch } from '../proxy.js';

export const slackAdapterFactory: AdapterFactory = {
  platform: 'slack',
  enabledBy: 'SLACK_BOT_TOKEN',
  async fromEnv(ctx) {
    const cfg = readSlackConfig(ctx.env, ctx.mode);
    if (!cfg) return null;
    const { createSlackAdapter } = await import('./slack-adapter.js');
    return createSlackAdapter({ ...cfg, fetch: await proxyFetch(ctx.env) }, ctx);
  },
};
