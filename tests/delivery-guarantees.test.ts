// Delivery that loses nothing and says nothing twice: two dispatching processes, long backlogs,
// crashes before printing, rate-limited Slack threads, Discord's message size, stale routing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleAdapter } from '../adapters/console/console-adapter.js';
import { createDiscordAdapter } from '../adapters/discord/discord-adapter.js';
import { createSlackAdapter } from '../adapters/slack/slack-adapter.js';
import { openDb, type Db } from '../db/database.js';
import { enqueueAlert } from '../db/outbox.js';
import { ensureSource } from '../db/source-state.js';
import { alertForItem, healthAlert } from '../src/alerts/derive.js';
import { runCommand } from '../src/commands/run.js';
import { readSettings } from '../src/config/settings.js';
import type { Adapter, DeliveryItem } from '../src/delivery/adapter.js';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import { silentLogger } from '../src/log.js';
import { NameMatcher } from '../src/names/matcher.js';
import { pollSource } from '../src/poll/poll-source.js';
import { FakeDiscord } from './helpers/fake-discord.js';
import { FakeSlack } from './helpers/fake-slack.js';
import { FeedServer } from './helpers/feed-server.js';
import { fixture } from './helpers/fixtures.js';
import { createHarness, source } from './helpers/poll-harness.js';

const ref = { id: 's', label: 'S' };
const settle = () => new Promise((r) => setTimeout(r, 5));

/** A platform that takes a little while per batch and records every alert it was given. */
function slowAdapter(platform: string, seen: string[]): Adapter {
  return {
    platform,
    async deliver(channel: string, items: DeliveryItem[]) {
      await settle();
      for (const i of items) seen.push(`${channel}#${i.alert.id}`);
      return { ok: true };
    },
  };
}

