// Slack's Socket Mode end on 127.0.0.1, on the `ws` WebSocket server: sends `hello`, pushes
// envelopes and collects the client's acks (ping/pong and close are ws's own).
import { createServer, type Server } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { listenLocal } from './listen.js';

export class FakeSocketMode {
  private server: Server;
  private wss: WebSocketServer;
  private sockets = new Set<WebSocket>();
  readonly acks: Record<string, unknown>[] = [];
  private connected: (() => void) | null = null;
  readonly ready: Promise<void>;
  port = 0;

  constructor() {
    this.ready = new Promise((r) => (this.connected = r));
    this.server = createServer((_req, res) => res.writeHead(426).end());
    this.wss = new WebSocketServer({ server: this.server });
    this.wss.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('message', (data, isBinary) => {
        if (!isBinary) this.acks.push(JSON.parse(data.toString()) as Record<string, unknown>);
      });
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => this.sockets.delete(socket));
      socket.send(
        JSON.stringify({
          type: 'hello',
          num_connections: 1,
          debug_info: { host: 'fake', approximate_connection_time: 3600 },
          connection_info: { app_id: 'A0001' },
        }),
      );
      this.connected?.();
    });
  }

  send(message: unknown): void {
    for (const s of this.sockets) s.send(JSON.stringify(message));
  }

  async waitForAck(envelopeId: string, timeoutMs = 5000): Promise<Record<string, unknown>> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const ack = this.acks.find((a) => a.envelope_id === envelopeId);
      if (ack) return ack;
      if (Date.now() > end) throw new Error(`no ack for ${envelopeId}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  get url(): string {
    return `ws://127.0.0.1:${this.port}/link`;
  }

  async start(): Promise<this> {
    this.port = await listenLocal(this.server);
    return this;
  }

  stop(): Promise<void> {
    for (const s of this.sockets) s.terminate();
    this.wss.close();
    return new Promise((r) => this.server.close(() => r()));
  }
}
