// One conditional GET. Returns a typed outcome; never throws for network or HTTP trouble.
// Node's own http/https client rather than fetch(): a list is several MB, and fetch hands it over
// through a web stream, a promise per 64 KB chunk, which cost an unchanged poll of the SDN twice
// the download itself (20 ms against 10 for curl on the same loopback). The body is hashed as it
// arrives, in the gaps between chunks, so an unchanged file is known the moment its last byte is in.
import { createHash, type Hash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { fileURLToPath } from 'node:url';
import type { Transform } from 'node:stream';
import { createBrotliDecompress, createGunzip, createInflate, createInflateRaw } from 'node:zlib';
import { describeProxy, proxyAgentFor } from './proxy.js';
import { redactText, redactUrl } from './redact.js';

export interface FetchOptions {
  etag?: string | null;
  lastModified?: string | null;
  timeoutMs: number;
  maxBytes: number;
  userAgent: string;
  /** Tries after the first when the failure may pass (a reset, a 503): 2 unless said. */
  retries?: number;
  /** The wait before the first retry, doubled for each next one, with ±50% jitter: 1,000 ms unless said. */
  retryDelayMs?: number;
}

export type FetchOutcome =
  | {
      status: 'ok';
      body: Uint8Array;
      digest: string;
      etag: string | null;
      lastModified: string | null;
      httpStatus: number;
    }
  | { status: 'not-modified' }
  /** `retryInMs`: the failure may pass (a reset, a 502, a 503), try again after about this long. */
  | { status: 'error'; reason: string; retryInMs?: number };

/**
 * OFAC's Sanctions List Service sits behind a firewall that answers 403 unless the User-Agent
 * starts with "Mozilla/" and a digit and is at least 40 characters long (reported July 2026); this
 * one passes that rule and still says what it is and where to read about it.
 */
export const USER_AGENT =
  'Mozilla/5.0 (compatible; sanctions-radar/0.1; +https://github.com/sanctions-radar/sanctions-radar)';

const MAX_REDIRECTS = 10;
// Idle connections are kept a moment for the files a source fetches together, and never hold a
// finished process open (Node unrefs a free socket).
const agents = {
  'http:': new HttpAgent({ keepAlive: true }),
  'https:': new HttpsAgent({ keepAlive: true }),
};

/** The hash a poll compares: sha256 of the (decoded) body. */
export const digestOf = (body: Uint8Array): string =>
  createHash('sha256').update(body).digest('hex');

class FetchError extends Error {
  constructor(
    message: string,
    readonly transient = false,
  ) {
    super(message);
  }
}

/** Network failures that often pass within seconds: a reset, a refused connection during a restart, DNS for now. */
const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
]);
/** Answers that say "not now" rather than "no": rate limits and a gateway or server in trouble. */
const TRANSIENT_STATUS = new Set([429, 500, 502, 503, 504]);
/** A Retry-After longer than this is the server asking for more patience than one poll has. */
const MAX_RETRY_AFTER_MS = 30_000;

function transientError(err: unknown, timedOut: boolean): boolean {
  if (timedOut) return false; // the poll already waited its whole deadline
  if (err instanceof FetchError) return err.transient;
  return TRANSIENT_CODES.has((err as NodeJS.ErrnoException).code ?? '');
}

/** Retry-After in ms (seconds or an HTTP date), if given and short enough to wait for. */
function retryAfterMs(header: string | undefined): number | null {
  if (!header) return null;
  const ms = /^\d+$/.test(header.trim())
    ? Number(header.trim()) * 1000
    : Date.parse(header) - Date.now();
  return Number.isFinite(ms) ? Math.max(0, ms) : null;
}

const CAUSES: Record<string, string> = {
  ENOTFOUND: 'host not found (DNS failed: no network?)',
  EAI_AGAIN: 'DNS lookup failed for now (no network?)',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'the server closed the connection',
  CERT_HAS_EXPIRED: "the server's TLS certificate has expired",
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: "the server's TLS certificate cannot be verified",
  DEPTH_ZERO_SELF_SIGNED_CERT: "the server's TLS certificate is self-signed",
  ERR_TLS_CERT_ALTNAME_INVALID: "the server's TLS certificate is for another host",
};

function describe(err: unknown, timeoutMs: number, timedOut: boolean): string {
  if (timedOut) return `no complete answer within ${timeoutMs} ms (timeout)`;
  if (err instanceof FetchError) return err.message;
  const e = err as NodeJS.ErrnoException;
  const code = e.code;
  if (code) return `${CAUSES[code] ?? e.message} (${code})`;
  return e.message;
}

