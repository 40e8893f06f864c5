// An HTTP forward proxy on 127.0.0.1, as fund and bank networks run them: CONNECT tunnels for
// https, absolute-URI requests for http. Records what it carried.
import { createServer, request, type Server } from 'node:http';
import { connect } from 'node:net';
import { closeServer, listenLocal } from './listen.js';

export class ForwardProxy {
  /** "CONNECT host:port" or "GET http://host:port/path", in order. */
  readonly carried: string[] = [];
  private server: Server;
  port = 0;

  constructor() {
    this.server = createServer((req, res) => {
      this.carried.push(`${req.method} ${req.url}`);
      const upstream = request(req.url!, { method: req.method, headers: req.headers }, (up) => {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
      });
      upstream.on('error', () => res.writeHead(502).end());
      req.pipe(upstream);
    });
    this.server.on('connect', (req, client, head) => {
      this.carried.push(`CONNECT ${req.url}`);
      const [host, port] = String(req.url).split(':');
      const target = connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        target.write(head);
        target.pipe(client);
        client.pipe(target);
      });
      target.on('error', () => client.destroy());
      client.on('error', () => target.destroy());
    });
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    this.port = await listenLocal(this.server);
    return this;
  }

  stop(): Promise<void> {
    return closeServer(this.server);
  }
}
