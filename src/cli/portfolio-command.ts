// `sanctions-radar portfolio import FILE --channel C`: a holdings file into a channel, answered
// with the exposure found at once. The other portfolio verbs go through the command core.
import { readFileSync, statSync } from 'node:fs';
import { addHoldingsReply } from '../commands/portfolio.js';
import { renderReplyText } from '../commands/render-text.js';
import { cleanDeep } from '../text/clean.js';
import type { Settings } from '../config/settings.js';
import { NameMatcher } from '../names/matcher.js';
import { HoldingsFileError, parseHoldingsFile } from '../portfolio/holdings-file.js';
import { openStore } from '../store/open.js';
import type { CliIo } from './io.js';
import { channelOf, UsageError } from './io.js';

const MAX_BYTES = 50 * 1024 * 1024;

export function portfolioImport(
  io: CliIo,
  settings: Settings,
  file: string,
  given: string,
  json: boolean,
): number {
  const channel = channelOf(io, given);
  let text: string;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new UsageError(`${file} is not a file`);
    if (st.size > MAX_BYTES)
      throw new UsageError(
        `${file} is ${st.size} bytes; holdings files of up to ${MAX_BYTES} bytes are read`,
      );
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    throw new UsageError(
      `${file} cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  let parsed;
  try {
    parsed = parseHoldingsFile(text, settings.maxHoldings);
  } catch (err) {
    if (err instanceof HoldingsFileError) throw new UsageError(`${file}: ${err.message}`);
    throw err;
  }
  if (parsed.holdings.length === 0)
    throw new UsageError(`${file}: no row holds a name or an identifier`);
  const { db } = openStore(settings.dbPath);
  try {
    const reply = addHoldingsReply(
      { db, matcher: new NameMatcher(db), sources: [], channel, maxHoldings: settings.maxHoldings },
      parsed.holdings,
      `Imported ${file}`,
      parsed.warnings,
    );
    if (!reply.ok) throw new UsageError(reply.summary);
    if (json)
      io.out(
        JSON.stringify(
          cleanDeep({
            verb: reply.verb,
            ok: reply.ok,
            summary: reply.summary,
            columns: parsed.columns,
            ...(reply.data as object),
          }),
        ),
      );
    else io.out(renderReplyText(reply));
    return 0;
  } finally {
    db.close();
  }
}
