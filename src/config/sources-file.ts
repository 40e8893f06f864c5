// Reads and checks the sources file (JSON or YAML). Every mistake is reported with the source it
// belongs to, all at once, so a user fixes the file in one go.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import cron from 'node-cron';
import { createRequire } from 'node:module';
import { ConfigError } from './errors.js';
import { SOURCE_KINDS, type SourceConfig, type SourceKind } from '../domain.js';
import { feedFilterProblems, KINDS, optionsOf } from '../sources/kinds.js';
import { unknownKey } from './nearest.js';
import { FEDERAL_REGISTER_API } from './settings.js';

// The YAML parser is ~70 modules: loaded only for a YAML sources file, not for every command.
const yaml = () => createRequire(import.meta.url)('yaml') as typeof import('yaml');

export const DEFAULT_SOURCES_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  'default-sources.json',
);

const COMMON = new Set(['id', 'kind', 'url', 'label', 'schedule', 'maxShrink', 'confirmPolls']);
const ID = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

export function parseSourcesDocument(text: string, origin: string): SourceConfig[] {
  let doc: unknown;
  try {
    doc = /\.ya?ml$/i.test(origin) ? yaml().parse(text) : JSON.parse(text);
  } catch (err) {
    throw new ConfigError(
      `${origin}: cannot be read as ${/\.ya?ml$/i.test(origin) ? 'YAML' : 'JSON'}: ${(err as Error).message.split('\n')[0]}`,
    );
  }
  const list = Array.isArray(doc) ? doc : (doc as { sources?: unknown } | null)?.sources;
  if (!Array.isArray(list)) throw new ConfigError(`${origin}: expected {"sources": [ ... ]}`);
  const problems: string[] = [];
  const seen = new Set<string>();
  const out: SourceConfig[] = [];
  list.forEach((raw: Record<string, unknown>, i: number) => {
    const where = `source #${i + 1}${typeof raw?.id === 'string' ? ` ("${raw.id}")` : ''}`;
    const bad = (msg: string) => problems.push(`${where}: ${msg}`);
    if (!raw || typeof raw !== 'object') return bad('is not an object');
    const { id, kind, url, label, schedule, maxShrink, confirmPolls } = raw;
    if (typeof id !== 'string' || !ID.test(id))
      return bad('"id" must be letters, digits, ".", "_" or "-"');
    if (seen.has(id)) return bad('"id" is used twice');
    seen.add(id);
    if (!SOURCE_KINDS.includes(kind as SourceKind))
      return bad(`"kind" must be one of ${SOURCE_KINDS.join(', ')}`);
    if (typeof url !== 'string' || !/^(https?|file):/.test(url))
      return bad('"url" must be an http(s):// or file: URL');
    if (schedule !== undefined && (typeof schedule !== 'string' || !cron.validate(schedule)))
      return bad(
        `"schedule" is not a valid cron expression: ${typeof schedule === 'string' ? schedule : JSON.stringify(schedule)}`,
      );
    if (
      maxShrink !== undefined &&
      (typeof maxShrink !== 'number' || maxShrink < 0 || maxShrink > 1)
    )
      return bad('"maxShrink" must be a number from 0 to 1');
    if (
      confirmPolls !== undefined &&
      (!Number.isInteger(confirmPolls) || (confirmPolls as number) < 0)
    )
      return bad('"confirmPolls" must be a whole number (0 = only an operator may accept)');
    const options = Object.fromEntries(Object.entries(raw).filter(([k]) => !COMMON.has(k)));
    const known = optionsOf(kind as SourceKind);
    for (const k of Object.keys(options))
      if (!known.includes(k)) bad(unknownKey(k, k, [...COMMON, ...known]));
    for (const [k, v] of Object.entries(options)) {
      if (k.endsWith('Url') && (typeof v !== 'string' || !/^(https?|file):/.test(v)))
        bad(`"${k}" must be an http(s):// or file: URL`);
      // A limit mistyped ("50", 0) would otherwise fall back to the default without a word.
      if ((k === 'maxAlerts' || k === 'maxItems') && (!Number.isInteger(v) || (v as number) < 1))
        bad(`"${k}" must be a whole number of at least 1`);
    }
    const cfg: SourceConfig = {
      id,
      kind: kind as SourceKind,
      url,
      label: typeof label === 'string' ? label : undefined,
      schedule: schedule ?? (KINDS[kind as SourceKind].feed ? '*/15 * * * *' : '0 * * * *'),
      options,
      maxShrink: maxShrink,
      confirmPolls: confirmPolls as number | undefined,
    };
    for (const p of KINDS[cfg.kind].validate(cfg)) bad(p);
    if (KINDS[cfg.kind].feed) for (const p of feedFilterProblems(cfg)) bad(p);
    out.push(cfg);
  });
  if (problems.length) throw new ConfigError(`${origin}: ${problems.join('; ')}`);
  if (out.length === 0) throw new ConfigError(`${origin}: lists no sources`);
  return out;
}

/** Relative file: URLs in a sources file are relative to that file, so a repo can ship its list. */
function resolveFileUrls(sources: SourceConfig[], path: string): SourceConfig[] {
  const base = new URL(`file://${path.startsWith('/') ? '' : `${process.cwd()}/`}${path}`);
  const fix = (u: string) =>
    u.startsWith('file:') && !u.startsWith('file:/') ? new URL(u.slice(5), base).href : u;
  return sources.map((s) => ({
    ...s,
    url: fix(s.url),
    options: Object.fromEntries(
      Object.entries(s.options).map(([k, v]) => [
        k,
        typeof v === 'string' && k.endsWith('Url') ? fix(v) : v,
      ]),
    ),
  }));
}

/** Sources on the Federal Register API read from `base` instead: a mirror, or a test server. */
function onFederalRegister(sources: SourceConfig[], base: string): SourceConfig[] {
  if (base === FEDERAL_REGISTER_API) return sources;
  return sources.map((s) =>
    s.url.startsWith(`${FEDERAL_REGISTER_API}/`)
      ? { ...s, url: base + s.url.slice(FEDERAL_REGISTER_API.length) }
      : s,
  );
}

export function loadSourcesFile(
  path: string = DEFAULT_SOURCES_FILE,
  opts: { federalRegisterApi?: string } = {},
): SourceConfig[] {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `cannot read the sources file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return onFederalRegister(
    resolveFileUrls(parseSourcesDocument(text, path), path),
    opts.federalRegisterApi ?? FEDERAL_REGISTER_API,
  );
}

export { ConfigError };
