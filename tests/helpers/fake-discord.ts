// A Discord REST API on 127.0.0.1 that records every request and answers like Discord: JSON
// errors with codes, and 429 with the Retry-After header (discord.js ignores a body-only one).
import { createServer, type Server } from 'node:http';
import { closeServer, listenLocal, readBody } from './listen.js';

export interface DiscordCall {
  method: string;
  path: string;
  auth: string | undefined;
  body: Record<string, unknown>;
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
    (n, e) => n + (e.title?.length ?? 0) + (e.description?.length ?? 0) + (e.footer?.text?.length ?? 0) + (e.author?.name?.length ?? 0) + (e.fields ?? []).reduce((m, f) => m + f.name.length + f.value.length, 0),
    0,
  );
  if (embeds.length <= 10 && size <= 6000) return null;
  return { status: 400, body: { message: 'Invalid Form Body', code: 50035, errors: { embeds: { _errors: [{ code: 'BASE_TYPE_MAX_LENGTH', message: 'Embed size exceeds maximum size of 6000' }] } } } };
}

export class FakeDiscord {
  readonly calls: DiscordCall[] = [];
  private queued: Answer[] = [];
  private byNonce = new Map<string, unknown>();
  /** Messages really created (a repeated nonce creates none). */
  readonly created: Record<string, unknown>[] = [];
  private server: Server;
  private next = 1000;
  port = 0;

  constructor() {
    this.server = createServer((req, res) => {
      void readBody(req).then((raw) => {
        const body = raw ? JSON.parse(raw) : {};
        this.calls.push({ method: req.method ?? '', path: req.url ?? '', auth: req.headers.authorization, body });
        // Discord: with enforce_nonce, a nonce seen in the past minutes returns that message again
        // instead of creating another.
        const nonce = body.enforce_nonce && typeof body.nonce === 'string' ? body.nonce : null;
        const known = nonce ? this.byNonce.get(`${req.url} ${nonce}`) : undefined;
        if (known) return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(known));
        const a = this.queued.shift() ?? invalidForm(body) ?? { status: 200, body: { id: String(this.next++), type: 0 } };
        if (nonce && a.status === 200) {
          this.byNonce.set(`${req.url} ${nonce}`, a.body);
          this.created.push({ ...body, channelPath: req.url });
        }
        res.writeHead(a.status, { 'content-type': 'application/json', ...(a.headers ?? {}) }).end(JSON.stringify(a.body));
      });
    });
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
