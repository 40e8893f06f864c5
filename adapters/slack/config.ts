// Reading the Slack variables: no SDK here, so a process without Slack configured never loads it.
import { ConfigError } from '../../src/config/errors.js';
import type { AdapterContext } from '../../src/delivery/adapter.js';
import { readManagerRule, type ManagerRule } from './managers.js';

export interface SlackConfig {
  botToken: string;
  /** Who may subscribe and unsubscribe channels; workspace admins and owners when not given. */
  managers?: ManagerRule;
  appToken: string | null;
  signingSecret: string | null;
  apiUrl: string | null;
  /**
   * The least time between two messages to one channel (SANCTIONS_RADAR_SLACK_PACE_MS, 1,000 by
   * Slack's documented rate); none when not given (an adapter built in code, as tests do).
   */
  paceMs?: number;
  /**
   * The least time between two messages to the workspace, whatever the channel
   * (SANCTIONS_RADAR_SLACK_WORKSPACE_PACE_MS, 200: Slack limits a workspace to "several hundred
   * messages a minute" besides one a second per channel); none when not given.
   */
  workspacePaceMs?: number;
  /** The Web API client's fetch: through a proxy when HTTPS_PROXY is set. */
  fetch?: typeof fetch;
}

/** Reads the Slack variables; null when Slack is not configured at all. */
export function readSlackConfig(
  env: NodeJS.ProcessEnv,
  mode: AdapterContext['mode'],
): SlackConfig | null {
  const botToken = env.SLACK_BOT_TOKEN?.trim();
  const appToken = env.SLACK_APP_TOKEN?.trim() || null;
  const signingSecret = env.SLACK_SIGNING_SECRET?.trim() || null;
  if (!botToken) {
    if (appToken || signingSecret)
      throw new ConfigError(
        "SLACK_APP_TOKEN or SLACK_SIGNING_SECRET is set but SLACK_BOT_TOKEN is not: set SLACK_BOT_TOKEN to the app's Bot User OAuth Token (xoxb-...)",
      );
    return null;
  }
  if (!/^xoxb-[\w-]+$/.test(botToken))
    throw new ConfigError(
      'SLACK_BOT_TOKEN must be the Bot User OAuth Token, which starts with "xoxb-" (OAuth & Permissions page of your Slack app)',
    );
  if (appToken && !/^xapp-[\w-]+$/.test(appToken))
    throw new ConfigError(
      'SLACK_APP_TOKEN must be an app-level token with connections:write, which starts with "xapp-" (Basic Information → App-Level Tokens)',
    );
  if (signingSecret && !/^[0-9a-f]{32}$/i.test(signingSecret))
    throw new ConfigError(
      'SLACK_SIGNING_SECRET must be the 32-character Signing Secret from Basic Information → App Credentials',
    );
  if (mode === 'start' && !appToken && !signingSecret) {
    throw new ConfigError(
      'Slack commands need SLACK_APP_TOKEN (Socket Mode, no public URL) or SLACK_SIGNING_SECRET (HTTP mode at /slack/events): set one of them',
    );
  }
  const apiUrl = env.SLACK_API_URL?.trim() || null;
  if (apiUrl && !/^https?:\/\//.test(apiUrl))
    throw new ConfigError(
      'SLACK_API_URL must be an http(s) URL ending in /api/, e.g. https://slack.com/api/',
    );
  const paceMs = readPace(
    env,
    'SANCTIONS_RADAR_SLACK_PACE_MS',
    1000,
    "milliseconds between two messages to one channel, 0 to 60000 (1000 is Slack's rate)",
  );
  const workspacePaceMs = readPace(
    env,
    'SANCTIONS_RADAR_SLACK_WORKSPACE_PACE_MS',
    200,
    'milliseconds between two messages to the workspace, 0 to 60000 (200 is 300 a minute)',
  );
  return {
    botToken,
    appToken,
    signingSecret,
    apiUrl: apiUrl && !apiUrl.endsWith('/') ? `${apiUrl}/` : apiUrl,
    managers: readManagerRule(env.SANCTIONS_RADAR_SLACK_MANAGERS),
    paceMs,
    workspacePaceMs,
  };
}

function readPace(env: NodeJS.ProcessEnv, name: string, fallback: number, meaning: string): number {
  const text = env[name]?.trim();
  const ms = text === undefined || text === '' ? fallback : Number(text);
  if (!Number.isInteger(ms) || ms < 0 || ms > 60_000)
    throw new ConfigError(`${name}=${text} is not valid: ${meaning}`);
  return ms;
}
