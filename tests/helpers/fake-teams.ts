// A Teams Workflows webhook trigger on 127.0.0.1 as strict as the real one about what it takes:
// a message envelope whose attachment is an Adaptive Card, under 28 KB, else 400 or 413; 202 when
// taken. Scripted answers (429 with Retry-After, 404 for a deleted workflow) come first.
import { createServer, type Server } from 'node:http';
import { closeServer, listenLocal, readBody } from './listen.js';

export interface TeamsAnswer {
  status: number;
  headers?: Record<string, string>;
  body?: string;
}

export class FakeTeams {
  /** Cards taken, with the size of the request that carried each. */
  readonly taken: { card: Record<string, unknown>; bytes: number; path: string }[] = [];
  readonly refused: { status: number; reason: string }[] = [];
  private queued: TeamsAnswer[] = [];
  private server: Server;
  port = 0;

  constructor() {
    this.server = createServer((req, res) => {
      void readBody(req).then((raw) => {
        const scripted = this.queued.shift();
        if (scripted)
          return void res
            .writeHead(scripted.status, scripted.headers ?? {})
            .end(scripted.body ?? '');
        const bytes = Buffer.byteLength(raw);
        const refuse = (status: number, reason: string) => {
          this.refused.push({ status, reason });
          res
            .writeHead(status, { 'content-type': 'application/json' })
            .end(JSON.stringify({ error: { code: 'InvalidRequestContent', message: reason } }));
        };
        if (bytes > 28 * 1024)
          return refuse(413, `the message is ${bytes} bytes; Teams takes 28 KB`);
        let body: {
          type?: string;
          attachments?: {
            contentType?: string;
            content?: { type?: string; version?: string; body?: unknown[] };
          }[];
        };
        try {
          body = JSON.parse(raw);
        } catch {
          return refuse(400, 'the body is not JSON');
        }
        const a = body.attachments?.[0];
        if (
          body.type !== 'message' ||
          !Array.isArray(body.attachments) ||
          body.attachments.length !== 1
        )
          return refuse(400, 'expected {type: "message", attachments: [one card]}');
        if (
          a?.contentType !== 'application/vnd.microsoft.card.adaptive' ||
          a.content?.type !== 'AdaptiveCard' ||
          !a.content.version ||
          !Array.isArray(a.content.body)
        )
          return refuse(400, 'the attachment is not an Adaptive Card');
        this.taken.push({ card: a.content as Record<string, unknown>, bytes, path: req.url ?? '' });
        res.writeHead(202).end();
      });
    });
  }

  queue(...answers: TeamsAnswer[]): void {
    this.queued.push(...answers);
  }

  /** A Workflows trigger URL on this server. */
  url(workflow = 'a1b2c3'): string {
    return `http://127.0.0.1:${this.port}/workflows/${workflow}/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=s3cr3t-signature`;
  }

  async start(): Promise<this> {
    this.port = await listenLocal(this.server);
    return this;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}
