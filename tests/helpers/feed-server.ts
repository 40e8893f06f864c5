// A real HTTP server on 127.0.0.1 standing in for the government sites: serves registered bodies
// with ETag / Last-Modified / 304, gzip, redirects, and the failures real servers produce.
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { closeServer, listenLocal } from './listen.js';
import { gzipSync } from 'node:zlib';

export type Behaviour =
  | {
      kind: 'body';
      body: Buffer | string;
      contentType?: string;
      gzip?: boolean;
      etag?: boolean;
      lastModified?: string;
    }
  | { kind: 'status'; status: number; body?: string; headers?: Record<string, string> }
  | { kind: 'redirect'; to: string }
  | { kind: 'hang' }
  | { kind: 'truncate'; body: Buffer; after: number }
  /** The connection reset before any answer. */
  | { kind: 'reset' }
  /** One behaviour per request, in order; the last one stays. */
  | { kind: 'sequence'; steps: Behaviour[] };

export interface RecordedRequest {
  path: string;
  headers: IncomingMessage['headers'];
}

export class FeedServer {
  private routes = new Map<string, Behaviour>();
  readonly requests: RecordedRequest[] = [];
  private server: Server;
  port = 0;

  constructor() {
    this.server = createServer((req, res) => {
      const path = req.url ?? '/';
      this.requests.push({ path, headers: req.headers });
      let b = this.routes.get(path);
      if (!b) return void res.writeHead(404).end('not found');
      if (b.kind === 'sequence') b = b.steps.length > 1 ? b.steps.shift()! : b.steps[0]!;
      switch (b.kind) {
        case 'sequence':
          throw new Error('a sequence inside a sequence');
        case 'reset':
          return void req.socket.destroy();
        case 'status':
          return void res.writeHead(b.status, b.headers ?? {}).end(b.body ?? '');
        case 'redirect':
          return void res.writeHead(302, { location: b.to }).end();
        case 'hang':
          return; // never answers
        case 'truncate':
          res.writeHead(200, { 'content-length': String(b.body.length) });
          res.write(b.body.subarray(0, b.after));
          return void setTimeout(() => res.destroy(), 20);
        case 'body': {
          const body = Buffer.from(b.body);
          const etag = `"${createHash('sha1').update(body).digest('hex')}"`;
          const headers: Record<string, string> = { 'content-type': b.contentType ?? 'text/csv' };
          if (b.etag !== false) headers.etag = etag;
          if (b.lastModified) headers['last-modified'] = b.lastModified;
          if (b.etag !== false && req.headers['if-none-match'] === etag)
            return void res.writeHead(304, headers).end();
          if (b.lastModified && req.headers['if-modified-since'] === b.lastModified)
            return void res.writeHead(304, headers).end();
          if (b.gzip && /gzip/.test(String(req.headers['accept-encoding']))) {
            headers['content-encoding'] = 'gzip';
            return void res.writeHead(200, headers).end(gzipSync(body));
          }
          return void res.writeHead(200, headers).end(body);
        }
      }
    });
  }

  set(path: string, b: Behaviour): this {
    this.routes.set(path, b);
    return this;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  hits(path: string): RecordedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async start(): Promise<this> {
    this.port = await listenLocal(this.server);
    return this;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}
