// What a command may use: the store, the matcher, the configured sources and who is asking.
import type { Db } from '../../db/database.js';
import type { SourceConfig } from '../domain.js';
import type { NameMatcher } from '../names/matcher.js';

export interface CommandContext {
  db: Db;
  matcher: NameMatcher;
  sources: SourceConfig[];
  /** The channel the command came from: "slack:C123", "discord:456", "console:default". */
  channel: string;
  now?: () => Date;
  /** Platforms this process delivers to; alerts for channels of others wait and are reported. */
  platforms?: string[];
  /** How many entities a lookup shows before "and K more". */
  maxResults?: number;
  /** The most holdings a channel may have (SANCTIONS_RADAR_MAX_HOLDINGS); 50,000 unless said. */
  maxHoldings?: number;
  /** The database file, for doctor's disk check. */
  dbPath?: string;
  /** Platforms that cannot connect now, with why (the daemon's). */
  platformProblems?: ReadonlyMap<string, string>;
}
