// One conditional GET. Returns a typed outcome; never throws for network or HTTP trouble.
import { readFile, stat } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { redactText, redactUrl } from './redact.js';

export interface FetchOptions {
  etag?: string | null;
  lastModified?: string | null;
  timeoutMs: number;
  maxBytes: number;
  userAgent: string;
}

export type FetchOutcome =
  | { status: 'ok'; body: Uint8Array; etag: string | null; lastModified: string | null; httpStatus: number }
  | { status: 'not-modified' }
  | { status: 'error'; reason: string };

/**
 * OFAC's Sanctions List Service sits behind a firewall that answers 403 unless the User-Agent
 * starts with "Mozilla/" and a digit and is at least 40 characters long (reported July 2026); this
 * one passes that rule and still says what it is and where to read about it.
 */
export const USER_AGENT = 'Mozilla/5.0 (compatible; sanctions-radar/0.1; +https://github.com/sanctions-radar/sanctions-radar)';

/**
 * Reads a body up to a size cap. Every early exit cancels the body: a connection left open on a
 * server that announced 2 GB and sent a few bytes would keep the process alive for its timeout.
 */
async function readCapped(res: Response, maxBytes: number): Promise<Uint8Array | string> {
  const declared = Number(res.headers.get('content-length'));
  if (declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    return `the response is ${declared} bytes, over the ${maxBytes}-byte limit`;
  }
  if (!res.body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = res.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) return `the response grew past the ${maxBytes}-byte limit`;
      chunks.push(value);
    }
  } finally {
    // A no-op after a complete read; otherwise it closes the connection now.
    await reader.cancel().catch(() => undefined);
  }
  return Buffer.concat(chunks, size);
}

/**
 * APIs say why they refused a request in a small JSON body (the Federal Register's 400 names the
 * bad condition): keep its first 300 characters. Anything else is cancelled unread.
 */
async function errorDetail(res: Response): Promise<string> {
  const type = res.headers.get('content-type') ?? '';
  if (!/json/i.test(type) || Number(res.headers.get('content-length') ?? 0) > 65_536) {
    await res.body?.cancel().catch(() => undefined);
    return '';
  }
  const text = await readCapped(res, 65_536).catch(() => '');
  if (typeof text === 'string') return '';
  return Buffer.from(text).toString('utf8').replace(/\s+/g, ' ').trim().slice(0, 300);
}

const CAUSES: Record<string, string> = {
  ENOTFOUND: 'host not found (DNS failed: no network?)',
  EAI_AGAIN: 'DNS lookup failed for now (no network?)',
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset by the server',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  UND_ERR_SOCKET: 'the server closed the connection mid-response',
  CERT_HAS_EXPIRED: 'the server\'s TLS certificate has expired',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server\'s TLS certificate cannot be verified',
};

function describe(err: unknown, timeoutMs: number): string {
  const e = err as Error & { cause?: { code?: string; message?: string } };
  if (e.name === 'TimeoutError' || e.name === 'AbortError') return `no complete answer within ${timeoutMs} ms (timeout)`;
  const code = e.cause?.code;
  if (code) return `${CAUSES[code] ?? e.cause?.message ?? e.message} (${code})`;
  return e.cause?.message ? `${e.message}: ${e.cause.message}` : e.message;
}

async function fetchFile(url: string, opts: FetchOptions): Promise<FetchOutcome> {
  const path = fileURLToPath(url);
  try {
    const st = await stat(path);
    // Size and sub-second mtime: a file rewritten within the same second still reads as changed.
    const etag = `W/"${st.size}-${st.mtimeMs}"`;
    if (opts.etag === etag) return { status: 'not-modified' };
    if (st.size > opts.maxBytes) return { status: 'error', reason: `${path} is ${st.size} bytes, over the ${opts.maxBytes}-byte limit` };
    return { status: 'ok', body: await readFile(path), etag, lastModified: st.mtime.toUTCString(), httpStatus: 200 };
  } catch (err) {
    return { status: 'error', reason: `cannot read ${path}: ${(err as Error).message}` };
  }
}

export async function fetchBody(url: string, opts: FetchOptions): Promise<FetchOutcome> {
  if (url.startsWith('file:')) return fetchFile(url, opts);
  const headers: Record<string, string> = { 'user-agent': opts.userAgent, 'accept-encoding': 'gzip, deflate, br', accept: '*/*' };
  if (opts.etag) headers['if-none-match'] = opts.etag;
  if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;
  const signal = AbortSignal.timeout(opts.timeoutMs);
  try {
    const res = await fetch(url, { headers, redirect: 'follow', signal });
    if (res.status === 304) {
      await res.body?.cancel();
      return { status: 'not-modified' };
    }
    if (!res.ok) {
      const retry = res.headers.get('retry-after');
      const detail = await errorDetail(res);
      const hint = res.status === 403 ? ' — the server refuses this client; some government servers (OFAC\'s Sanctions List Service, CourtListener) block unknown User-Agents: set SANCTIONS_RADAR_USER_AGENT, or "userAgent" on the source, to a browser-like value' : '';
      return { status: 'error', reason: `HTTP ${res.status} ${res.statusText}${retry ? ` (Retry-After: ${retry})` : ''} from ${redactUrl(url)}${detail ? `: ${detail}` : ''}${hint}` };
    }
    const body = await readCapped(res, opts.maxBytes);
    if (typeof body === 'string') return { status: 'error', reason: `${body} (${redactUrl(url)})` };
    return { status: 'ok', body, etag: res.headers.get('etag'), lastModified: res.headers.get('last-modified'), httpStatus: res.status };
  } catch (err) {
    return { status: 'error', reason: redactText(`${describe(err, opts.timeoutMs)} (${url})`) };
  }
}
