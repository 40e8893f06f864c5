// `portfolio`: a channel's holdings against the tracked lists. `portfolio` reports the exposure
// (private, like a lookup); `portfolio add <ISIN | ticker EXCH | name>` and `portfolio remove
// <id | ISIN | ticker | name>` change what the channel holds (announced, like subscribe). The CLI
// imports whole files through `addHoldingsReply`.
import { indexFollows } from '../routing/follow-index.js';
import {
  addHoldings,
  channelHoldingsPage,
  removeHoldings,
  type Holding,
  type HoldingInput,
} from '../../db/holdings.js';
import { bindingDates } from '../alerts/binding.js';
import { isGeneric, normalizeName } from '../names/normalize.js';
import { exposureSteps, type ExposureEntry } from '../portfolio/exposure.js';
import { drain, type Steps } from './steps.js';
import { isValidIsin } from '../sources/identifiers.js';
import type { ParsedArgs } from './args.js';
import type { CommandContext } from './context.js';
import { asOfClause, listScope, notCurrentSection } from './freshness.js';
import { tickerOf } from '../portfolio/identifier-query.js';
import { usage, type Reply, type ReplySection } from './reply.js';

const USAGE =
  'Usage: /sanctions portfolio | portfolio add <ISIN | ticker EXCH | company name> | portfolio remove <id | ISIN | ticker | name>';

const ISIN = /^[A-Z]{2}[A-Z0-9]{9}\d$/;

/** Holdings read per step of a report. */
const PAGE = 5000;

/** One holding from what a user typed: an ISIN, "CHL US" (ticker and exchange), or a name. */
export function holdingFromText(text: string): HoldingInput | { error: string } {
  const t = text.trim();
  const upper = t.toUpperCase();
  if (ISIN.test(upper))
    return isValidIsin(upper)
      ? {
          name: null,
          normalized: null,
          isin: upper,
          ticker: null,
          exchange: null,
          lei: null,
          uscc: null,
        }
      : { error: `"${t}" looks like an ISIN but its check digit is wrong` };
  const ticker = tickerOf(t);
  if (ticker)
    return {
      name: null,
      normalized: null,
      isin: null,
      ticker: ticker.symbol,
      exchange: ticker.exchange,
      lei: null,
      uscc: null,
    };
  const normalized = normalizeName(t);
  if (!normalized) return { error: `"${t}" has no letters or digits` };
  // One generic word ("Holdings", "9187629") matches nothing; several may be a whole name (AVIC's).
  if (isGeneric(normalized) && !normalized.includes(' '))
    return {
      error: `"${t}" is not an ISIN, a ticker with its exchange (CHL US), or a company name distinctive enough to match; give one of those`,
    };
  return { name: t, normalized, isin: null, ticker: null, exchange: null, lei: null, uscc: null };
}

const holdingLabel = (h: ExposureEntry['holding']) =>
  h.name ?? h.isin ?? [h.ticker, h.exchange].filter(Boolean).join(' ');

function line(e: ExposureEntry): string {
  const dates = bindingDates(e);
  const when =
    e.standing === 'removed'
      ? `removed ${e.removedAt?.slice(0, 10)}`
      : e.listedOn
        ? `listed ${e.listedOn}`
        : null;
  return [
    `${holdingLabel(e.holding)} → ${e.entity} (${e.list})`,
    when,
    dates,
    e.citation,
    `${e.because}`,
    e.url,
  ]
    .filter(Boolean)
    .join(' · ');
}

function heldLine(h: Holding): string {
  const ids = [
    h.isin,
    h.ticker ? [h.ticker, h.exchange].filter(Boolean).join(' ') : null,
    h.lei ? `LEI ${h.lei}` : null,
    h.uscc ? `USCC ${h.uscc}` : null,
  ].filter(Boolean);
  return [`#${h.id} ${h.name ?? ids[0] ?? ''}`, ...(h.name ? ids : ids.slice(1))].join(' · ');
}

