// Slack's Socket Mode end on 127.0.0.1: a minimal RFC 6455 WebSocket server (text frames, ping →
// pong, close) that sends `hello`, pushes envelopes and collects the client's acks.
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { listenLocal } from './listen.js';
import type { Duplex } from 'node:stream';

export class FakeSocketMode {
  private server: Server;
  private sockets = new Set<Duplex>();
  readonly acks: Record<string, unknown>[] = [];
  private connected: (() => void) | null = null;
  readonly ready: Promise<void>;
  port = 0;

  constructor() {
    this.ready = new Promise((r) => (this.connected = r));
    this.server = createServer((_req, res) => res.writeHead(426).end());
    this.server.on('upgrade', (req, socket) => {
      const accept = createHash('sha1').update(`${req.headers['sec-websocket-key']}258EAFA5-E914-47DA-95CA-C5AB0DC85B11`).digest('base64');
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Accept: ${accept}\r\n\r\n`);
      this.sockets.add(socket);
      let buffer = Buffer.alloc(0);
      socket.on('data', (chunk: Buffer) => {
        buffer = Buffer.concat([buffer, chunk]);
        for (;;) {
          const frame = readFrame(buffer);
          if (!frame) break;
          buffer = buffer.subarray(frame.length);
          if (frame.opcode === 0x1) this.acks.push(JSON.parse(frame.payload.toString('utf8')));
          else if (frame.opcode === 0x9) socket.write(writeFrame(0xa, frame.payload));
          else if (frame.opcode === 0x8) socket.end(writeFrame(0x8, Buffer.alloc(0)));
        }
      });
      socket.on('close', () => this.sockets.delete(socket));
      socket.on('error', () => this.sockets.delete(socket));
      this.sendTo(socket, { type: 'hello', num_connections: 1, debug_info: { host: 'fake', approximate_connection_time: 3600 }, connection_info: { app_id: 'A0001' } });
      this.connected?.();
    });
  }

  private sendTo(socket: Duplex, message: unknown): void {
    socket.write(writeFrame(0x1, Buffer.from(JSON.stringify(message))));
  }

  send(message: unknown): void {
    for (const s of this.sockets) this.sendTo(s, message);
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
    for (const s of this.sockets) s.destroy();
    return new Promise((r) => this.server.close(() => r()));
  }
}

function readFrame(buf: Buffer): { opcode: number; payload: Buffer; length: number } | null {
  if (buf.length < 2) return null;
  const opcode = buf[0]! & 0x0f;
  const masked = (buf[1]! & 0x80) !== 0;
  let len = buf[1]! & 0x7f;
  let offset = 2;
  if (len === 126) {
    if (buf.length < 4) return null;
    len = buf.readUInt16BE(2);
    offset = 4;
  } else if (len === 127) {
    if (buf.length < 10) return null;
    len = Number(buf.readBigUInt64BE(2));
    offset = 10;
  }
  const maskLen = masked ? 4 : 0;
  if (buf.length < offset + maskLen + len) return null;
  const payload = Buffer.from(buf.subarray(offset + maskLen, offset + maskLen + len));
  if (masked) {
    const mask = buf.subarray(offset, offset + 4);
    for (let i = 0; i < payload.length; i++) payload[i]! ^= mask[i % 4]!;
  }
  return { opcode, payload, length: offset + maskLen + len };
}

function writeFrame(opcode: number, payload: Buffer): Buffer {
  const head = payload.length < 126 ? Buffer.from([0x80 | opcode, payload.length]) : payload.length < 65536 ? Buffer.from([0x80 | opcode, 126, payload.length >> 8, payload.length & 0xff]) : null;
  if (head) return Buffer.concat([head, payload]);
  const big = Buffer.alloc(10);
  big[0] = 0x80 | opcode;
  big[1] = 127;
  big.writeBigUInt64BE(BigInt(payload.length), 2);
  return Buffer.concat([big, payload]);
}
