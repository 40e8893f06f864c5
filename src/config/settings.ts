// Everything configurable from the environment, read in one place and checked once.
// Which platforms exist is the adapters' business (see app.ts); a channel's shape is checked here.
import { CHANNEL } from '../delivery/platforms.js';
import type { FourEyes } from '../review/review.js';
import { readReviewers, type Reviewers } from '../review/reviewers.js';
import { readQuietHours, type QuietHours } from '../delivery/quiet-hours.js';
import { nearest } from './nearest.js';
import { USER_AGENT } from '../fetch/fetch-body.js';
import { ConfigError } from './errors.js';

export interface Settings {
  dbPath: string;
  sourcesFile: string | null;
  /** Where the Federal Register API is: every source on federalregister.gov/api/v1 is read from here instead. */
  federalRegisterApi: string;
  port: number;
  /** Address the HTTP port binds to. */
  host: string;
  /** The User-Agent of every download (a source's "userAgent" overrides it). */
  userAgent: string;
  logLevel: string;
  /** Channels that receive every alert (channel-wide alerts), e.g. "console:default,slack:C0123". */
  alertChannels: string[];
  maxShrink: number;
  confirmPolls: number;
  fetchTimeoutMs: number;
  /** Tries after the first when a download fails in a way that passes (a reset, a 503). */
  fetchRetries: number;
  /** The wait before the first of them, doubled for each next one, with jitter. */
  fetchRetryDelayMs: number;
  maxBytes: number;
  /** A feed answer's entries taken per poll (the newest first); more are skipped and reported. */
  maxFeedItems: number;
  /** Alerts one feed may raise in one poll; entries past it are stored without an alert. */
  maxFeedAlerts: number;
  /** List changes a channel takes one by one from one poll of a source; above it, one changeset alert. */
  maxListAlerts: number;
  /** The most holdings one channel may have. */
  maxHoldings: number;
  /** Delivered alerts and feed items gone from their feeds are pruned after this many days (0: never). */
  retentionDays: number;
  /** The bytes of what changing polls read are kept this many days (0: for good); their hashes always. */
  evidenceDays: number;
  /** Four eyes on decisions: off, escalated alerts, or all alerts need a second reviewer to close. */
  fourEyes: FourEyes;
  /** Who may decide on alerts; null: whoever may change what the channel follows. */
  reviewers: Reviewers | null;
  /** A channel's alerts undecided this many hours are listed in a reminder, once a day; null: no reminders. */
  reviewReminderHours: number | null;
  /** Hours when reminders and what a channel does not follow wait (designations never do). */
  quietHours: QuietHours | null;
  /** Shared secret of CourtListener docket-alert webhooks; the route exists only when set. */
  courtListenerWebhookSecret: string | null;
}

function num(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  check: (n: number) => boolean,
  what: string,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || !check(n))
    throw new ConfigError(`${name}=${raw} is not valid: expected ${what}`);
  return n;
}

