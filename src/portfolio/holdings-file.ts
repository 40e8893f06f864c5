// A holdings file as investment teams export it: CSV with a header row naming some of name, ISIN,
// ticker (with or without its exchange: "CHL US"), exchange, LEI, USCC, in any order and any case,
// separated by commas or semicolons, often with Excel's UTF-8 byte-order mark. Pure.
import type { HoldingInput } from '../../db/holdings.js';
import { isGeneric, normalizeName } from '../names/normalize.js';
import { readCsvRows } from '../sources/csv-rows.js';
import { cleanText } from '../text/clean.js';
import { isValidIsin } from '../sources/identifiers.js';

const COLUMNS: Record<keyof Omit<HoldingInput, 'normalized'>, RegExp> = {
  name: /^(name|company|company name|issuer|issuer name|security|security name|security description|description|holding|instrument)$/,
  isin: /^(isin|isin code)$/,
  ticker: /^(ticker|symbol|ticker symbol|equity ticker|bloomberg ticker)$/,
  exchange: /^(exchange|exchange code|market|listing country)$/,
  lei: /^(lei|legal entity identifier)$/,
  uscc: /^(uscc|unified social credit code)$/,
};

export interface HoldingsFile {
  holdings: HoldingInput[];
  /** Rows skipped, and why, for the reply. */
  warnings: string[];
  /** Which column each field was read from. */
  columns: Partial<Record<keyof typeof COLUMNS, string>>;
}

/** Stands in for a comma inside a semicolon-separated file while it is parsed. */
const HELD = '\u0001';

export class HoldingsFileError extends Error {
  override name = 'HoldingsFileError';
}

/**
 * @param maxRows a channel's holdings limit: a file with more rows is refused after reading one
 *   more than that, not parsed whole (a 1,000,000-row file took 29 s and 1.3 GB).
 */
export function parseHoldingsFile(raw: string, maxRows = Infinity): HoldingsFile {
  const text = raw.replace(/^\uFEFF/, '');
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  // Semicolons (Excel in most of Europe) are read by swapping them with commas around the parse.
  const semicolons = (firstLine.match(/;/g) ?? []).length > (firstLine.match(/,/g) ?? []).length;
  const rows = readCsvRows(
    semicolons ? text.replaceAll(',', HELD).replaceAll(';', ',') : text,
    maxRows + 2,
  ).map((r) => (semicolons ? r.map((f) => f.replaceAll(HELD, ',')) : r));
  const header = rows.shift();
  if (!header) throw new HoldingsFileError('the file is empty');
  if (rows.length > maxRows)
    throw new HoldingsFileError(
      `the file holds more than ${maxRows} rows, and a channel holds at most ${maxRows} holdings (SANCTIONS_RADAR_MAX_HOLDINGS); split it, or raise the limit`,
    );
  const at: Partial<Record<keyof typeof COLUMNS, number>> = {};
  const columns: HoldingsFile['columns'] = {};
  header.forEach((h, i) => {
    const label = h.trim().toLowerCase().replace(/[_-]+/g, ' ');
    for (const [field, re] of Object.entries(COLUMNS) as [keyof typeof COLUMNS, RegExp][]) {
      if (at[field] === undefined && re.test(label)) {
        at[field] = i;
        columns[field] = h.trim();
      }
    }
  });
  if (Object.keys(at).length === 0) {
    throw new HoldingsFileError(
      `no column of the header is a name, ISIN, ticker, LEI or USCC (header: ${header.slice(0, 8).join(', ').slice(0, 200)})`,
    );
  }
  const warnings: string[] = [];
  const holdings: HoldingInput[] = [];
  rows.forEach((row, n) => {
    const get = (f: keyof typeof COLUMNS) =>
      at[f] === undefined ? null : cleanText(row[at[f]] ?? '').trim() || null;
    let isin = get('isin')?.toUpperCase().replace(/\s+/g, '') ?? null;
    if (isin && !isValidIsin(isin)) {
      warnings.push(
        `row ${n + 2}: ISIN "${isin.slice(0, 20)}" fails its check digit; matched by its other columns only`,
      );
      isin = null;
    }
    let ticker = get('ticker')?.toUpperCase() ?? null;
    let exchange = get('exchange')?.toUpperCase() ?? null;
    // "CHL US", "941 HK", "CHL US Equity": the exchange code rides along.
    const t = ticker ? /^(\S+)\s+([A-Z]{2})(?:\s+EQUITY)?$/.exec(ticker) : null;
    if (t) {
      ticker = t[1]!;
      exchange ??= t[2]!;
    }
    const name = get('name');
    const h: HoldingInput = {
      name,
      normalized: name ? normalizeName(name) || null : null,
      isin,
      ticker,
      exchange,
      lei: get('lei')?.toUpperCase() ?? null,
      uscc: get('uscc')?.toUpperCase() ?? null,
    };
    if (!h.name && !h.isin && !h.ticker && !h.lei && !h.uscc) {
      if (row.some((f) => f.trim())) warnings.push(`row ${n + 2}: no name or identifier; skipped`);
      return;
    }
    // Matched by name only, one generic word ("Holdings", a number) matches nothing; several may be
    // a whole name ("Aviation Industry Corporation of China" is AVIC's).
    if (
      !h.isin &&
      !h.ticker &&
      !h.lei &&
      !h.uscc &&
      isGeneric(h.normalized ?? '') &&
      !h.normalized?.includes(' ')
    ) {
      warnings.push(
        `row ${n + 2}: "${h.name!.slice(0, 40)}" has no identifier and no distinctive name to match; skipped`,
      );
      return;
    }
    holdings.push(h);
  });
  return { holdings, warnings, columns };
}
