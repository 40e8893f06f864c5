// What each source kind fetches and how it parses. One entry per kind; the poller knows nothing
// about formats.
import type { SourceConfig, SourceKind, Snapshot } from '../domain.js';
import { parseCsl } from './csl.js';
import { parseGenericCsv, type CsvColumns } from './generic-csv.js';
import { parseOfacCsv } from './ofac-csv.js';
import { parseOfacXml } from './ofac-xml.js';
import { parseOpenSanctionsCsv } from './opensanctions-csv.js';
import { parseRss } from './rss.js';

/** Named URLs of one source: `main` always, companions for OFAC CSV. */
export type SourceUrls = Record<string, string>;
export type Bodies = Record<string, Uint8Array>;

export interface KindSpec {
  urls(cfg: SourceConfig): SourceUrls;
  parse(bodies: Bodies, cfg: SourceConfig): Snapshot | Promise<Snapshot>;
  /** Checks kind-specific options; returns problems in words. */
  validate(cfg: SourceConfig): string[];
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
    parse: (b, cfg) =>
      parseOfacCsv(
        { primary: b.main!, alt: b.altUrl, add: b.addUrl, comments: b.commentsUrl },
        // CONS_PRIM holds several non-SDN lists; the file name tells which layout it is.
        { list: listOpt(cfg), consolidated: cfg.options.consolidated === true || /cons_prim/i.test(cfg.url) },
      ),
    validate: () => [],
  },
  'ofac-xml': {
    urls: (cfg) => ({ main: cfg.url }),
    parse: (b, cfg) => parseOfacXml(b.main!, { list: listOpt(cfg) }),
    validate: () => [],
  },
  csl: {
    urls: (cfg) => ({ main: cfg.url }),
    parse: (b) => parseCsl(b.main!),
    validate: () => [],
  },
  'opensanctions-csv': {
    urls: (cfg) => ({ main: cfg.url }),
    parse: (b, cfg) => parseOpenSanctionsCsv(b.main!, { list: listOpt(cfg) }),
    validate: () => [],
  },
  csv: {
    urls: (cfg) => ({ main: cfg.url }),
    parse: (b, cfg) =>
      parseGenericCsv(b.main!, {
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
    parse: (b) => parseRss(b.main!),
    validate: () => [],
  },
};
