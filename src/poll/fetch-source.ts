// Fetches every URL of a source with its stored validators. A source with companions (OFAC's
// four files) is all-or-nothing: one failed file fails the poll, and when some files changed the
// unchanged ones are fetched again in full, because the parser needs all of them.
import type { Db } from '../../db/database.js';
import { documentText } from '../../db/document-texts.js';
import { getValidators, type Validators } from '../../db/source-state.js';
import type { EvidenceFile } from '../../db/evidence.js';
import type { SourceConfig } from '../domain.js';
import { fetchBody, type FetchOptions } from '../fetch/fetch-body.js';
import { KINDS, type Bodies, type SourceUrls } from '../sources/kinds.js';

export type SourceFetch =
  | { status: 'not-modified' }
  | { status: 'error'; reason: string }
  | {
      status: 'ok';
      bodies: Bodies;
      digests: Record<string, string>;
      validators: Map<string, Validators>;
      files: EvidenceFile[];
    };

export type FetchSettings = Omit<FetchOptions, 'etag' | 'lastModified'>;

export async function fetchSource(
  db: Db,
  cfg: SourceConfig,
  opts: FetchSettings,
): Promise<SourceFetch> {
  const urls = Object.entries(KINDS[cfg.kind].urls(cfg));
  // Some servers want a particular client: a source may carry its own User-Agent.
  if (typeof cfg.options.userAgent === 'string' && cfg.options.userAgent.trim())
    opts = { ...opts, userAgent: cfg.options.userAgent.trim() };
  const fallback = KINDS[cfg.kind].fallbackUrl;
  // A file whose address fails is asked at the publisher's other address, if it has one.
  const fetchOne = async (url: string) => {
    const r = await fetchBody(url, { ...opts, ...getValidators(db, cfg.id, url) });
    const alt = r.status === 'error' ? fallback?.(url) : null;
    if (r.status !== 'error' || !alt) return { url, r };
    const second = await fetchBody(alt, { ...opts, ...getValidators(db, cfg.id, alt) });
    return second.status === 'error'
      ? { url, r: { ...second, reason: `${r.reason}; and at ${alt}: ${second.reason}` } }
      : { url: alt, r: second };
  };
  const answered = await Promise.all(urls.map(([, url]) => fetchOne(url)));
  const first = answered.map((a) => a.r);
  const failed = first.find((r) => r.status === 'error');
  if (failed && failed.status === 'error') return { status: 'error', reason: failed.reason };
  if (first.every((r) => r.status === 'not-modified')) return { status: 'not-modified' };

  const bodies: Bodies = {};
  const digests: Record<string, string> = {};
  const validators = new Map<string, Validators>();
  const files: EvidenceFile[] = [];
  for (let i = 0; i < urls.length; i++) {
    const name = urls[i]![0];
    const url = answered[i]!.url;
    let r = first[i]!;
    if (r.status === 'not-modified') r = await fetchBody(url, opts);
    if (r.status === 'error') return { status: 'error', reason: r.reason };
    if (r.status === 'not-modified')
      return {
        status: 'error',
        reason: `${url} answered 304 Not Modified to an unconditional request`,
      };
    // Read (and joined from its chunks) only if the parser needs it: not when the digest is the same.
    Object.defineProperty(bodies, name, { get: () => r.body, enumerable: true });
    digests[name] = r.digest;
    validators.set(url, { etag: r.etag, lastModified: r.lastModified });
    files.push({
      name,
      url,
      etag: r.etag,
      lastModified: r.lastModified,
      sha256: r.digest,
      body: () => r.body,
    });
  }
  return { status: 'ok', bodies, digests, validators, files };
}

/** A document fetched for the first time, to keep once the poll that read it is committed. */
export interface NewDocument {
  url: string;
  body: Uint8Array;
}

export type FollowFetch =
  | { status: 'error'; reason: string }
  | { status: 'ok'; bodies: Bodies; fresh: NewDocument[]; warnings: string[] };

/**
 * The documents a source's answer points to (KindSpec.follow): each from the kept copy when there
 * is one, else downloaded, one after another (a first poll reads a dozen; later polls one new one
 * at most). Any that cannot be read fails the poll: a list built without it would be wrong.
 */
export async function fetchFollowed(
  db: Db,
  cfg: SourceConfig,
  wanted: SourceUrls,
  opts: FetchSettings,
  optional = false,
): Promise<FollowFetch> {
  if (typeof cfg.options.userAgent === 'string' && cfg.options.userAgent.trim())
    opts = { ...opts, userAgent: cfg.options.userAgent.trim() };
  const bodies: Bodies = {};
  const fresh: NewDocument[] = [];
  const warnings: string[] = [];
  for (const [name, url] of Object.entries(wanted)) {
    const kept = documentText(db, cfg.id, url);
    if (kept) {
      bodies[name] = kept;
      continue;
    }
    const r = await fetchBody(url, opts);
    const problem =
      r.status === 'error'
        ? r.reason
        : r.status === 'not-modified'
          ? 'answered 304 Not Modified to an unconditional request'
          : null;
    if (problem !== null) {
      const what = `could not read ${name.replace(/^(?:notice|text):/, 'document ')} (${url}): ${problem}`;
      if (!optional) return { status: 'error', reason: what };
      warnings.push(`${what}; it was read by title and abstract`);
      continue;
    }
    if (r.status !== 'ok') continue;
    bodies[name] = r.body;
    fresh.push({ url, body: r.body });
  }
  return { status: 'ok', bodies, fresh, warnings };
}
