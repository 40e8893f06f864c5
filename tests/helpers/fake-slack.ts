// A Slack Web API on 127.0.0.1 that records every call and answers like Slack: ok:true results,
// ok:false platform errors, and 429 with Retry-After. Also takes response_url posts.
import { createServer, type Server } from 'node:http';
import { closeServer, listenLocal, readBody } from './listen.js';

export interface SlackCall {
  method: string;
  args: Record<string, unknown>;
  /** Whether the answer was a success (a 429 or an ok:false posts nothing). */
  ok?: boolean;
}

/** `delayMs`: Slack slow to answer (the answer still comes, unless the fake stops first). */
type Answer = {
  status?: number;
  headers?: Record<string, string>;
  body: Record<string, unknown>;
  delayMs?: number;
};

export class FakeSlack {
  readonly calls: SlackCall[] = [];
  readonly responses: { path: string; body: Record<string, unknown> }[] = [];
  /** Bytes sent to an upload address files.getUploadURLExternal gave, by file id. */
  readonly uploads = new Map<string, string>();
  /** `uploadStatus`: how the upload address answers (Slack's answers 200). */
  uploadStatus = 200;
  private fileIds = 1;
  /** The scopes the token was granted (X-OAuth-Scopes). */
  scopes = [
    'commands',
    'chat:write',
    'chat:write.public',
    'users:read',
    'usergroups:read',
    'files:write',
    'channels:read',
    'groups:read',
  ];
  private queued = new Map<string, Answer[]>();
  private server: Server;
  private ts = 1700000000;
  /** When each channel last had a message accepted (for `paceMs`), and the workspace (for `workspacePaceMs`). */
  private lastPost = new Map<string, number>();
  private lastWorkspacePost: number | undefined;
  port = 0;

  /**
   * `paceMs`: enforce Slack's rate of about one message per channel per this many ms, as Slack
   * does: a message sooner than that is answered 429 with Retry-After (whole seconds, at least 1).
   * `workspacePaceMs`: the same for the workspace as a whole, whatever the channel.
   */
  constructor(
    private paceMs = 0,
    private workspacePaceMs = 0,
  ) {
    this.server = createServer((req, res) => {
      void readBody(req).then(async (raw) => {
        const path = req.url ?? '/';
        if (path.startsWith('/upload/')) {
          if (this.uploadStatus === 200) this.uploads.set(path.slice('/upload/'.length), raw);
          return void res
            .writeHead(this.uploadStatus, { 'content-type': 'text/plain' })
            .end(this.uploadStatus === 200 ? `OK - ${Buffer.byteLength(raw)}` : 'error');
        }
        const type = String(req.headers['content-type'] ?? '');
        const parsed: Record<string, unknown> = type.includes('json')
          ? raw
            ? JSON.parse(raw)
            : {}
          : Object.fromEntries(new URLSearchParams(raw));
        if (!path.startsWith('/api/')) {
          this.responses.push({ path, body: parsed });
          return void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
        }
        const method = path.slice(5).split('?')[0]!;
        // The Web client sends nested arguments (blocks) as JSON strings in a form body.
        for (const k of ['blocks', 'attachments', 'metadata', 'view', 'files'])
          if (typeof parsed[k] === 'string') parsed[k] = JSON.parse(parsed[k] as string);
        const answer = this.queued.get(method)?.shift() ?? this.defaultAnswer(method, parsed);
        if (method !== 'auth.test')
          this.calls.push({
            method,
            args: parsed,
            ok: (answer.status ?? 200) === 200 && answer.body.ok === true,
          });
        if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
        res
          .writeHead(answer.status ?? 200, {
            'content-type': 'application/json',
            ...(answer.headers ?? {}),
          })
          .end(JSON.stringify(answer.body));
      });
    });
  }

  private defaultAnswer(method: string, args: Record<string, unknown>): Answer {
    if (method === 'chat.postMessage' && (this.paceMs > 0 || this.workspacePaceMs > 0)) {
      const channel = String(args.channel);
      const now = Date.now();
      // A little slack for the time the request took to arrive.
      const tooSoon = (last: number | undefined, pace: number) =>
        last !== undefined && now - last < pace * 0.95 ? pace - (now - last) : 0;
      const wait = Math.max(
        tooSoon(this.lastPost.get(channel), this.paceMs),
        tooSoon(this.lastWorkspacePost, this.workspacePaceMs),
      );
      if (wait > 0)
        return {
          status: 429,
          headers: { 'retry-after': String(Math.max(1, Math.ceil(wait / 1000))) },
          body: { ok: false, error: 'ratelimited' },
        };
      this.lastPost.set(channel, now);
      this.lastWorkspacePost = now;
    }
    // Slack names the token's scopes in a header of every answer.
    if (method === 'auth.test')
      return {
        headers: { 'x-oauth-scopes': this.scopes.join(',') },
        body: {
          ok: true,
          url: 'https://example.slack.com/',
          team: 'T',
          user: 'sanctions-radar',
          team_id: 'T0001',
          user_id: 'UBOT',
          bot_id: 'BBOT',
        },
      };
    if (method === 'chat.postMessage')
      return { body: { ok: true, channel: args.channel, ts: `${this.ts++}.000100`, message: {} } };
    if (method === 'files.getUploadURLExternal') {
      const id = `F0UPLOAD${this.fileIds++}`;
      return {
        body: { ok: true, upload_url: `http://127.0.0.1:${this.port}/upload/${id}`, file_id: id },
      };
    }
    return { body: { ok: true } };
  }

  /** The next answers to a method, in order (then back to the default success). */
  queue(method: string, ...answers: Answer[]): void {
    this.queued.set(method, [...(this.queued.get(method) ?? []), ...answers]);
  }

  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  /** The alert ids each posted message carries in its metadata. */
  alertIdsOf(post: Record<string, unknown>): number[] {
    const ids = (post.metadata as { event_payload?: { alert_ids?: string } } | undefined)
      ?.event_payload?.alert_ids;
    return ids ? ids.split(',').map(Number) : [];
  }

  /** Messages Slack accepted (and so shows), in order. */
  accepted(): Record<string, unknown>[] {
    return this.calls.filter((c) => c.method === 'chat.postMessage' && c.ok).map((c) => c.args);
  }

  posts(): Record<string, unknown>[] {
    return this.calls.filter((c) => c.method === 'chat.postMessage').map((c) => c.args);
  }

  async start(): Promise<this> {
    this.port = await listenLocal(this.server);
    return this;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}
