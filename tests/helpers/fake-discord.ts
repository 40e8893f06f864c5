// A Discord REST API on 127.0.0.1 that records every request and answers like Discord: JSON
// errors with codes, and 429 with the Retry-After header (discord.js ignores a body-only one).
// With `messagesPerChannel`, each channel's messages are a rate-limit bucket as Discord's are:
// every answer carries the X-RateLimit headers, and a message beyond the bucket is answered 429.
import { createServer, type Server } from 'node:http';
import { closeServer, listenLocal, readBody } from './listen.js';

export interface DiscordCall {
  method: string;
  path: string;
  auth: string | undefined;
  body: Record<string, unknown>;
  /** Files of a multipart message (attachments). */
  files?: { name: string; content: string }[];
}

/** A multipart/form-data message as discord.js sends one with files: payload_json and files[n]. */
function parseMultipart(
  raw: string,
  contentType: string,
): { body: Record<string, unknown>; files: { name: string; content: string }[] } {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/.exec(contentType);
  const parts = raw.split(`--${boundary?.[1] ?? boundary?.[2]}`).slice(1, -1);
  let body: Record<string, unknown> = {};
  const files: { name: string; content: string }[] = [];
  for (const part of parts) {
    const at = part.indexOf('\r\n\r\n');
    const head = part.slice(0, at);
    const content = part.slice(at + 4, part.length - 2);
    const filename = /filename="([^"]*)"/.exec(head)?.[1];
    if (filename !== undefined) files.push({ name: filename, content });
    else if (/name="payload_json"/.test(head))
      body = JSON.parse(content) as Record<string, unknown>;
  }
  return { body, files };
}

type Answer = { status: number; headers?: Record<string, string>; body: unknown };

interface EmbedLike {
  title?: string;
  description?: string;
  footer?: { text?: string };
  author?: { name?: string };
  fields?: { name: string; value: string }[];
}

/** Discord's own message limits: ten embeds, 6,000 characters across them; else 400 / 50035. */
function invalidForm(body: { embeds?: EmbedLike[] }): Answer | null {
  const embeds = body.embeds ?? [];
  const size = embeds.reduce(
    (n, e) =>
      n +
      (e.title?.length ?? 0) +
      (e.description?.length ?? 0) +
      (e.footer?.text?.length ?? 0) +
      (e.author?.name?.length ?? 0) +
      (e.fields ?? []).reduce((m, f) => m + f.name.length + f.value.length, 0),
    0,
  );
  if (embeds.length <= 10 && size <= 6000) return null;
  return {
    status: 400,
    body: {
      message: 'Invalid Form Body',
      code: 50035,
      errors: {
        embeds: {
          _errors: [
            { code: 'BASE_TYPE_MAX_LENGTH', message: 'Embed size exceeds maximum size of 6000' },
          ],
        },
      },
    },
  };
}

export class FakeDiscord {
  readonly calls: DiscordCall[] = [];
  private queued: Answer[] = [];
  private byNonce = new Map<string, unknown>();
  /** Messages really created (a repeated nonce creates none). */
  readonly created: Record<string, unknown>[] = [];
  private server: Server;
  private next = 1000;
  /** Each channel's bucket: messages taken in the current window and when it resets (ms). */
  private buckets = new Map<string, { used: number; resetAt: number }>();
  /** Answered 429 because a bucket was empty (the client asked too soon). */
  refused = 0;
  port = 0;

  constructor(private readonly messagesPerChannel?: { limit: number; windowMs: number }) {
    this.server = createServer((req, res) => {
      void readBody(req).then((raw) => {
        const type = String(req.headers['content-type'] ?? '');
        const multipart = type.startsWith('multipart/form-data') ? parseMultipart(raw, type) : null;
        const body = multipart ? multipart.body : raw ? JSON.parse(raw) : {};
        this.calls.push({
          method: req.method ?? '',
          path: req.url ?? '',
          auth: req.headers.authorization,
          body,
          ...(multipart ? { files: multipart.files } : {}),
        });
        // Discord: with enforce_nonce, a nonce seen in the past minutes returns that message again
        // instead of creating another.
        const nonce = body.enforce_nonce && typeof body.nonce === 'string' ? body.nonce : null;
        const known = nonce ? this.byNonce.get(`${req.url} ${nonce}`) : undefined;
        if (known)
          return void res
            .writeHead(200, { 'content-type': 'application/json' })
            .end(JSON.stringify(known));
        const limit = this.bucket(req.method ?? '', req.url ?? '');
        if (limit && limit.refused) {
          this.refused++;
          return void res
            .writeHead(429, { 'content-type': 'application/json', ...limit.headers })
            .end(
              JSON.stringify({
                message: 'You are being rate limited.',
                retry_after: Number(limit.headers['retry-after']),
                global: false,
              }),
            );
        }
        const answered = this.queued.shift() ??
          invalidForm(body) ?? { status: 200, body: { id: String(this.next++), type: 0 } };
        const a = limit
          ? { ...answered, headers: { ...limit.headers, ...(answered.headers ?? {}) } }
          : answered;
        if (nonce && a.status === 200) {
          this.byNonce.set(`${req.url} ${nonce}`, a.body);
          this.created.push({ ...body, channelPath: req.url });
        }
        res
          .writeHead(a.status, { 'content-type': 'application/json', ...(a.headers ?? {}) })
          .end(JSON.stringify(a.body));
      });
    });
  }

  /** The rate-limit headers of a message to a channel, and whether its bucket was empty. */
  private bucket(
    method: string,
    url: string,
  ): { refused: boolean; headers: Record<string, string> } | null {
    const m = /\/channels\/(\d+)\/messages$/.exec(url);
    if (!this.messagesPerChannel || method !== 'POST' || !m) return null;
    const { limit, windowMs } = this.messagesPerChannel;
    const now = Date.now();
    let b = this.buckets.get(m[1]!);
    if (!b || now >= b.resetAt) this.buckets.set(m[1]!, (b = { used: 0, resetAt: now + windowMs }));
    const resetAfter = ((b.resetAt - now) / 1000).toFixed(3);
    const refused = b.used >= limit;
    if (!refused) b.used++;
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(limit - b.used),
      'x-ratelimit-reset': (b.resetAt / 1000).toFixed(3),
      'x-ratelimit-reset-after': resetAfter,
      'x-ratelimit-bucket': 'fake-messages',
    };
    return {
      refused,
      headers: refused
        ? {
            ...headers,
            'retry-after': String(Math.ceil(Number(resetAfter))),
            'x-ratelimit-scope': 'user',
          }
        : headers,
    };
  }

  queue(...answers: Answer[]): void {
    this.queued.push(...answers);
  }

  get api(): string {
    return `http://127.0.0.1:${this.port}/api`;
  }

  async start(): Promise<this> {
    this.port = await listenLocal(this.server);
    return this;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}
