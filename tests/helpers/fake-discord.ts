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

export class FakeDiscord {
  readonly calls: DiscordCall[] = [];
  private queued: Answer[] = [];
  private server: Server;
  private next = 1000;
  port = 0;

  constructor() {
    this.server = createServer((req, res) => {
      void readBody(req).then((raw) => {
        this.calls.push({ method: req.method ?? '', path: req.url ?? '', auth: req.headers.authorization, body: raw ? JSON.parse(raw) : {} });
        const a = this.queued.shift() ?? { status: 200, body: { id: String(this.next++), type: 0 } };
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
