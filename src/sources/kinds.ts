// What each source kind fetches and how it parses. One entry per kind; the poller knows nothing
// about formats.
import type { SourceConfig, SourceKind, Snapshot } from '../domain.js';
import type { CsvColumns } from './generic-csv.js';
import { dod1260hSearchUrl, federalRegisterUrl, sameSite } from './federal-register-query.js';
import { unknownKey } from '../config/nearest.js';

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
  /** The options of this kind; with the ones every kind or every feed takes, all a source may carry. */
  options: readonly string[];
  /**
   * Feeds: entries only ever added, polled every 15 minutes by default, filtered by the feed
   * options. Else a list, diffed whole: large files at a fixed address.
   */
  feed?: boolean;
  /** Feeds of court entries: by default only entries that name someone or a followed case alert. */
  court?: boolean;
  /**
   * A feed of which most entries are no one's news (the public inspection desk): by default only
   * entries about the lists, or that name a tracked or followed company, alert.
   */
  quiet?: boolean;
  /**
   * Documents the first answer points to that the parser needs too (the 1260H notices' texts),
   * by body name. Published documents never change: each is fetched once and kept.
   */
  follow?(
    bodies: Bodies,
    cfg: SourceConfig,
    known: (guids: string[]) => Set<string>,
  ): Promise<SourceUrls>;
  /** A followed document that cannot be read is left out with a warning, not a failed poll. */
  followOptional?: boolean;
  /** Where to download a file from when its address fails (OFAC's older export path). */
  fallbackUrl?: (url: string) => string | null;
  /** The publisher's list of publications (`publicationsUrl` option), asked before downloading. */
  publications?(cfg: SourceConfig): string | null;
}

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v.length > 0 ? v : undefined;
const listOpt = (cfg: SourceConfig) => str(cfg.options.list);

const ofacCompanions = ['altUrl', 'addUrl', 'commentsUrl'] as const;

/** OFAC's documented download path redirects to a signed copy; the older export path stays as a fallback. */
const ofacFallback = (url: string): string | null =>
  url.includes('/api/download/')
    ? url.replace('/api/download/', '/api/PublicationPreview/exports/')
    : null;
const publicationsOption = (cfg: SourceConfig): string | null =>
  str(cfg.options.publicationsUrl) ?? null;

