// The one HTTP port of the daemon (PORT): health and metrics here; adapters that take HTTP
// requests (Slack, Discord interactions) register their routes on the same server.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Db } from '../../db/database.js';
import { deadLetters, pausedChannels, undeliverable } from '../../db/outbox.js';
import { listSources } from '../../db/source-state.js';
import { healthReport } from './health.js';
import type { Metrics } from './metrics.js';
import type { StorageHealth } from '../store/health.js';

/** No route takes more (Slack's is 4 MB, CourtListener's 1 MB, Discord's 64 KB: each checks its own). */
const MAX_BODY = 8 * 1024 * 1024;

const hasBody = (req: IncomingMessage) =>
  Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;

export type RouteHandler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export class HttpServer {
  private routes = new Map<string, RouteHandler>();
  private server: Server;

  constructor() {
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /**
   * Health and metrics read the database; routes of adapters may be added before it opens.
   * `configured`: the ids of the sources the configuration polls.
   */
  attach(
    db: Db,
    configured: ReadonlySet<string>,
    platforms: string[],
    platformProblems: Map<string, string>,
    metrics: Metrics,
    storage?: StorageHealth,
  ): void {
    this.route('GET', '/healthz', (_req, res) =>
      this.health(res, db, configured, platforms, platformProblems, storage, false),
    );
    // The same report, answered 503 when degraded: for a container health check or a load balancer.
    this.route('GET', '/readyz', (_req, res) =>
      this.health(res, db, configured, platforms, platformProblems, storage, true),
    );
    this.route('GET', '/metrics', async (_req, res) => {
      const m = await metrics.scrape();
      res.writeHead(200, { 'content-type': m.contentType }).end(m.body);
    });
  }

  route(method: string, path: string, handler: RouteHandler): void {
    this.routes.set(`${method} ${path}`, handler);
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    // A request answered before its body was read (an unknown path, a wrong secret, a body over a
    // route's bound) closes its connection: Node would otherwise read the rest, 500 MB if sent,
    // to keep the connection alive. The answer gets a moment to reach the client first.
    res.on('finish', () => {
      if (!req.complete) setTimeout(() => req.destroy(), 100).unref();
    });
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const handler = this.routes.get(`${req.method} ${path}`);
    if (!handler) {
      res
        .writeHead(404, {
          'content-type': 'text/plain',
          ...(hasBody(req) ? { connection: 'close' } : {}),
        })
        .end('not found\n');
      return;
    }
    if (Number(req.headers['content-length'] ?? 0) > MAX_BODY) {
      res
        .writeHead(413, { 'content-type': 'text/plain', connection: 'close' })
        .end(`request body over ${MAX_BODY} bytes\n`);
      return;
    }
    try {
      await handler(req, res);
    } catch {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error\n');
    }
  }

  private health(
    res: ServerResponse,
    db: Db,
    configured: ReadonlySet<string>,
    platforms: string[],
    platformProblems: Map<string, string>,
    storage: StorageHealth | undefined,
    strict: boolean,
  ): void {
    let report;
    try {
      report = healthReport(
        listSources(db),
        configured,
        platformProblems,
        undeliverable(db, platforms),
        storage?.problem() ?? null,
        pausedChannels(db),
        deadLetters(db, new Date(Date.now() - 86_400_000).toISOString()),
      );
    } catch (err) {
      // A damaged file fails the reads health makes: say that, not "internal error".
      if (!storage?.note(err, 'health')) throw err;
      report = healthReport([], configured, platformProblems, [], storage.problem());
    }
    res
      .writeHead(strict && report.status !== 'ok' ? 503 : 200, {
        'content-type': 'application/json',
      })
      .end(JSON.stringify(report));
  }

  listen(port: number, host = '0.0.0.0'): Promise<number> {
    return new Promise((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(port, host, () => {
        const addr = this.server.address();
        resolve(typeof addr === 'object' && addr ? addr.port : port);
      });
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