/** Sends one GET; resolves with the answer's head, its body not yet read. */
async function send(
  url: URL,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const agent = (await proxyAgentFor(url)) ?? agents[url.protocol as 'http:' | 'https:'];
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'GET', headers, signal, agent }, resolve);
    req.once('error', reject);
    req.end();
  });
}

/** Follows redirects as a browser would for a GET; only to http(s). */
async function exchange(
  start: string,
  headers: Record<string, string>,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  let url = new URL(start);
  for (let hops = 0; ; hops++) {
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new FetchError(`cannot fetch a ${url.protocol} address`);
    const res = await send(url, headers, signal);
    const status = res.statusCode ?? 0;
    if (![301, 302, 303, 307, 308].includes(status) || !res.headers.location) return res;
    res.resume();
    if (hops >= MAX_REDIRECTS) throw new FetchError(`more than ${MAX_REDIRECTS} redirects`);
    url = new URL(res.headers.location, url);
  }
}

/** How to unpack a body: as it is, through a decoder made from its first bytes, or not at all. */
type Decoding =
  | { kind: 'plain' }
  | { kind: 'decode'; make: (first: Buffer) => Transform }
  | { kind: 'refused'; reason: string };

function decoding(res: IncomingMessage): Decoding {
  const encoding = String(res.headers['content-encoding'] ?? 'identity')
    .trim()
    .toLowerCase();
  switch (encoding) {
    case 'identity':
    case '':
      return { kind: 'plain' };
    case 'gzip':
    case 'x-gzip':
      return { kind: 'decode', make: () => createGunzip() };
    case 'br':
      return { kind: 'decode', make: () => createBrotliDecompress() };
    case 'deflate':
      // Zlib-wrapped by the standard, raw from some servers: the first byte tells.
      return {
        kind: 'decode',
        make: (first) => ((first[0]! & 0x0f) === 8 ? createInflate() : createInflateRaw()),
      };
    default:
      return {
        kind: 'refused',
        reason: `the server sent the body in an encoding this client did not ask for (${encoding})`,
      };
  }
}

/**
 * Reads a body up to a size cap, counted after decompression (a small gzip can unpack to GBs).
 * Every early exit destroys the response: a connection left open on a server that announced 2 GB
 * and sent a few bytes would keep the process alive for its timeout.
 */
function readCapped(
  res: IncomingMessage,
  maxBytes: number,
  hash: Hash | null,
): Promise<Buffer | string> {
  const how = decoding(res);
  if (how.kind === 'refused') {
    res.destroy();
    return Promise.resolve(how.reason);
  }
  // A plain body's declared length is its size; an encoded one's says nothing of what it unpacks to.
  const declared = Number(res.headers['content-length']);
  if (how.kind === 'plain' && declared > maxBytes) {
    res.destroy();
    return Promise.resolve(`the response is ${declared} bytes, over the ${maxBytes}-byte limit`);
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    let decoder: Transform | null = null;
    const finish = (v: Buffer | string | Error) => {
      if (done) return;
      done = true;
      if (v instanceof Error) reject(v);
      else resolve(v);
    };
    const take = (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > maxBytes) {
        res.destroy();
        decoder?.destroy();
        return finish(`the response grew past the ${maxBytes}-byte limit`);
      }
      hash?.update(chunk);
      chunks.push(chunk);
    };
    const end = () => finish(Buffer.concat(chunks, size));
    const cut = () => finish(new FetchError('the server closed the connection mid-response', true));
    res.once('error', (err: NodeJS.ErrnoException) =>
      err.code === 'ECONNRESET' || err.message === 'aborted' ? cut() : finish(err),
    );
    // A response destroyed under us (the deadline, a reset) may end with 'close' alone.
    res.once('close', () => !res.complete && cut());
    if (how.kind === 'plain') res.on('data', take);
    else {
      res.on('data', (c: Buffer) => {
        if (!decoder) {
          decoder = how.make(c);
          decoder
            .on('data', take)
            .once('end', end)
            .once('error', (err: Error) => {
              res.destroy();
              finish(new FetchError(`the compressed body is corrupt: ${err.message}`));
            });
        }
        decoder.write(c);
      });
    }
    res.once('end', () => {
      if (!res.complete) return cut();
      // An encoded body with no bytes at all is empty, not corrupt.
      if (decoder) decoder.end();
      else end();
    });
  });
}

/**
 * APIs say why they refused a request in a small JSON body (the Federal Register's 400 names the
 * bad condition): keep its first 300 characters. Anything else is dropped unread.
 */