export const KINDS: Record<SourceKind, KindSpec> = {
  'ofac-csv': {
    options: ['altUrl', 'addUrl', 'commentsUrl', 'list', 'consolidated', 'publicationsUrl'],
    fallbackUrl: ofacFallback,
    publications: publicationsOption,
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
        {
          list: listOpt(cfg),
          consolidated: cfg.options.consolidated === true || /cons_prim/i.test(cfg.url),
        },
      ),
    validate: () => [],
  },
  'ofac-xml': {
    options: ['list', 'publicationsUrl'],
    fallbackUrl: ofacFallback,
    publications: publicationsOption,
    urls: (cfg) => ({ main: cfg.url }),
    parse: async (b, cfg) =>
      (await import('./ofac-xml.js')).parseOfacXml(b.main!, { list: listOpt(cfg) }),
    validate: () => [],
  },
  csl: {
    options: [],
    urls: (cfg) => ({ main: cfg.url }),
    parse: async (b) => (await import('./csl.js')).parseCsl(b.main!),
    validate: () => [],
  },
  'opensanctions-csv': {
    options: ['list'],
    urls: (cfg) => ({ main: cfg.url }),
    parse: async (b, cfg) =>
      (await import('./opensanctions-csv.js')).parseOpenSanctionsCsv(b.main!, {
        list: listOpt(cfg),
      }),
    validate: () => [],
  },
  csv: {
    options: ['list', 'columns', 'separator'],
    urls: (cfg) => ({ main: cfg.url }),
    parse: async (b, cfg) =>
      (await import('./generic-csv.js')).parseGenericCsv(b.main!, {
        list: listOpt(cfg) ?? cfg.label ?? cfg.id,
        columns: cfg.options.columns as CsvColumns,
        separator: str(cfg.options.separator),
      }),
    validate: (cfg) => {
      const cols = cfg.options.columns as Record<string, unknown> | undefined;
      if (!cols || typeof cols !== 'object')
        return ['needs "columns": { "name": "<header of the name column>", ... }'];
      const bad = Object.entries(cols)
        .filter(([, v]) => typeof v !== 'string')
        .map(([k]) => k);
      const problems = bad.length
        ? [`"columns" values must be header names (strings): ${bad.join(', ')}`]
        : [];
      for (const k of Object.keys(cols))
        if (!(CSV_COLUMNS as readonly string[]).includes(k))
          problems.push(unknownKey(`columns.${k}`, k, CSV_COLUMNS));
      if (typeof cols.name !== 'string') problems.push('"columns.name" is required');
      if (!listOpt(cfg))
        problems.push('needs "list": the name to show for this list, e.g. "DoD 1260H"');
      return problems;
    },
  },
  rss: {
    options: [],
    urls: (cfg) => ({ main: cfg.url }),
    parse: async (b) => (await import('./rss.js')).parseRss(b.main!),
    validate: () => [],
    feed: true,
  },
  pacer: {
    options: ['court'],
    urls: (cfg) => ({ main: cfg.url }),
    parse: async (b, cfg) =>
      (await import('./pacer.js')).parsePacer(b.main!, { court: str(cfg.options.court) }),
    validate: (cfg) =>
      cfg.options.court !== undefined && !/^[a-z0-9]{2,8}$/i.test(str(cfg.options.court) ?? '')
        ? ['"court" must be a PACER court id such as dcd, nysd or cadc']
        : [],
    feed: true,
    court: true,
  },
  courtlistener: {
    options: ['court', 'docket', 'caseName'],
    urls: (cfg) => ({ main: cfg.url }),
    parse: async (b, cfg) =>
      (await import('./courtlistener.js')).parseCourtListenerFeed(b.main!, {
        court: str(cfg.options.court),
        docket: str(cfg.options.docket),
        caseName: str(cfg.options.caseName),
      }),
    validate: () => [],
    feed: true,
    court: true,
  },
  'federal-register': {
    options: ['agencies', 'types', 'term', 'perPage'],
    urls: (cfg) => ({ main: federalRegisterUrl(cfg) }),
    // The full text of each new labelled document (Entity List, MEU, UVL, UFLPA, 1260H), where
    // the names stand; other documents are read by title and abstract.
    follow: async (b, cfg, known) =>
      (await import('./federal-register.js')).textsToRead(b.main!, cfg.url, known),
    followOptional: true,
    parse: async (b) => (await import('./federal-register.js')).parseFederalRegister(b.main!, b),
    validate: (cfg) => {
      const problems: string[] = [];
      if (!/^https?:/.test(cfg.url) || !/\/documents\.json/.test(cfg.url))
        problems.push(
          '"url" must be the API documents.json, e.g. https://www.federalregister.gov/api/v1/documents.json',
        );
      for (const k of ['agencies', 'types'] as const) {
        const v = cfg.options[k];
        if (v !== undefined && !(Array.isArray(v) && v.every((x) => typeof x === 'string')))
          problems.push(`"${k}" must be a list of strings`);
      }
      return problems;
    },
    feed: true,
  },
  'federal-register-inspection': {
    options: ['agencies'],
    urls: (cfg) => ({ main: cfg.url }),
    follow: async (b, cfg, known) =>
      (await import('./public-inspection.js')).inspectionTextsToRead(b.main!, cfg.url, known),
    followOptional: true,
    parse: async (b, cfg) =>
      (await import('./public-inspection.js')).parsePublicInspection(b.main!, b, {
        agencies: cfg.options.agencies as string[] | undefined,
      }),
    quiet: true,
    validate: (cfg) => {
      const problems: string[] = [];
      if (!/^(https?|file):/.test(cfg.url) || !/public-inspection-documents/.test(cfg.url))
        problems.push(
          '"url" must be the API\'s public inspection list, e.g. https://www.federalregister.gov/api/v1/public-inspection-documents/current.json',
        );
      const v = cfg.options.agencies;
      if (v !== undefined && !(Array.isArray(v) && v.every((x) => typeof x === 'string')))
        problems.push('"agencies" must be a list of strings');
      return problems;
    },
    feed: true,
  },
  'dod-1260h': {
    options: [],
    urls: (cfg) => ({ main: dod1260hSearchUrl(cfg) }),
    follow: async (b, cfg) => {
      const { listNotices, noticeBody } = await import('./dod-1260h.js');
      // A mirror or test server answers with federalregister.gov links: read them from it too.
      return Object.fromEntries(
        listNotices(b.main!).map((n) => [
          noticeBody(n.documentNumber),
          sameSite(n.textUrl, cfg.url),
        ]),
      );
    },
    parse: async (b) => (await import('./dod-1260h.js')).parseDod1260h(b),
    validate: (cfg) =>
      !/^(https?|file):/.test(cfg.url) || !/\/documents\.json/.test(cfg.url)
        ? [
            '"url" must be the Federal Register API documents.json, e.g. https://www.federalregister.gov/api/v1/documents.json',
          ]
        : [],
  },
};

/** The kinds that are feeds (entries only added), the others being lists. */
export const FEED_KINDS: readonly SourceKind[] = (Object.keys(KINDS) as SourceKind[]).filter(
  (k) => KINDS[k].feed,
);

/** Options every kind takes: a User-Agent of its own, a cap on its alerts per poll. */
export const COMMON_OPTIONS = ['userAgent', 'maxAlerts'] as const;
/** Options every feed kind takes besides: which items become alerts, how many a poll takes. */
export const FEED_OPTIONS = ['alert', 'include', 'exclude', 'maxItems'] as const;
/** The columns a `csv` source may map to header names. */
export const CSV_COLUMNS = [
  'name',
  'key',
  'aliases',
  'programs',
  'countries',
  'addresses',
  'listedOn',
  'endedOn',
  'citation',
  'url',
  'remarks',
  'type',
] as const;

/** Every option a source of this kind may carry. */
export function optionsOf(kind: SourceKind): string[] {
  return [...KINDS[kind].options, ...COMMON_OPTIONS, ...(KINDS[kind].feed ? FEED_OPTIONS : [])];
}

/** Options every feed kind takes: which items become alerts. */
export function feedFilterProblems(cfg: SourceConfig): string[] {
  const problems: string[] = [];
  const alert = cfg.options.alert;
  if (alert !== undefined && alert !== 'all' && alert !== 'mentions')
    problems.push('"alert" must be "all" or "mentions"');
  for (const k of ['include', 'exclude'] as const) {
    const v = cfg.options[k];
    if (
      v !== undefined &&
      !(Array.isArray(v) && v.every((x) => typeof x === 'string' && x.trim().length > 0))
    )
      problems.push(`"${k}" must be a list of words or phrases`);
  }
  return problems;
}