function* exposureReplySteps(
  ctx: CommandContext,
  verb: string,
  lead = '',
  listHoldings = true,
): Steps<Reply> {
  const holdings: Holding[] = [];
  // In pages: 50,000 rows read at once hold the event loop ~0.16 s.
  for (
    let page = channelHoldingsPage(ctx.db, ctx.channel, 0, PAGE);
    page.length;
    page = channelHoldingsPage(ctx.db, ctx.channel, page[page.length - 1]!.id, PAGE)
  ) {
    holdings.push(...page);
    yield;
  }
  const exposure = yield* exposureSteps(ctx.db, ctx.matcher, holdings);
  const of = (s: ExposureEntry['standing']) => exposure.filter((e) => e.standing === s);
  const listedHoldings = new Set(of('listed').map((e) => e.holding.id)).size;
  const { freshness } = listScope(ctx);
  const sections: ReplySection[] = notCurrentSection(freshness);
  const add = (title: string, entries: ExposureEntry[]) => {
    if (entries.length)
      sections.push({
        title,
        fields: [],
        lines: entries
          .slice(0, 50)
          .map(line)
          .concat(entries.length > 50 ? [`and ${entries.length - 50} more (--json for all)`] : []),
      });
  };
  add('On a tracked list now', of('listed'));
  add('Linked to a listed entity (parent or subsidiary)', of('linked'));
  add('Check: matched by a weak name score only', of('check'));
  add('Removed from a list', of('removed'));
  // What the channel holds, with the ids `portfolio remove` takes (not after an import or an add,
  // which answer in the channel: the team just gave the list).
  if (listHoldings && holdings.length) {
    sections.push({
      title: `This channel's holdings (${holdings.length})`,
      fields: [],
      lines: holdings
        .slice(0, 50)
        .map(heldLine)
        .concat(holdings.length > 50 ? [`and ${holdings.length - 50} more (--json for all)`] : []),
    });
  }
  const summary =
    holdings.length === 0
      ? `${lead}This channel holds nothing yet: /sanctions portfolio add <ISIN | ticker EXCH | name>, or sanctions-radar portfolio import FILE --channel ${ctx.channel}.`
      : `${lead}${listedHoldings} of this channel's ${holdings.length} holding${holdings.length === 1 ? '' : 's'} ${listedHoldings === 1 ? 'is' : 'are'} on a tracked list now${of('linked').length ? `; ${new Set(of('linked').map((e) => e.holding.id)).size} linked to one` : ''}${of('check').length ? `; ${new Set(of('check').map((e) => e.holding.id)).size} to check` : ''}${asOfClause(freshness)}.`;
  const held = holdings.map((h) => ({
    id: h.id,
    name: h.name,
    isin: h.isin,
    ticker: h.ticker,
    exchange: h.exchange,
    lei: h.lei,
    uscc: h.uscc,
  }));
  return {
    verb,
    ok: true,
    visibility: 'private',
    summary,
    sections,
    data: {
      channel: ctx.channel,
      holdings: holdings.length,
      held,
      exposure,
      asOf: freshness.asOf,
      notCurrent: freshness.behind,
    },
  };
}

/** A channel's holdings limit when the settings do not say: every daemon step stays bounded by it. */
export const DEFAULT_MAX_HOLDINGS = 50_000;

/** Adds holdings and answers with the exposure at once: a new portfolio may already hold listed names. */
export function addHoldingsReply(
  ctx: CommandContext,
  holdings: HoldingInput[],
  what: string,
  warnings: string[] = [],
): Reply {
  return drain(addHoldingsSteps(ctx, holdings, what, warnings));
}

function* addHoldingsSteps(
  ctx: CommandContext,
  holdings: HoldingInput[],
  what: string,
  warnings: string[] = [],
): Steps<Reply> {
  const max = ctx.maxHoldings ?? DEFAULT_MAX_HOLDINGS;
  const { added, existing, over } = addHoldings(
    ctx.db,
    ctx.channel,
    holdings,
    (ctx.now?.() ?? new Date()).toISOString(),
    max,
  );
  if (over) {
    return usage(
      'portfolio',
      `${what}: nothing added. This channel holds ${over.held} holdings, and ${over.adding} more would pass its limit of ${max} (SANCTIONS_RADAR_MAX_HOLDINGS); remove some first (portfolio remove), or ask the operator to raise the limit.`,
    );
  }
  indexFollows(ctx.db);
  const lead = `${what}: ${added} holding${added === 1 ? '' : 's'} added${existing ? `, ${existing} already held` : ''}${warnings.length ? `, ${warnings.length} row${warnings.length === 1 ? '' : 's'} skipped or partly read` : ''}. `;
  yield;
  const reply = yield* exposureReplySteps(ctx, 'portfolio', lead, false);
  if (warnings.length)
    reply.sections.push({
      title: 'Rows read with a problem',
      fields: [],
      lines: warnings
        .slice(0, 20)
        .concat(warnings.length > 20 ? [`and ${warnings.length - 20} more`] : []),
    });
  return {
    ...reply,
    visibility: 'channel',
    data: { ...(reply.data as object), added, existing, warnings },
  };
}

/** The `portfolio` verb, in steps (a report over 50,000 holdings takes ~0.6 s). */
export function* portfolio(args: ParsedArgs, ctx: CommandContext): Steps<Reply> {
  const [sub, ...rest] = args.positional;
  const text = rest.join(' ').trim();
  if (!sub) return yield* exposureReplySteps(ctx, 'portfolio');
  if (sub.toLowerCase() === 'add') {
    if (!text)
      return usage('portfolio', `${USAGE} (give an ISIN, a ticker with its exchange, or a name)`);
    const h = holdingFromText(text);
    if ('error' in h) return usage('portfolio', `${USAGE} (${h.error})`);
    return yield* addHoldingsSteps(ctx, [h], `Added "${text.slice(0, 80)}"`);
  }
  if (sub.toLowerCase() === 'remove') {
    if (!text) return usage('portfolio', `${USAGE} (say which holding)`);
    const n = removeHoldings(ctx.db, ctx.channel, text, normalizeName(text));
    return n
      ? {
          verb: 'portfolio',
          ok: true,
          visibility: 'channel',
          summary: `Removed ${n} holding${n === 1 ? '' : 's'} matching "${text.slice(0, 80)}" from this channel.`,
          sections: [],
          data: { removed: n },
        }
      : usage(
          'portfolio',
          `No holding of this channel matches "${text.slice(0, 80)}"; /sanctions portfolio lists them.`,
        );
  }
  return usage('portfolio', `${USAGE} (unknown "${sub.slice(0, 20)}")`);
}
