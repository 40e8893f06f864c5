// A Bolt receiver that lives on the daemon's one HTTP port (`/slack/events`) instead of opening
// its own. Verification is Bolt's own (HMAC v0 over "v0:timestamp:body", 5-minute window): a
// forged or stale request gets 401 and never reaches a handler.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type App, HTTPModuleFunctions, HTTPResponseAck, type Receiver } from '@slack/bolt';
import type { Logger } from '../../src/log.js';

/** How far a request's timestamp may be from our clock, either way. */
const MAX_SKEW_S = 300;

export class SharedPortReceiver implements Receiver {
  private app: App | null = null;

  constructor(
    private signingSecret: string,
    private log: Logger,
  ) {}

  init(app: App): void {
    this.app = app;
  }

  async start(): Promise<void> {}

  async stop(): Promise<void> {}

  readonly handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    // Bolt checks that a timestamp is not older than five minutes; one from the future is as
    // suspect (a replay prepared in advance), and is refused before any body is read.
    const ts = Number(req.headers['x-slack-request-timestamp']);
    if (!Number.isFinite(ts) || Math.abs(Date.now() / 1000 - ts) > MAX_SKEW_S) {
      this.log.warn(
        { timestamp: req.headers['x-slack-request-timestamp'] ?? null },
        'rejected a Slack request whose timestamp is outside ±5 minutes',
      );
      req.resume();
      HTTPModuleFunctions.buildNoBodyResponse(res, 401);
      return;
    }
    if (Number(req.headers['content-length'] ?? 0) > HTTPModuleFunctions.defaultBodyLimit) {
      req.resume();
      res.writeHead(413, { connection: 'close' }).end();
      return;
    }
    let buffered;
    try {
      // Without an explicit limit Bolt reads any body, of any size, before checking the signature.
      buffered = await HTTPModuleFunctions.parseAndVerifyHTTPRequest(
        {
          enabled: true,
          signingSecret: this.signingSecret,
          bodyLimit: HTTPModuleFunctions.defaultBodyLimit,
        },
        req,
      );
    } catch (err) {
      if (HTTPModuleFunctions.isRawBodyError(err)) {
        res.writeHead(err.statusCode === 413 ? 413 : 400, { connection: 'close' }).end();
        return;
      }
      this.log.warn(
        { reason: (err as Error).message },
        'rejected a Slack request that failed verification',
      );
      HTTPModuleFunctions.buildNoBodyResponse(res, 401);
      return;
    }
    let body: Record<string, unknown>;
    try {
      body = HTTPModuleFunctions.parseHTTPRequestBody(buffered) as Record<string, unknown>;
    } catch {
      HTTPModuleFunctions.buildNoBodyResponse(res, 400);
      return;
    }
    if (body.ssl_check === '1') return HTTPModuleFunctions.buildSSLCheckResponse(res);
    if (body.type === 'url_verification')
      return HTTPModuleFunctions.buildUrlVerificationResponse(res, body);
    const slackLogger = {
      debug() {},
      info() {},
      warn: (...m: unknown[]) => this.log.warn({ slack: m.join(' ') }),
      error: (...m: unknown[]) => this.log.error({ slack: m.join(' ') }),
      setLevel() {},
      getLevel: () => 'info',
      setName() {},
    };
    const ack = new HTTPResponseAck({
      logger: slackLogger as never,
      processBeforeResponse: false,
      httpRequest: buffered,
      httpRequestBody: body,
      httpResponse: res,
    });
    try {
      await this.app?.processEvent({
        body,
        ack: ack.bind(),
        retryNum: HTTPModuleFunctions.extractRetryNumFromHTTPRequest(req),
        retryReason: HTTPModuleFunctions.extractRetryReasonFromHTTPRequest(req),
      });
    } catch (err) {
      this.log.error({ err }, 'Slack event handler failed');
      if (!res.headersSent) HTTPModuleFunctions.buildNoBodyResponse(res, 500);
    }
  };
}
