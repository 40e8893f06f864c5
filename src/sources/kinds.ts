// What each source kind fetches and how it parses. One entry per kind; the poller knows nothing
// about formats.
import type { SourceConfig, SourceKind, Snapshot } from '../domain.js';
import type { CsvColumns } from './generic-csv.js';
import { federalRegisterUrl } from './federal-register-query.js';

// Each parser is imported when its kind first parses: the XML and HTML stacks of the feed parsers
// cost ~85 ms of start-up, which a `lookup`, or a `poll` of CSV lists only, should not pay. The
// registry itself is read by the configuration check of every command.

/** Named URLs of one source: `main` always, companions for OFAC CSV. */
export type SourceUrls = Record<string, string>;
export type Bodies = Record<string, Uint8Array>;

export interface KindSpec {
  urls(cfg: SourceConfig): SourceUrls;
  parse(bodies: Bodies, cfg: SourceConfig): Promise<Snapshot>;
  /** Checks kind-specific options; returns problems in words. */
  validate(cfg: SourceConfig): string[];
  /**
   * Feeds: entries only ever added, polled every 15 minutes by default, filtered by the feed
   * options. Else a list, diffed whole: large files at a fixed address.
   */
  feed?: boolean;
  /** Feeds of court entries: by default only entries that name someone or a followed case alert. */
  court?: boolean;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const listOpt = (cfg: SourceConfig) => str(cfg.options.list);

const ofacCompanions = ['altUrl', 'addUrl', 'commentsUrl'] as const;

export const KINDS: Record<SourceKind, KindSpec> = {
  'ofac-csv': {
    urls: (cfg) => {
      const urls: SourceUrls = { main: cfg.url };
      for (const k of ofacCompanions) {
        const u = str(cfg.options[k]);
        if (u) urls[k] = u;
      }
      return urls;
    },
    parse: async (b, cfg) =>
      (await import('./ofac-csv.js')).parseOfacCsv(
        { primary: b.main!, alt: b.altUrl, add: b.addUrl, comments: b.commentsUrl },
        // CONS_PRIM holds several non-SDN lists; the file name tells which layout it is.
        { list: listOpt(cfg), consolidated: cfg.options.consolidated === true || /cons_prim/i.test(cfg.url) },
      ),
    validate: () => [],
  },
  'ofac-xml': {
    urls: (cfg) => ({ main: cfg.url }),
    parse: async (b, cfg) => (await import('./ofac-xml.js')).parseOfacXml(b.main!, { list: listOpt(cfg) }),
    validate: () => [],
  },
  csl: {
    urls: (cfg) => ({ main: cfg.url }),
    parse: async (b) => (await import('./csl.js')).parseCsl(b.main!),
    validate: () => [],
  },
  'opensanctions-csv': {
    urls: (cfg) => ({ main: cfg.url }),
    parse: async (b, cfg) => (await import('./opensanctions-csv.js')).parseOpenSanctionsCsv(b.main!, { list: listOpt(cfg) }),
    validate: () => [],
  },
  csv: {
    urls: (cfg) => ({ main: cfg.url }),
    parse: async (b, cfg) =>
      (await import('./generic-csv.js')).parseGenericCsv(b.main!, {
        list: listOpt(cfg) ?? cfg.label ?? cfg.id,
        columns: cfg.options.columns as CsvColumns,
        separator: str(cfg.options.separator),
      }),
    validate: (cfg) => {
      const cols = cfg.options.columns as Record<string, unknown> | undefined;
      if (!cols || typeof cols !== 'object') return ['needs "columns": { "name": "<header of the name column>", ... }'];
      const bad = Object.entries(cols).filter(([, v]) => typeof v !== 'string').map(([k]) => k);
      const problems = bad.length ? [`"columns" values must be header names (strings): ${bad.join(', ')}`] : [];
      if (typeof cols.name !== 'string') problems.push('"columns.name" is required');
      if (!listOpt(cfg)) problems.push('needs "list": the name to show for this list, e.g. "DoD 1260H"');
      return problems;
    },
  },
  rss: {
    urls: (cfg) => ({ main: cfg.url }),
    parse: async (b) => (await import('./rss.js')).parseRss(b.main!),
    validate: () => [],
    feed: true,
  },
  pacer: {
    urls: (cfg) => ({ main: cfg.url }),
    parse: async (b, cfg) => (await import('./pacer.js')).parsePacer(b.main!, { court: str(cfg.options.court) }),
    validate: (cfg) => (cfg.options.court !== undefined && !/^[a-z0-9]{2,8}$/i.test(String(cfg.options.court)) ? ['"court" must be a PACER court id such as dcd, nysd or cadc'] : []),
    feed: true,
    court: true,
  },
  courtlistener: {
    urls: (cfg) => ({ main: cfg.url }),
    parse: async (b, cfg) => (await import('./courtlistener.js')).parseCourtListenerFeed(b.main!, { court: str(cfg.options.court), docket: str(cfg.options.docket), caseName: str(cfg.options.caseName) }),
    validate: () => [],
    feed: true,
    court: true,
  },
  'federal-register': {
    urls: (cfg) => ({ main: federalRegisterUrl(cfg) }),
    parse: async (b) => (await import('./federal-register.js')).parseFederalRegister(b.main!),
    validate: (cfg) => {
      const problems: string[] = [];
      if (!/^https?:/.test(cfg.url) || !/\/documents\.json/.test(cfg.url)) problems.push('"url" must be the API documents.json, e.g. https://www.federalregister.gov/api/v1/documents.json');
      for (const k of ['agencies', 'types'] as const) {
        const v = cfg.options[k];
        if (v !== undefined && !(Array.isArray(v) && v.every((x) => typeof x === 'string'))) problems.push(`"${k}" must be a list of strings`);
      }
      return problems;
    },
    feed: true,
  },
};

/** The kinds that are feeds (entries only added), the others being lists. */
export const FEED_KINDS: readonly SourceKind[] = (Object.keys(KINDS) as SourceKind[]).filter((k) => KINDS[k].feed);

/** Options every feed kind takes: which items become alerts. */
export function feedFilterProblems(cfg: SourceConfig): string[] {
  const problems: string[] = [];
  const alert = cfg.options.alert;
  if (alert !== undefined && alert !== 'all' && alert !== 'mentions') problems.push('"alert" must be "all" or "mentions"');
  for (const k of ['include', 'exclude'] as const) {
    const v = cfg.options[k];
    if (v !== undefined && !(Array.isArray(v) && v.every((x) => typeof x === 'string' && x.trim().length > 0))) problems.push(`"${k}" must be a list of words or phrases`);
  }
  return problems;
}
