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
  /** How many entities a lookup shows before "and K more". */
  maxResults?: number;
}
