// Email through a real SMTP server in the test (smtp-server): a batch as one email with a text and
// an HTML part, the subscription that brought it named; a recipient refused for good is
// dead-lettered and /healthz says so; a server that drops the connection or answers 421 is
// retried; the SMTP password never shows.
import { createServer as createTcpServer, type Server as TcpServer } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readEmailConfig } from '../adapters/email/config.js';
import { createEmailAdapter } from '../adapters/email/email-adapter.js';
import { deadLetters, enqueueAlert } from '../db/outbox.js';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import type { NewAlert } from '../src/domain.js';
import { healthReport } from '../src/http/health.js';
import { createLogger } from '../src/log.js';
import { cleanEnv, runCli } from './helpers/cli.js';
import { createHarness, type Harness } from './helpers/poll-harness.js';

const PASSWORD = 'smtp-pass-do-not-log';
const added = (name: string): NewAlert =>
  ({
    type: 'designation.added',
    source: 'ofac-sdn',
    sourceLabel: 'OFAC SDN',
    detectedAt: new Date().toISOString(),
    list: 'SDN',
    entity: { key: `SDN:${name}`, name, aliases: [], programs: ['SDGT'] },
    record: {
      key: `SDN:${name}`,
      list: 'SDN',
      name,
      aliases: [],
      type: 'entity',
      programs: ['SDGT'],
      countries: [],
      addresses: [],
      listedOn: '2024-04-12',
      citation: null,
      url: 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=1',
      remarks: null,
    },
  }) as NewAlert;

describe('email configuration', () => {
  it('reads SMTP_URL and the sender, and refuses what does not parse', async () => {
    expect(readEmailConfig({})).toBeNull();
    expect(
      readEmailConfig({
        SMTP_URL: `smtps://alerts%40example.com:${PASSWORD}@smtp.example.com:465`,
      }),
    ).toEqual({
      smtpUrl: `smtps://alerts%40example.com:${PASSWORD}@smtp.example.com:465`,
      from: 'alerts@example.com',
    });
    expect(() => readEmailConfig({ SMTP_URL: `https://u:${PASSWORD}@smtp.example.com` })).toThrow(
      /SMTP_URL=https:\/\/\*\*\*:\*\*\*@smtp\.example\.com\/ must start with smtp:\/\//,
    );
    expect(() => readEmailConfig({ SMTP_URL: 'smtp://relay:25' })).toThrow(
      /set SANCTIONS_RADAR_EMAIL_FROM/,
    );
    const r = await runCli(
      ['poll'],
      cleanEnv({
        SMTP_URL: 'smtp://localhost:2525',
        SANCTIONS_RADAR_EMAIL_FROM: 'radar@example.com',
        SANCTIONS_RADAR_ALERT_CHANNELS: 'email:not-an-address@',
        SANCTIONS_RADAR_DB: ':memory:',
      }),
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /SANCTIONS_RADAR_ALERT_CHANNELS has "email:not-an-address@"|email:not-an-address@/,
    );
    const sub = await runCli(
      ['subscribe', 'Huawei', '--channel', 'email:ana@'],
      cleanEnv({ SANCTIONS_RADAR_DB: ':memory:' }),
    );
    expect(sub).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/"ana@" is not an email address/),
    });
  });
});

