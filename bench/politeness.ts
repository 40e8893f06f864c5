// What a day of polling costs the government servers when nothing is published: every built-in
// source, on its built-in schedule, through the real poller, against a loopback site that serves
// each address with a body of the real file's size. Counted at the site: requests and bytes sent.
// Beside it, the configuration before OFAC's list of publications was asked (the same files every
// hour from the older export path), and the time from publication to alert each schedule allows.
//
// Assumed, and said in the output: whether a server answers a conditional request with 304 (both
// ways are counted for OFAC and the CSL), and the sizes of the answers no file of which is stored
// here (OFAC's list of publications, the Federal Register's answers: built from the shaped
// fixtures to the number of documents the real answers hold).
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { loadSourcesFile } from '../src/config/sources-file.js';
import type { SourceConfig } from '../src/domain.js';
import { createHarness } from '../tests/helpers/poll-harness.js';

const dir = process.argv[2]!;
const here = new URL('.', import.meta.url).pathname;
const fixture = (p: string) => readFileSync(join(here, '..', 'tests', 'fixtures', p));

interface Route {
  body: Buffer;
  etag: boolean;
}

/** Bodies by path (and, for the Federal Register, by agency or term in the query). */
function site(withEtags: boolean): Map<string, Route> {
  const r = new Map<string, Route>();
  const file = (path: string, body: Buffer, etag = withEtags) => r.set(path, { body, etag });
  file('/api/download/SDN.CSV', readFileSync(join(dir, 'sdn_2024-05-01_full.csv')));
  file('/api/download/ALT.CSV', readFileSync(join(dir, 'alt_2021-07_full.csv')));
  file('/api/download/ADD.CSV', readFileSync(join(dir, 'add_2021-07_full.csv')));
  file('/api/download/SDN_COMMENTS.CSV', fixture('ofac/sdn_comments.csv'));
  for (const f of ['CONS_PRIM', 'CONS_ALT', 'CONS_ADD', 'CONS_COMMENTS'])
    file(`/api/download/${f}.CSV`, fixture(`ofac/${f.toLowerCase()}.csv`));
  for (const [k, v] of [...r])
    if (k.startsWith('/api/download/'))
      r.set(k.replace('/api/download/', '/api/PublicationPreview/exports/'), v);
  // The stored subset ends inside a quoted field (watchman cut it so): served to its last whole row.
  const csl = readFileSync(join(dir, 'csl_2023-11_watchman_subset.csv'));
  file(
    '/downloadable_consolidated_screening_list/v1/consolidated.csv',
    csl.subarray(0, csl.lastIndexOf(0x0a) + 1),
  );
  // A year of OFAC publications: about three a week (an assumption), each as its documentation shapes it.
  const year = new Date().getUTCFullYear();
  const pubs = Array.from({ length: 150 }, (_, i) => ({
    publicationID: 9000 + i,
    datePublished: new Date(Date.UTC(year, 0, 1) + i * 2.3 * 86_400_000).toISOString().slice(0, 19),
  }));
  file(`/changes/history/${year}`, Buffer.from(JSON.stringify(pubs)), false);
  // The Federal Register answers no 304 (an assumption): each poll reads the whole answer.
  const fr = JSON.parse(
    fixture('federal_register/documents_bis_constructed.json').toString('utf8'),
  ) as { results: Record<string, unknown>[] };
  const doc = {
    ...fr.results[0]!,
    raw_text_url:
      'https://www.federalregister.gov/documents/full_text/text/2019/05/21/2019-10616.txt',
    full_text_xml_url:
      'https://www.federalregister.gov/documents/full_text/xml/2019/05/21/2019-10616.xml',
  };
  const answer = (n: number) =>
    Buffer.from(
      JSON.stringify({
        count: n,
        description: 'Documents',
        total_pages: 1,
        results: Array.from({ length: n }, (_, i) => ({
          ...doc,
          document_number: `2026-${String(i).padStart(5, '0')}`,
        })),
      }),
    );
  // As many documents as the query asks for (per_page): the feeds' page size decides the bytes.
  for (const n of [20, 50, 100]) file(`/api/v1/documents.json?per_page=${n}`, answer(n), false);
  const dod = fixture('federal_register/dod_1260h/documents_shaped.json');
  file('/api/v1/documents.json#dod-1260h', dod, false);
  const desk = JSON.parse(
    fixture('federal_register/public_inspection_current_shaped.json').toString('utf8'),
  ) as { results: Record<string, unknown>[] };
  file(
    '/api/v1/public-inspection-documents/current.json',
    Buffer.from(
      JSON.stringify({
        count: 100,
        results: Array.from({ length: 100 }, (_, i) => ({
          ...desk.results[0]!,
          document_number: `2026-${String(20000 + i)}`,
          title: `Agency Information Collection Activities ${i}`,
        })),
      }),
    ),
    false,
  );
  for (const t of [
    '/documents/full_text/text/2021/06/28/2021-13753.txt',
    '/documents/full_text/text/2024/12/18/2024-30018.txt',
    '/documents/full_text/text/2025/01/07/2025-00070.txt',
    '/documents/full_text/xml/2026/06/10/2026-11571.xml',
  ]) {
    const n = t.match(/(\d{4}-\d{5})\.(txt|xml)$/)!;
    file(t, fixture(`federal_register/dod_1260h/${n[1]}_shaped.${n[2]}`), false);
  }
  // PACER feeds: the real S.D.N.Y. feed's size for the district courts, the real D.C. Circuit one.
  file('/cgi-bin/rss_outside.pl', fixture('pacer_rss/sdny_1_excerpt.xml'), false);
  file('/n/beam/servlet/TransportRoom', fixture('pacer_rss/cadc.xml'), false);
  return r;
}