async function errorDetail(res: IncomingMessage): Promise<string> {
  const type = String(res.headers['content-type'] ?? '');
  if (!/json/i.test(type) || Number(res.headers['content-length'] ?? 0) > 65_536) {
    res.destroy();
    return '';
  }
  const text = await readCapped(res, 65_536, null).catch(() => '');
  if (typeof text === 'string') return '';
  return text.toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 300);
}

async function fetchFile(url: string, opts: FetchOptions): Promise<FetchOutcome> {
  const path = fileURLToPath(url);
  try {
    const st = await stat(path);
    // Size and sub-second mtime: a file rewritten within the same second still reads as changed.
    const etag = `W/"${st.size}-${st.mtimeMs}"`;
    if (opts.etag === etag) return { status: 'not-modified' };
    if (st.size > opts.maxBytes)
      return {
        status: 'error',
        reason: `${path} is ${st.size} bytes, over the ${opts.maxBytes}-byte limit`,
      };
    const body = await readFile(path);
    return {
      status: 'ok',
      body,
      digest: digestOf(body),
      etag,
      lastModified: st.mtime.toUTCString(),
      httpStatus: 200,
    };
  } catch (err) {
    return { status: 'error', reason: `cannot read ${path}: ${(err as Error).message}` };
  }
}

/**
 * One conditional GET, tried again (twice unless said) when it fails in a way that passes: a reset
 * or a 503 an hour before the next poll would otherwise be a `failing` alert, then a `recovered`.
 */
export async function fetchBody(url: string, opts: FetchOptions): Promise<FetchOutcome> {
  if (url.startsWith('file:')) return fetchFile(url, opts);
  const tries = 1 + Math.max(0, opts.retries ?? 2);
  const base = opts.retryDelayMs ?? 1000;
  for (let attempt = 1; ; attempt++) {
    const outcome = await fetchOnce(url, opts);
    if (outcome.status !== 'error' || outcome.retryInMs === undefined) return outcome;
    if (attempt >= tries)
      return {
        status: 'error',
        reason: tries > 1 ? `${outcome.reason} (${tries} tries)` : outcome.reason,
      };
    const backoff = base * 2 ** (attempt - 1) * (0.5 + Math.random());
    await new Promise((r) => setTimeout(r, Math.max(outcome.retryInMs ?? 0, backoff)));
  }
}

async function fetchOnce(url: string, opts: FetchOptions): Promise<FetchOutcome> {
  const headers: Record<string, string> = {
    'user-agent': opts.userAgent,
    'accept-encoding': 'gzip, deflate, br',
    accept: '*/*',
  };
  if (opts.etag) headers['if-none-match'] = opts.etag;
  if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;
  // One deadline for the whole exchange, redirects and body included.
  const signal = AbortSignal.timeout(opts.timeoutMs);
  try {
    const res = await exchange(url, headers, signal);
    const status = res.statusCode ?? 0;
    if (status === 304) {
      res.resume();
      return { status: 'not-modified' };
    }
    if (status < 200 || status > 299) {
      const retry = res.headers['retry-after'];
      const detail = await errorDetail(res);
      const hint =
        status === 403
          ? ' — the server refuses this client; some government servers (OFAC\'s Sanctions List Service, CourtListener) block unknown User-Agents: set SANCTIONS_RADAR_USER_AGENT, or "userAgent" on the source, to a browser-like value'
          : '';
      const reason = `HTTP ${status} ${res.statusMessage ?? ''}${retry ? ` (Retry-After: ${retry})` : ''} from ${redactUrl(url)}${detail ? `: ${detail}` : ''}${hint}`;
      const wait = retryAfterMs(retry);
      const passes = TRANSIENT_STATUS.has(status) && (wait === null || wait <= MAX_RETRY_AFTER_MS);
      return { status: 'error', reason, ...(passes ? { retryInMs: wait ?? 0 } : {}) };
    }
    const hash = createHash('sha256');
    const body = await readCapped(res, opts.maxBytes, hash);
    if (typeof body === 'string') return { status: 'error', reason: `${body} (${redactUrl(url)})` };
    const header = (h: string | string[] | undefined) => (Array.isArray(h) ? h[0] : h) ?? null;
    const etag = header(res.headers.etag);
    const lastModified = header(res.headers['last-modified']);
    return {
      status: 'ok',
      body,
      digest: hash.digest('hex'),
      etag,
      lastModified,
      httpStatus: status,
    };
  } catch (err) {
    const via = describeProxy(url);
    const reason = redactText(
      `${describe(err, opts.timeoutMs, signal.aborted)} (${url}${via ? `, through the proxy ${via}` : ''})`,
    );
    return {
      status: 'error',
      reason,
      ...(transientError(err, signal.aborted) ? { retryInMs: 0 } : {}),
    };
  }
}
