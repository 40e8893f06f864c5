// The chat verbs on the command line: `sanctions-radar lookup|subscribe|unsubscribe|subscriptions|
// history <args> [--channel C] [--json]`, through the same command core as Slack and Discord.
import { openStore } from '../store/open.js';
import { runCommand } from '../commands/run.js';
import { renderReplyText } from '../commands/render-text.js';
import { cleanDeep } from '../text/clean.js';
import { DEFAULT_SOURCES_FILE, loadSourcesFile } from '../config/sources-file.js';
import type { Settings } from '../config/settings.js';
import { NameMatcher } from '../names/matcher.js';
import { configuredPlatforms } from '../delivery/platforms.js';
import type { CliIo } from './io.js';
import { channelOf, existingDatabase } from './io.js';

/** Re-quotes words so that the command core tokenises them as the shell already did. */
function quote(word: string): string {
  return /[\s"]/.test(word) ? `"${word.replace(/"/g, '')}"` : word;
}

export function chatCommand(
  io: CliIo,
  settings: Settings,
  verb: string,
  words: string[],
  channel: string | undefined,
  json: boolean,
): number {
  const ch = channelOf(io, channel);
  const platforms = configuredPlatforms(io.adapterFactories, io.env);
  const sources = loadSourcesFile(settings.sourcesFile ?? DEFAULT_SOURCES_FILE, settings);
  // Only a subscription may be the first thing stored (a channel can follow a name before any poll).
  const { db } = openStore(
    verb === 'subscribe' ? settings.dbPath : existingDatabase(settings.dbPath),
  );
  try {
    const reply = runCommand(
      [verb, ...words.map(quote)].join(' '),
      {
        db,
        matcher: new NameMatcher(db),
        sources,
        channel: ch,
        platforms,
        maxHoldings: settings.maxHoldings,
      },
      { defaultChannels: settings.alertChannels },
    );
    if (json)
      io.out(
        JSON.stringify(
          cleanDeep({
            verb: reply.verb,
            ok: reply.ok,
            summary: reply.summary,
            ...(reply.data as object),
          }),
        ),
      );
    else (reply.ok ? io.out : io.err)(renderReplyText(reply));
    return reply.ok ? 0 : 2;
  } finally {
    db.close();
  }
}
