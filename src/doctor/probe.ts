// Whether a source answers, without downloading it: a HEAD request (a GET of one byte where HEAD
// is refused), through the proxy the environment names, with the User-Agent the polls send.
import { existsSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { fileURLToPath } from 'node:url';
import { describeProxy, proxyAgentFor } from '../fetch/proxy.js';

export interface Probe {
  /** The HTTP status, or null when no answer came. */
  status: number | null;
  /** The server's Date header, for the clock check. */
  date: string | null;
  error?: string;
  via?: string;
}

function once(
  url: URL,
  method: 'HEAD' | 'GET',
  userAgent: string,
  timeoutMs: number,
  agent: import('node:http').Agent | null,
): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = send(
      url,
      {
        method,
        headers: { 'user-agent': userAgent, ...(method === 'GET' ? { range: 'bytes=0-0' } : {}) },
        ...(agent ? { agent } : {}),
        timeout: timeoutMs,
      },
      (res) => {
        res.resume();
        resolve(res);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    req.on('error', reject);
    req.end();
  });
}

export async function probe(raw: string, userAgent: string, timeoutMs = 10_000): Promise<Probe> {
  const url = new URL(raw);
  if (url.protocol === 'file:')
    return existsSync(fileURLToPath(url))
      ? { status: 200, date: null }
      : { status: null, date: null, error: 'no such file' };
  const via = describeProxy(url) ?? undefined;
  try {
    const agent = await proxyAgentFor(url);
    let res = await once(url, 'HEAD', userAgent, timeoutMs, agent);
    if (res.statusCode === 405 || res.statusCode === 501)
      res = await once(url, 'GET', userAgent, timeoutMs, agent);
    return {
      status: res.statusCode ?? null,
      date: res.headers.date ?? null,
      ...(via ? { via } : {}),
    };
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    return { status: null, date: null, error: e.code ?? e.message, ...(via ? { via } : {}) };
  }
}
