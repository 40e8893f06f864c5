// Webhook channels: `webhook:<name>`, each with SANCTIONS_RADAR_WEBHOOK_<NAME>_URL and _SECRET.
// The name in the channel is the variable's, in lower case with dashes: CASE_SYSTEM ↔ case-system.
import { ConfigError } from '../../src/config/errors.js';
import { redactUrl } from '../../src/fetch/redact.js';
import { channelName, LOCAL_HOSTS, variablePart } from '../named-channels.js';

export interface WebhookTarget {
  url: string;
  /** The HMAC key of the signatures; never logged, never shown. */
  secret: string;
}

export const WEBHOOK_VARIABLE = /^SANCTIONS_RADAR_WEBHOOK_([A-Z0-9]+(?:_[A-Z0-9]+)*)_(URL|SECRET)$/;

/** "case-system" → "SANCTIONS_RADAR_WEBHOOK_CASE_SYSTEM_URL". */
export const urlVariable = (name: string) => `SANCTIONS_RADAR_WEBHOOK_${variablePart(name)}_URL`;

/** The webhooks the environment names, by channel name; empty when none. Throws ConfigError naming the variable at fault. */
export function readWebhookConfig(env: NodeJS.ProcessEnv): Map<string, WebhookTarget> {
  const parts = new Map<string, { url?: string; secret?: string }>();
  for (const [k, v] of Object.entries(env)) {
    const m = WEBHOOK_VARIABLE.exec(k);
    if (!m || !v?.trim()) continue;
    const p = parts.get(m[1]!) ?? {};
    if (m[2] === 'URL') p.url = v.trim();
    else p.secret = v.trim();
    parts.set(m[1]!, p);
  }
  const out = new Map<string, WebhookTarget>();
  for (const [part, { url, secret }] of parts) {
    const prefix = `SANCTIONS_RADAR_WEBHOOK_${part}`;
    if (!url)
      throw new ConfigError(
        `${prefix}_SECRET is set but ${prefix}_URL is not: set the address the alerts are posted to`,
      );
    if (!secret)
      throw new ConfigError(
        `${prefix}_URL is set but ${prefix}_SECRET is not: set a secret of 16 or more characters, which the receiver checks signatures with`,
      );
    if (secret.length < 16)
      throw new ConfigError(
        `${prefix}_SECRET is too short to sign with: use 16 or more characters (e.g. \`openssl rand -hex 32\`)`,
      );
    let u: URL;
    try {
      u = new URL(url);
    } catch {
      throw new ConfigError(
        `${prefix}_URL is not a URL: an https:// address (http:// only to localhost)`,
      );
    }
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && LOCAL_HOSTS.has(u.hostname))) {
      throw new ConfigError(
        `${prefix}_URL=${redactUrl(url)} must be https (http only to localhost): alerts and their signatures would cross the network in clear`,
      );
    }
    out.set(channelName(part), { url, secret });
  }
  return out;
}