/** Every variable of our namespace something reads; any other one is a typo. */
export const SETTINGS_VARIABLES = [
  'SANCTIONS_RADAR_DB',
  'SANCTIONS_RADAR_SOURCES',
  'SANCTIONS_RADAR_ALERT_CHANNELS',
  'SANCTIONS_RADAR_USER_AGENT',
  'SANCTIONS_RADAR_MAX_SHRINK',
  'SANCTIONS_RADAR_CONFIRM_POLLS',
  'SANCTIONS_RADAR_FETCH_TIMEOUT_MS',
  'SANCTIONS_RADAR_FETCH_RETRIES',
  'SANCTIONS_RADAR_FETCH_RETRY_DELAY_MS',
  'SANCTIONS_RADAR_MAX_BYTES',
  'SANCTIONS_RADAR_MAX_FEED_ITEMS',
  'SANCTIONS_RADAR_MAX_FEED_ALERTS',
  'SANCTIONS_RADAR_MAX_LIST_ALERTS',
  'SANCTIONS_RADAR_MAX_HOLDINGS',
  'SANCTIONS_RADAR_RETENTION_DAYS',
  'SANCTIONS_RADAR_EVIDENCE_DAYS',
  'SANCTIONS_RADAR_FOUR_EYES',
  'SANCTIONS_RADAR_REVIEWERS',
  'SANCTIONS_RADAR_REVIEW_REMINDER_HOURS',
  'SANCTIONS_RADAR_QUIET_HOURS',
  'SANCTIONS_RADAR_SLACK_MANAGERS',
  'SANCTIONS_RADAR_SLACK_PACE_MS',
  'SANCTIONS_RADAR_SLACK_WORKSPACE_PACE_MS',
  'SANCTIONS_RADAR_FEDERAL_REGISTER_API',
  'SANCTIONS_RADAR_EMAIL_FROM',
  // Read by bin/sanctions-radar.js (run the TypeScript sources) and by `npm run bench` (where the lists are).
  'SANCTIONS_RADAR_FROM_SOURCE',
  'SANCTIONS_RADAR_BENCH_DIR',
  'SANCTIONS_RADAR_BENCH_BASELINE',
] as const;

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  // A misspelt channel variable, set and ignored, would send every alert to the console only.
  // Webhook and Teams channels are named by their variables (SANCTIONS_RADAR_WEBHOOK_<NAME>_URL and
  // _SECRET, SANCTIONS_RADAR_TEAMS_<NAME>_URL).
  const named = /^SANCTIONS_RADAR_(WEBHOOK_[A-Z0-9_]+_(URL|SECRET)|TEAMS_[A-Z0-9_]+_URL)$/;
  const typos = Object.keys(env).filter(
    (k) =>
      k.startsWith('SANCTIONS_RADAR_') &&
      !(SETTINGS_VARIABLES as readonly string[]).includes(k) &&
      !named.test(k),
  );
  if (typos.length) {
    throw new ConfigError(
      typos
        .map((k) => {
          // Compared without the shared prefix, which would make any two names look alike.
          const prefix = 'SANCTIONS_RADAR_';
          // A name cut short (RETENTION for RETENTION_DAYS) is meant as the longer one.
          const typed = k.slice(prefix.length);
          const names = SETTINGS_VARIABLES.map((v) => v.slice(prefix.length));
          const near = names.find((v) => v.startsWith(`${typed}_`)) ?? nearest(typed, names);
          return `${k} is not a setting${near ? `: did you mean ${prefix}${near}?` : ' (.env.example lists them all)'}`;
        })
        .join('; '),
    );
  }
  const channels = (env.SANCTIONS_RADAR_ALERT_CHANNELS ?? 'console:default')
    .split(',')
    .map((c) => c.trim())
    .filter(Boolean);
  const badChannel = channels.find((c) => !CHANNEL.test(c));
  if (badChannel) {
    throw new ConfigError(
      `SANCTIONS_RADAR_ALERT_CHANNELS has "${badChannel}": channels look like console:<name>, slack:<channel id> or discord:<channel id>`,
    );
  }
  return {
    dbPath: env.SANCTIONS_RADAR_DB || './data/sanctions-radar.db',
    sourcesFile: env.SANCTIONS_RADAR_SOURCES || null,
    federalRegisterApi: apiBase(env.SANCTIONS_RADAR_FEDERAL_REGISTER_API),
    port: num(
      env,
      'PORT',
      3000,
      (n) => Number.isInteger(n) && n >= 0 && n < 65536,
      'a TCP port number',
    ),
    host: hostOf(env.HOST),
    userAgent: userAgentOf(env.SANCTIONS_RADAR_USER_AGENT),
    logLevel: logLevelOf(env.LOG_LEVEL),
    alertChannels: channels,
    maxShrink: num(
      env,
      'SANCTIONS_RADAR_MAX_SHRINK',
      0.1,
      (n) => n >= 0 && n <= 1,
      'a share from 0 to 1, e.g. 0.1',
    ),
    confirmPolls: num(
      env,
      'SANCTIONS_RADAR_CONFIRM_POLLS',
      3,
      (n) => Number.isInteger(n) && n >= 0,
      'a whole number of polls',
    ),
    fetchTimeoutMs: num(
      env,
      'SANCTIONS_RADAR_FETCH_TIMEOUT_MS',
      60_000,
      (n) => n > 0,
      'milliseconds',
    ),
    fetchRetries: num(
      env,
      'SANCTIONS_RADAR_FETCH_RETRIES',
      2,
      (n) => Number.isInteger(n) && n >= 0 && n <= 5,
      'a whole number of retries from 0 to 5',
    ),
    fetchRetryDelayMs: num(
      env,
      'SANCTIONS_RADAR_FETCH_RETRY_DELAY_MS',
      1000,
      (n) => Number.isInteger(n) && n >= 0 && n <= 60_000,
      'milliseconds, at most 60000',
    ),
    maxBytes: num(env, 'SANCTIONS_RADAR_MAX_BYTES', 100 * 1024 * 1024, (n) => n > 0, 'bytes'),
    maxFeedItems: num(
      env,
      'SANCTIONS_RADAR_MAX_FEED_ITEMS',
      5000,
      (n) => Number.isInteger(n) && n > 0,
      'a whole number of entries',
    ),
    maxFeedAlerts: num(
      env,
      'SANCTIONS_RADAR_MAX_FEED_ALERTS',
      200,
      (n) => Number.isInteger(n) && n > 0,
      'a whole number of alerts',
    ),
    maxListAlerts: num(
      env,
      'SANCTIONS_RADAR_MAX_LIST_ALERTS',
      200,
      (n) => Number.isInteger(n) && n > 0,
      'a whole number of alerts',
    ),
    maxHoldings: num(
      env,
      'SANCTIONS_RADAR_MAX_HOLDINGS',
      50_000,
      (n) => Number.isInteger(n) && n > 0 && n <= 1_000_000,
      'a whole number of holdings from 1 to 1000000',
    ),
    retentionDays: num(
      env,
      'SANCTIONS_RADAR_RETENTION_DAYS',
      90,
      (n) => n >= 0,
      'a number of days (0 keeps everything)',
    ),
    evidenceDays: num(
      env,
      'SANCTIONS_RADAR_EVIDENCE_DAYS',
      400,
      (n) => n >= 0,
      'a number of days (0 keeps the files read for good)',
    ),
    fourEyes: fourEyesOf(env.SANCTIONS_RADAR_FOUR_EYES),
    reviewers: readReviewers(env.SANCTIONS_RADAR_REVIEWERS),
    reviewReminderHours:
      num(
        env,
        'SANCTIONS_RADAR_REVIEW_REMINDER_HOURS',
        0,
        (n) => n >= 0 && n <= 24 * 365,
        'a number of hours (0, the default, sends no reminders)',
      ) || null,
    quietHours: readQuietHours(env.SANCTIONS_RADAR_QUIET_HOURS),
    courtListenerWebhookSecret: webhookSecret(env.COURTLISTENER_WEBHOOK_SECRET),
  };
}

