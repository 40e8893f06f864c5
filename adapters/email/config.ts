// Email channels: `email:<address>`, sent through the SMTP server SMTP_URL names
// (smtp://host:587, smtps://user:password@host:465), from SANCTIONS_RADAR_EMAIL_FROM.
import { ConfigError } from '../../src/config/errors.js';
import { redactUrl } from '../../src/fetch/redact.js';

export interface EmailConfig {
  /** Holds the SMTP password: shown only redacted. */
  smtpUrl: string;
  from: string;
}

/** An address a channel may name: local@domain, the domain with a dot (or localhost). Plain: no display name, no comments. */
const ADDRESS =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]{1,64}@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$|^[A-Za-z0-9._%+-]{1,64}@localhost$/;

export function badAddress(address: string): string | null {
  return ADDRESS.test(address) ? null : `"${address}" is not an email address (name@example.com)`;
}

export function readEmailConfig(env: NodeJS.ProcessEnv): EmailConfig | null {
  const smtpUrl = env.SMTP_URL?.trim();
  if (!smtpUrl) {
    if (env.SANCTIONS_RADAR_EMAIL_FROM)
      throw new ConfigError(
        'SANCTIONS_RADAR_EMAIL_FROM is set but SMTP_URL is not: set SMTP_URL to your mail server (smtps://user:password@smtp.example.com:465)',
      );
    return null;
  }
  let u: URL;
  try {
    u = new URL(smtpUrl);
  } catch {
    throw new ConfigError(
      'SMTP_URL is not a URL: smtp://host:587 or smtps://user:password@host:465',
    );
  }
  if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:')
    throw new ConfigError(
      `SMTP_URL=${redactUrl(smtpUrl)} must start with smtp:// (STARTTLS when the server offers it) or smtps:// (TLS)`,
    );
  const user = decodeURIComponent(u.username);
  const from = env.SANCTIONS_RADAR_EMAIL_FROM?.trim() || (badAddress(user) ? '' : user);
  if (!from)
    throw new ConfigError(
      'set SANCTIONS_RADAR_EMAIL_FROM to the address alerts come from (your SMTP user is no address to use)',
    );
  const bad = badAddress(from);
  if (bad) throw new ConfigError(`SANCTIONS_RADAR_EMAIL_FROM: ${bad}`);
  return { smtpUrl, from };
}
