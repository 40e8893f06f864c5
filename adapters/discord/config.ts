// Reading the Discord variables: no SDK here, so a process without Discord configured never loads it.
import { ConfigError } from '../../src/config/errors.js';

export interface DiscordConfig {
  token: string;
  applicationId: string | null;
  /** Register per guild (instant) rather than globally (up to an hour to appear). */
  guildId: string | null;
  apiUrl: string | null;
  /** Hex Ed25519 key for HTTP interactions at /discord/interactions. */
  publicKey: string | null;
  /** The REST client's dispatcher, through a proxy when HTTPS_PROXY is set. */
  agent?: import('undici').Dispatcher | null;
}

export function readDiscordConfig(env: NodeJS.ProcessEnv): DiscordConfig | null {
  const token = env.DISCORD_TOKEN?.trim();
  if (!token) {
    if (env.DISCORD_APPLICATION_ID || env.DISCORD_PUBLIC_KEY)
      throw new ConfigError(
        'DISCORD_APPLICATION_ID or DISCORD_PUBLIC_KEY is set but DISCORD_TOKEN is not: set DISCORD_TOKEN to the bot token (Developer Portal → Bot → Reset Token)',
      );
    return null;
  }
  // A bot token is three dot-separated base64url parts.
  if (!/^[\w-]{20,}\.[\w-]{4,}\.[\w-]{20,}$/.test(token))
    throw new ConfigError(
      'DISCORD_TOKEN does not look like a bot token (three dot-separated parts, from Developer Portal → Bot → Reset Token)',
    );
  const applicationId = env.DISCORD_APPLICATION_ID?.trim() || null;
  if (applicationId && !/^\d{15,22}$/.test(applicationId))
    throw new ConfigError(
      'DISCORD_APPLICATION_ID must be the numeric Application ID from Developer Portal → General Information',
    );
  const apiUrl = env.DISCORD_API_URL?.trim() || null;
  if (apiUrl && !/^https?:\/\//.test(apiUrl))
    throw new ConfigError('DISCORD_API_URL must be an http(s) URL such as https://discord.com/api');
  const guildId = env.DISCORD_GUILD_ID?.trim() || null;
  if (guildId && !/^\d{15,22}$/.test(guildId))
    throw new ConfigError(
      'DISCORD_GUILD_ID must be a numeric server ID (right-click the server → Copy Server ID)',
    );
  const publicKey = env.DISCORD_PUBLIC_KEY?.trim() || null;
  if (publicKey && !/^[0-9a-f]{64}$/i.test(publicKey))
    throw new ConfigError(
      'DISCORD_PUBLIC_KEY must be the 64-hex-character Public Key from Developer Portal → General Information',
    );
  return { token, applicationId, guildId, apiUrl, publicKey };
}
