// The bench's stand-in for a government download site, in its own process, so the CPU it spends
// sending 3.5 MB files is not counted as the poller's. Serves the files of one folder with a weak
// ETag from size and mtime and 304 answers to it, as static file servers do; `?etag=0` serves
// without one. A file is read again only when its size or mtime moved (a scenario swaps a file to
// publish a new version), as a real server answers from the page cache: reading 3.5 MB from disk
// on every request put ~5 ms of the stand-in's own into the poller's figures.
// Prints its port on the first line of stdout.
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import { basename, join } from 'node:path';

const root = process.argv[2]!;
const cache = new Map<string, { etag: string; body: Buffer }>();
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const path = join(root, basename(url.pathname));
  void (async () => {
    try {
      const st = await stat(path);
      const etag = `W/"${st.size}-${st.mtimeMs}"`;
      const withEtag = url.searchParams.get('etag') !== '0';
      if (withEtag && req.headers['if-none-match'] === etag)
        return void res.writeHead(304, { etag }).end();
      let body = cache.get(path)?.etag === etag ? cache.get(path)!.body : null;
      if (!body) cache.set(path, { etag, body: (body = await readFile(path)) });
      res
        .writeHead(200, {
          'content-type': 'text/csv',
          'content-length': String(body.length),
          ...(withEtag ? { etag } : {}),
        })
        .end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  })();
});
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  console.log(typeof addr === 'object' && addr ? addr.port : 0);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