interface Tally {
  requests: number;
  bytes: number;
}

async function measure(
  withEtags: boolean,
  sources: SourceConfig[],
  polls: number,
): Promise<Map<string, Tally>> {
  const routes = site(withEtags);
  let current = '';
  const tally = new Map<string, Tally>();
  const count = (bytes: number) => {
    const t = tally.get(current) ?? { requests: 0, bytes: 0 };
    t.requests++;
    t.bytes += bytes;
    tally.set(current, t);
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const u = new URL(req.url ?? '/', 'http://x');
    const key =
      u.pathname !== '/api/v1/documents.json'
        ? u.pathname
        : u.searchParams.get('conditions[term]') === '"chinese military"'
          ? `${u.pathname}#dod-1260h`
          : `${u.pathname}?per_page=${u.searchParams.get('per_page')}`;
    const route = routes.get(key);
    // Headers count too: about 200 bytes an answer.
    if (!route) return void (count(200), res.writeHead(404).end());
    const etag = `"${route.body.length}"`;
    if (route.etag && req.headers['if-none-match'] === etag)
      return void (count(200), res.writeHead(304, { etag }).end());
    count(200 + route.body.length);
    res
      .writeHead(200, {
        'content-length': String(route.body.length),
        ...(route.etag ? { etag } : {}),
      })
      .end(route.body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const h = createHarness({ defaultChannels: ['console:bench'] });
  try {
    for (const s of sources) {
      const local = {
        ...s,
        url: s.url.replace(/^https:\/\/[^/]+/, `http://127.0.0.1:${port}`),
        options: Object.fromEntries(
          Object.entries(s.options).map(([k, v]) => [
            k,
            typeof v === 'string' ? v.replace(/^https:\/\/[^/]+/, `http://127.0.0.1:${port}`) : v,
          ]),
        ),
      };
      // The first poll is the baseline (and reads each notice's text once); the next ones are a day's.
      current = `${s.id}#baseline`;
      await h.poll(local);
      current = s.id;
      for (let i = 0; i < polls; i++) await h.poll(local);
    }
  } finally {
    h.close();
    server.close();
  }
  for (const [k, t] of tally)
    tally.set(k, {
      requests: t.requests / (k.endsWith('#baseline') ? 1 : polls),
      bytes: t.bytes / (k.endsWith('#baseline') ? 1 : polls),
    });
  return tally;
}

/** Polls a day for a five-field cron schedule of the forms the built-in sources use. */
function pollsPerDay(schedule: string): number {
  const [minute, hour] = schedule.split(' ') as [string, string];
  const step = /^(\*|\d+-59)\/(\d+)$/.exec(minute);
  const first = step ? (step[1] === '*' ? 0 : Number(step[1]!.split('-')[0])) : 0;
  const perHour =
    minute === '*'
      ? 60
      : step
        ? Math.ceil((60 - first) / Number(step[2]))
        : minute.split(',').length;
  return perHour * (hour === '*' ? 24 : hour.split(',').length);
}

const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
const sources = loadSourcesFile();
const now = await measure(true, sources, 3);
const noEtag = await measure(false, sources, 3);

// Before: the OFAC files every hour from the export path, no list of publications asked.
// and the Federal Register feeds 100 documents a page.
const before = sources.map((s) =>
  s.kind === 'ofac-csv'
    ? {
        ...s,
        schedule: s.id === 'ofac-sdn' ? '7 * * * *' : '9 * * * *',
        options: Object.fromEntries(
          Object.entries(s.options).filter(([k]) => k !== 'publicationsUrl'),
        ),
      }
    : s.kind === 'federal-register'
      ? { ...s, options: { ...s.options, perPage: 100 } }
      : s,
);
const beforeEtag = await measure(
  true,
  before.filter((s) => s.kind === 'ofac-csv' || s.kind === 'federal-register'),
  3,
);
const beforeNoEtag = await measure(
  false,
  before.filter((s) => s.kind === 'ofac-csv' || s.kind === 'federal-register'),
  3,
);

let dayReq = 0;
let dayBytes = 0;
let dayBytesNoEtag = 0;
console.log(
  '  a day of polls with nothing new, per built-in source (requests and bytes sent by the servers; with / without 304 answers where a server may give them)',
);
for (const s of sources) {
  const n = pollsPerDay(s.schedule);
  const t = now.get(s.id) ?? { requests: 0, bytes: 0 };
  const u = noEtag.get(s.id) ?? t;
  dayReq += n * t.requests;
  dayBytes += n * t.bytes;
  dayBytesNoEtag += n * u.bytes;
  const latency = (24 * 60) / n;
  console.log(
    `  ${s.id.padEnd(18)} ${s.schedule.padEnd(16)} ${String(n).padStart(3)} polls × ${t.requests.toFixed(0)} request(s) = ${(n * t.requests).toFixed(0).padStart(4)} requests, ${mb(n * t.bytes).padStart(8)} (${mb(n * u.bytes)} without 304s); publication to alert: at most ${latency.toFixed(0)} min, ${(latency / 2).toFixed(1)} min on average`,
  );
}
const ofacBefore = (m: Map<string, Tally>) =>
  ['ofac-sdn', 'ofac-consolidated'].reduce((sum, id) => sum + 24 * (m.get(id)?.bytes ?? 0), 0);
const ofacNow = (m: Map<string, Tally>) =>
  ['ofac-sdn', 'ofac-consolidated'].reduce(
    (sum, id) =>
      sum + pollsPerDay(sources.find((s) => s.id === id)!.schedule) * (m.get(id)?.bytes ?? 0),
    0,
  );
console.log(
  `  all built-in sources: ${dayReq.toFixed(0)} requests and ${mb(dayBytes)} a day (${mb(dayBytesNoEtag)} if no server answers 304)`,
);
console.log(
  `  the OFAC lists: ${mb(ofacNow(now))} a day now, polled every 5 minutes (${mb(ofacNow(noEtag))} without 304s); before, hourly downloads of the files: ${mb(ofacBefore(beforeEtag))} with 304s, ${mb(ofacBefore(beforeNoEtag))} without (ratio now/before without 304s: ${(ofacNow(noEtag) / ofacBefore(beforeNoEtag)).toFixed(3)})`,
);
// Before, the whole configuration: no 1260H list, no public inspection, one court, the OFAC files hourly.
const wasBuiltIn = new Set([
  'ofac-sdn',
  'ofac-consolidated',
  'csl',
  'fr-bis',
  'fr-ofac',
  'fr-dod',
  'fr-dhs',
  'pacer-dcd',
]);
const beforeTotal = (then: Map<string, Tally>, rest: Map<string, Tally>) =>
  ofacBefore(then) +
  sources
    .filter((s) => wasBuiltIn.has(s.id) && s.kind !== 'ofac-csv')
    .reduce(
      (sum, s) =>
        sum +
        pollsPerDay(s.schedule) *
          ((s.kind === 'federal-register' ? then : rest).get(s.id)?.bytes ?? 0),
      0,
    );
console.log(
  `  every built-in source, now against before: ${mb(dayBytesNoEtag)} against ${mb(beforeTotal(beforeNoEtag, noEtag))} a day when no server answers 304 (ratio ${(dayBytesNoEtag / beforeTotal(beforeNoEtag, noEtag)).toFixed(2)}); ${mb(dayBytes)} against ${mb(beforeTotal(beforeEtag, now))} when OFAC and trade.gov do (then the list of publications costs more than hourly 304s, and buys 5 minutes instead of 60)`,
);
console.log(
  `  the first poll of each source reads more once: dod-1260h ${mb(now.get('dod-1260h#baseline')?.bytes ?? 0)} in ${now.get('dod-1260h#baseline')?.requests ?? 0} requests (the search and each notice's text, kept after)`,
);
console.log(
  '  assumed: OFAC publishes ~150 times a year (its list of publications sized so); the Federal Register answers 50 documents a query, a feed’s page size (no 304); PACER feeds are the real S.D.N.Y. and D.C. Circuit sizes. The 1260H notices read at the first poll are the four shaped fixtures, not the real dozen.',
);