describe('the outbox shared by several processes', () => {
  let dir: string;
  let a: Db;
  let b: Db;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sr-claims-'));
    a = openDb(join(dir, 'radar.db')).db;
    b = openDb(join(dir, 'radar.db')).db;
    ensureSource(a, 's', 'rss', null);
  });
  afterEach(() => {
    a.close();
    b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('two dispatchers on one database send each alert to each channel once', async () => {
    const at = new Date().toISOString();
    for (let i = 0; i < 30; i++)
      enqueueAlert(
        a,
        healthAlert('failing', `r${i}`, ref, at),
        new Map([
          ['chat:A', 't'],
          ['chat:B', 't'],
          ['chat:C', 't'],
        ]),
        null,
      );
    const seen: string[] = [];
    const one = new Dispatcher(a, silentLogger, [slowAdapter('chat', seen)], { batchSize: 3 });
    const two = new Dispatcher(b, silentLogger, [slowAdapter('chat', seen)], { batchSize: 3 });
    const [r1, r2] = await Promise.all([one.drain(5000), two.drain(5000)]);
    expect(r1.sent + r2.sent).toBe(90);
    expect(seen).toHaveLength(90);
    expect(new Set(seen).size).toBe(90);
    // Per channel, in alert order, whoever sent it.
    for (const ch of ['A', 'B', 'C']) {
      const ids = seen.filter((s) => s.startsWith(`${ch}#`)).map((s) => Number(s.split('#')[1]));
      expect(ids).toEqual([...ids].sort((x, y) => x - y));
    }
    expect(
      a
        .prepare("SELECT count(*) FROM deliveries WHERE status = 'sent' AND claimed_by IS NULL")
        .pluck()
        .get(),
    ).toBe(90);
  });

  it('a claim left by a crashed process expires with its lease', async () => {
    enqueueAlert(
      a,
      healthAlert('failing', 'r', ref, new Date().toISOString()),
      new Map([['chat:A', 't']]),
      null,
    );
    a.prepare("UPDATE deliveries SET claimed_by = 'dead-host:1:x', lease_until = ?").run(
      new Date(Date.now() + 60_000).toISOString(),
    );
    const seen: string[] = [];
    expect(
      (await new Dispatcher(b, silentLogger, [slowAdapter('chat', seen)]).dispatch()).sent,
    ).toBe(0);
    a.prepare('UPDATE deliveries SET lease_until = ?').run(new Date(Date.now() - 1).toISOString());
    expect(
      (await new Dispatcher(b, silentLogger, [slowAdapter('chat', seen)]).dispatch()).sent,
    ).toBe(1);
  });

  it('drains a backlog far beyond one page in one run', async () => {
    const at = new Date().toISOString();
    a.transaction(() => {
      for (let i = 0; i < 1200; i++)
        enqueueAlert(a, healthAlert('failing', `r${i}`, ref, at), new Map([['chat:A', 't']]), null);
    })();
    const seen: string[] = [];
    const r = await new Dispatcher(a, silentLogger, [slowAdapter('chat', seen)], {
      pageSize: 500,
    }).drain(30_000);
    expect(r.sent).toBe(1200);
    expect(r.capped).toBeFalsy();
    expect(seen).toHaveLength(1200);
  });

  it('prints what an earlier run left unprinted, marked redelivered, once', async () => {
    const before = new Date(Date.now() - 60_000).toISOString();
    enqueueAlert(
      a,
      healthAlert('failing', 'left over', ref, before),
      new Map([
        ['console:default', 't'],
        ['console:ops', 't'],
      ]),
      null,
    );
    const lines: string[] = [];
    const console = createConsoleAdapter({
      json: true,
      mode: 'poll',
      write: async (l) => void lines.push(l),
    });
    await new Dispatcher(a, silentLogger, [console]).drain(1000);
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({ reason: 'left over', redelivered: true }),
    ]);
    await new Dispatcher(a, silentLogger, [
      createConsoleAdapter({ json: true, mode: 'poll', write: async (l) => void lines.push(l) }),
    ]).drain(1000);
    expect(lines).toHaveLength(1);
  });

  it('a poll of a source another process is polling is skipped, not doubled', async () => {
    const server = await new FeedServer().start();
    try {
      server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
      const cfg = source('ofac-sdn', 'ofac-csv', server.url('/sdn.csv'));
      const deps = (db: Db) => ({
        db,
        log: silentLogger,
        fetch: { timeoutMs: 2000, maxBytes: 1e7, userAgent: 't' },
        defaultChannels: ['console:x'],
        maxShrink: 0.1,
        confirmPolls: 3,
      });
      ensureSource(a, 'ofac-sdn', 'ofac-csv', null);
      a.prepare(
        "UPDATE sources SET poll_claimed_by = 'other:1:x', poll_lease_until = ? WHERE id = 'ofac-sdn'",
      ).run(new Date(Date.now() + 60_000).toISOString());
      expect(await pollSource(deps(b), cfg)).toMatchObject({ status: 'busy' });
      expect(server.hits('/sdn.csv')).toHaveLength(0);
      a.prepare("UPDATE sources SET poll_lease_until = ? WHERE id = 'ofac-sdn'").run(
        new Date(Date.now() - 1).toISOString(),
      );
      expect(await pollSource(deps(b), cfg)).toMatchObject({ status: 'baseline' });
      expect(
        a.prepare("SELECT poll_claimed_by FROM sources WHERE id = 'ofac-sdn'").pluck().get(),
      ).toBeNull();
    } finally {
      await server.stop();
    }
  });

  it('a poll ends its claim in its own commit: no other process sees it written while the source is still claimed', async () => {
    const server = await new FeedServer().start();
    try {
      const cfg = source('ofac-sdn', 'ofac-csv', server.url('/sdn.csv'));
      const deps = {
        db: b,
        log: silentLogger,
        fetch: { timeoutMs: 2000, maxBytes: 1e7, userAgent: 't' },
        defaultChannels: ['console:x'],
        maxShrink: 0.1,
        confirmPolls: 3,
      };
      server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
      await pollSource(deps, cfg);
      server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-12_trimmed.csv') });
      // What the other process (connection a) sees at the moment b's release is written.
      const seen: unknown[] = [];
      const other = a.prepare(
        "SELECT (SELECT count(*) FROM changes) AS changes, poll_claimed_by AS claimedBy FROM sources WHERE id = 'ofac-sdn'",
      );
      b.function('peek', () => {
        seen.push(other.get());
        return null;
      });
      b.exec(
        'CREATE TEMP TRIGGER peek_release AFTER UPDATE OF poll_claimed_by ON main.sources WHEN NEW.poll_claimed_by IS NULL BEGIN SELECT peek(); END',
      );
      try {
        expect(await pollSource(deps, cfg)).toMatchObject({
          status: 'changed',
          added: 4,
          removed: 2,
          amended: 1,
        });
      } finally {
        b.exec('DROP TRIGGER temp.peek_release');
      }
      // Released once, inside the transaction that wrote the 7 changes: a still saw neither.
      expect(seen).toEqual([{ changes: 0, claimedBy: expect.stringMatching(/.+/) }]);
      expect(a.prepare('SELECT count(*) FROM changes').pluck().get()).toBe(7);
      expect(
        a.prepare("SELECT poll_claimed_by FROM sources WHERE id = 'ofac-sdn'").pluck().get(),
      ).toBeNull();
    } finally {
      await server.stop();
    }
  });
});

