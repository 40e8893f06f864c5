// A JSON POST to a receiver that answers with HTTP status alone (webhooks, Teams Workflows), and
// what its answer means for the delivery: 2xx taken; 429 and 5xx retried, honouring Retry-After;
// the statuses a person must fix pause the channel; any other is dead-lettered with the answer.
import type { SendOutcome } from '../src/delivery/adapter.js';

/** Retry-After as seconds or an HTTP date, in ms (an hour at most); undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const s = Number(value);
  if (Number.isFinite(s) && s >= 0) return Math.min(s * 1000, 3_600_000);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.min(Math.max(0, at - now), 3_600_000) : undefined;
}

export interface JsonPost {
  fetch?: typeof fetch;
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
  /** How errors name the receiver ("webhook cases"): never by its URL, which may carry a secret. */
  who: string;
  /** Statuses that pause the channel, and what to add to the error then. */
  pauseOn: readonly number[];
  pauseHint: string;
  /** What to add when the receiver redirects (a redirect is not followed: it would carry the body elsewhere). */
  redirectHint?: string;
}

export async function postJson(p: JsonPost): Promise<SendOutcome> {
  let res: Response;
  try {
    res = await (p.fetch ?? fetch)(p.url, {
      method: 'POST',
      body: p.body,
      redirect: 'manual',
      signal: AbortSignal.timeout(p.timeoutMs),
      headers: { 'content-type': 'application/json', ...p.headers },
    });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    return {
      ok: false,
      kind: 'retry',
      error: `${p.who}: ${e.name === 'TimeoutError' ? `no answer within ${p.timeoutMs / 1000} s` : (e.cause?.code ?? e.message)}`,
    };
  }
  // What the receiver said is kept with a refused delivery (never our request, which may be signed).
  const answer = (await res.text().catch(() => '')).replace(/\s+/g, ' ').trim().slice(0, 300);
  if (res.status >= 200 && res.status < 300) return { ok: true };
  const said = `${p.who} answered HTTP ${res.status}${answer ? `: ${answer}` : ''}`;
  if (p.pauseOn.includes(res.status))
    return { ok: false, kind: 'pause', error: `${said} (${p.pauseHint})` };
  if (res.status === 429 || res.status >= 500) {
    const wait = retryAfterMs(res.headers.get('retry-after'));
    return {
      ok: false,
      kind: 'retry',
      error: said,
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
    };
  }
  if (res.status >= 300 && res.status < 400 && p.redirectHint)
    return { ok: false, kind: 'fail', error: `${said} (${p.redirectHint})` };
  return { ok: false, kind: 'fail', error: said };
}