function fourEyesOf(raw: string | undefined): FourEyes {
  const v = raw?.trim().toLowerCase() || 'off';
  if (v === 'off' || v === 'escalated' || v === 'all') return v;
  throw new ConfigError(
    `SANCTIONS_RADAR_FOUR_EYES=${raw} is not valid: off, escalated (an escalated alert needs a second reviewer to close it) or all`,
  );
}

function webhookSecret(raw: string | undefined): string | null {
  if (!raw) return null;
  // It is pasted into a URL as it is: "+", "#", "&" or "%" would reach us changed, and never match.
  if (raw.length < 16 || !/^[A-Za-z0-9._~-]+$/.test(raw)) {
    throw new ConfigError(
      'COURTLISTENER_WEBHOOK_SECRET must be at least 16 characters of letters, digits and - . _ ~ (it goes in the webhook URL as it is), e.g. the output of: openssl rand -hex 24',
    );
  }
  return raw;
}

/** The Federal Register API the built-in sources read, unless SANCTIONS_RADAR_FEDERAL_REGISTER_API says another. */
export const FEDERAL_REGISTER_API = 'https://www.federalregister.gov/api/v1';

/** The Federal Register API's address as given, without a trailing slash. */
function apiBase(raw: string | undefined): string {
  const v = raw?.trim().replace(/\/+$/, '');
  if (!v) return FEDERAL_REGISTER_API;
  if (!/^https?:\/\/[^/\s]+(?:\/\S*)?$/.test(v))
    throw new ConfigError(
      `SANCTIONS_RADAR_FEDERAL_REGISTER_API=${raw} is not an http(s) address, e.g. ${FEDERAL_REGISTER_API}`,
    );
  return v;
}

function hostOf(raw: string | undefined): string {
  const h = raw?.trim();
  if (!h) return '0.0.0.0';
  if (!/^[\w.:-]{1,253}$/.test(h))
    throw new ConfigError(`HOST=${h} is not an address to bind to (e.g. 127.0.0.1, 0.0.0.0, ::)`);
  return h;
}

export function userAgentOf(raw: string | undefined, name = 'SANCTIONS_RADAR_USER_AGENT'): string {
  const ua = raw?.trim();
  if (!ua) return USER_AGENT;
  if (!/^[\x20-\x7e]{1,512}$/.test(ua))
    throw new ConfigError(`${name} must be printable ASCII, at most 512 characters`);
  return ua;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function logLevelOf(raw: string | undefined): string {
  const level = raw?.trim().toLowerCase() || 'info';
  if (!LOG_LEVELS.includes(level))
    throw new ConfigError(`LOG_LEVEL=${raw} is not a level; use one of ${LOG_LEVELS.join(', ')}`);
  return level;
}