describe('platform limits that used to lose alerts', () => {
  const slack = new FakeSlack();
  const discord = new FakeDiscord();
  let db: Db;
  beforeAll(async () => {
    await slack.start();
    await discord.start();
  });
  afterAll(async () => {
    await slack.stop();
    await discord.stop();
  });
  beforeEach(() => {
    db = openDb(':memory:').db;
    ensureSource(db, 'fr-bis', 'federal-register', null);
    slack.calls.length = 0;
    discord.calls.length = 0;
  });
  afterEach(() => db.close());
  const ctx = {
    env: {},
    settings: readSettings({}),
    log: silentLogger,
    mode: 'poll' as const,
    json: false,
  };

  /** Nine Federal Register documents with 800-character abstracts, as BIS publishes them. */
  const enqueueNine = (channel: string) => {
    const at = new Date().toISOString();
    for (let i = 0; i < 9; i++) {
      const item = {
        guid: `2024-0${i}`,
        title: `Additions to the Entity List (${i})`,
        link: `https://www.federalregister.gov/d/2024-0${i}`,
        publishedAt: at,
        summary: `In this rule, BIS amends the EAR by adding entities. ${'x'.repeat(760)}`,
        documentType: 'Rule',
        label: 'Entity List additions',
      };
      enqueueAlert(
        db,
        alertForItem(item, [], ['all'], { id: 'fr-bis', label: 'Federal Register: BIS' }, at),
        new Map([[channel, 'every alert']]),
        null,
      );
    }
  };

  it('Discord: a digest of nine long documents is packed under 6,000 characters a message, and all arrive', async () => {
    enqueueNine('discord:111122223333444455');
    const adapter = createDiscordAdapter(
      {
        token: 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB',
        applicationId: null,
        guildId: null,
        apiUrl: discord.api,
        publicKey: null,
      },
      ctx,
    );
    const r = await new Dispatcher(db, silentLogger, [adapter]).drain(2000);
    expect(r).toMatchObject({ sent: 9, dead: 0 });
    expect(discord.calls.length).toBeGreaterThan(1);
    const detailed = discord.calls
      .flatMap((c) => (c.body.embeds as { title: string }[]).map((e) => e.title))
      .filter((t) => t.startsWith('Entity List additions'));
    expect(detailed).toHaveLength(9);
  });

  it('Slack: a rate-limited digest detail is retried after Retry-After, into the same thread, in order', async () => {
    enqueueNine('slack:C1');
    slack.queue(
      'chat.postMessage',
      { body: { ok: true, channel: 'C1', ts: '1700000100.000100' } },
      { body: { ok: true, channel: 'C1', ts: '1700000101.000100' } },
      {
        status: 429,
        headers: { 'retry-after': '1' },
        body: { ok: false, error: 'ratelimited' },
      },
    );
    const adapter = createSlackAdapter(
      { botToken: 'xoxb-test', appToken: null, signingSecret: null, apiUrl: slack.apiUrl },
      ctx,
    );
    const r = await new Dispatcher(db, silentLogger, [adapter]).drain(10_000);
    expect(r).toMatchObject({ sent: 9, dead: 0 });
    const posts = slack.posts();
    // The digest, detail 1, the refused detail 2, then details 2..9 into the digest's thread.
    expect(posts).toHaveLength(11);
    expect(posts[0]!.thread_ts).toBeUndefined();
    expect(posts.slice(1).every((p) => p.thread_ts === '1700000100.000100')).toBe(true);
    const titles = posts.slice(1).map((p) => JSON.stringify(p.blocks).match(/\(\d\)/)![0]);
    expect(titles).toEqual(['(0)', '(1)', '(1)', '(2)', '(3)', '(4)', '(5)', '(6)', '(7)', '(8)']);
  });
});

describe('routing after unsubscribe and subscribe reuse an id', () => {
  it('a new subscription routes at once, even when it gets the id of the one just removed', async () => {
    const server = await new FeedServer().start();
    const h = createHarness({ defaultChannels: ['console:ops'] });
    try {
      const sdn = source('ofac-sdn', 'ofac-csv', server.url('/sdn.csv'));
      server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
      const run = (t: string) =>
        runCommand(t, {
          db: h.db,
          matcher: new NameMatcher(h.db),
          sources: [sdn],
          channel: 'slack:C1',
        });
      expect(run('subscribe Integral Inzenjering').summary).toMatch(/#1/);
      await h.poll(sdn); // the router is built and cached now
      run('unsubscribe #1');
      expect(run('subscribe "Khalil Azzam"').summary).toMatch(/subscription #1\)/);
      server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-12_trimmed.csv') });
      const r = await h.poll(sdn);
      const azzam = r.alerts.find(
        (x) => x.type === 'designation.added' && x.entity.key === '48241',
      )!;
      expect(azzam.channels).toEqual(['console:ops', 'slack:C1']);
      const integral = r.alerts.find(
        (x) => x.type === 'designation.removed' && x.entity.key === '39137',
      )!;
      expect(integral.channels).toEqual(['console:ops']);
    } finally {
      h.close();
      await server.stop();
    }
  });
});