describe('email through a real SMTP server', () => {
  const mails: { from: string; to: string[]; raw: string }[] = [];
  let rejectNextConnection = false;
  const smtp = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, cb) {
      if (auth.username === 'radar' && auth.password === PASSWORD)
        return cb(null, { user: 'radar' });
      cb(new Error('Invalid username or password'));
    },
    onConnect(_session, cb) {
      if (!rejectNextConnection) return cb();
      rejectNextConnection = false;
      cb(Object.assign(new Error('Too many connections, try again later'), { responseCode: 421 }));
    },
    onRcptTo(address, _session, cb) {
      if (address.address === 'gone@example.com')
        return cb(
          Object.assign(new Error('5.1.1 <gone@example.com>: mailbox unavailable'), {
            responseCode: 550,
          }),
        );
      cb();
    },
    onData(stream, session, cb) {
      let raw = '';
      stream.on('data', (d: Buffer) => (raw += d.toString()));
      stream.on('end', () => {
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw,
        });
        cb();
      });
    },
  });
  let port = 0;
  // A server that takes the connection and closes it at once.
  const dropper: TcpServer = createTcpServer((socket) => socket.destroy());
  let dropPort = 0;
  let h: Harness;
  const lines: string[] = [];
  const log = createLogger('debug', { write: (l: string) => lines.push(l) });
  beforeAll(async () => {
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    port = (smtp.server.address() as { port: number }).port;
    await new Promise<void>((resolve) => dropper.listen(0, '127.0.0.1', resolve));
    dropPort = (dropper.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.close(resolve));
    await new Promise<void>((resolve) => dropper.close(() => resolve()));
  });
  beforeEach(() => {
    h = createHarness();
    mails.length = 0;
  });
  afterEach(() => h.close());
  const adapter = (p = port) =>
    createEmailAdapter(
      { smtpUrl: `smtp://radar:${PASSWORD}@127.0.0.1:${p}`, from: 'radar@example.com' },
      { log },
    );
  const queue = (to: string, ...names: string[]) =>
    names.map(
      (n) =>
        enqueueAlert(h.db, added(n), new Map([[`email:${to}`, 'subscription #3: "Huawei"']]), null)
          .id,
    );
  const status = (id: number, to: string) =>
    h.db
      .prepare(
        'SELECT status, attempts, last_error AS error FROM deliveries WHERE alert_id = ? AND channel = ?',
      )
      .get(id, `email:${to}`);

  it('sends a batch as one email with a text and an HTML part, naming the subscription that brought it', async () => {
    queue('ana@example.com', 'HUAWEI <b>TECHNOLOGIES</b>', 'HESAI GROUP');
    const a = adapter();
    expect(await new Dispatcher(h.db, log, [a]).dispatch()).toMatchObject({ sent: 2 });
    await a.stop!();
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail).toMatchObject({ from: 'radar@example.com', to: ['ana@example.com'] });
    expect(mail.raw).toMatch(/^Subject: \[sanctions-radar\] 2 changes from OFAC SDN$/m);
    expect(mail.raw).toMatch(/Content-Type: text\/plain/);
    expect(mail.raw).toMatch(/Content-Type: text\/html/);
    expect(mail.raw).not.toMatch(/List-Unsubscribe/i);
    const body = mail.raw.replace(/=\r?\n/g, '');
    expect(body).toContain(
      'You get this at email:ana@example.com because of: subscription #3: "Huawei".',
    );
    // What the list says is text in the HTML part, never markup.
    expect(body).toContain('HUAWEI &lt;b&gt;TECHNOLOGIES&lt;/b&gt;');
    expect(body).not.toContain('<b>TECHNOLOGIES</b></a>');
  });

  it('dead-letters a recipient refused for good, and /healthz says so', async () => {
    const [id] = queue('gone@example.com', 'HUAWEI');
    const a = adapter();
    expect(await new Dispatcher(h.db, log, [a]).dispatch()).toMatchObject({ dead: 1 });
    await a.stop!();
    expect(status(id!, 'gone@example.com')).toMatchObject({
      status: 'dead',
      error: expect.stringMatching(
        /^email to gone@example\.com refused: 550 5\.1\.1 <gone@example\.com>: mailbox unavailable/,
      ),
    });
    const health = healthReport(
      [],
      new Set(),
      new Map(),
      [],
      null,
      [],
      deadLetters(h.db, new Date(Date.now() - 86_400_000).toISOString()),
    );
    expect(health).toMatchObject({
      status: 'degraded',
      deadLetters: [
        {
          channel: 'email:gone@example.com',
          count: 1,
          reason: expect.stringMatching(/mailbox unavailable/),
        },
      ],
    });
    // A login the server refuses is no fault of the address: the channel waits for a person.
    queue('ana@example.com', 'HESAI');
    const wrong = createEmailAdapter(
      { smtpUrl: 'smtp://radar:wrong-password@127.0.0.1:' + port, from: 'radar@example.com' },
      { log },
    );
    expect(await new Dispatcher(h.db, log, [wrong]).dispatch()).toMatchObject({ paused: 1 });
    await wrong.stop!();
    expect(
      h.db
        .prepare('SELECT paused_reason FROM channel_state WHERE channel = ?')
        .pluck()
        .get('email:ana@example.com'),
    ).toMatch(/^email: the SMTP server refused the login: 535 .* \(check SMTP_URL\)$/);
  });

  it('retries a server that drops the connection, or answers 421, and sends once it takes the mail', async () => {
    const [id] = queue('ana@example.com', 'HUAWEI');
    let clock = Date.now();
    const dropping = adapter(dropPort);
    expect(
      await new Dispatcher(h.db, log, [dropping], { now: () => new Date(clock) }).dispatch(),
    ).toMatchObject({ sent: 0, retrying: 1 });
    await dropping.stop!();
    expect(status(id!, 'ana@example.com')).toMatchObject({
      status: 'pending',
      attempts: 1,
      error: expect.stringMatching(/^email to ana@example\.com: /),
    });
    clock += 60_000;
    rejectNextConnection = true;
    const busy = adapter();
    expect(
      await new Dispatcher(h.db, log, [busy], { now: () => new Date(clock) }).dispatch(),
    ).toMatchObject({ sent: 0, retrying: 1 });
    expect(status(id!, 'ana@example.com')).toMatchObject({
      status: 'pending',
      attempts: 2,
      error: expect.stringMatching(/421 Too many connections/),
    });
    clock += 120_000;
    expect(
      await new Dispatcher(h.db, log, [busy], { now: () => new Date(clock) }).dispatch(),
    ).toMatchObject({ sent: 1 });
    await busy.stop!();
    expect(mails).toHaveLength(1);
    expect(lines.join('\n')).not.toContain(PASSWORD);
    expect(JSON.stringify(h.db.prepare('SELECT * FROM deliveries').all())).not.toContain(PASSWORD);
  });
});
