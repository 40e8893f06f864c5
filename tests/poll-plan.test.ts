// A poll is a plan (fetch → parse → judge) that writes nothing, then one commit step: a plan made
// and dropped (a crash, a shutdown between the two) leaves the database exactly as it was.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openDb } from '../db/database.js';
import { ensureSource } from '../db/source-state.js';
import { addSubscription } from '../db/subscriptions.js';
import { commitPlan, readForCommit } from '../src/poll/commit.js';
import { planPoll } from '../src/poll/plan.js';
import { FeedServer } from './helpers/feed-server.js';
import { fixture } from './helpers/fixtures.js';
import { pollTestbed, source } from './helpers/poll-harness.js';

const before = fixture('ofac/sdn_2024-04-04_trimmed.csv');
const after = fixture('ofac/sdn_2024-04-12_trimmed.csv');

describe('poll plan and commit', () => {
  const { server, h } = pollTestbed();
  const sdn = () => source('ofac-sdn', 'ofac-csv', server.url('/sdn.csv'));

  const dump = () =>
    h.db
      .prepare(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE '%fts%' AND name NOT LIKE 'sqlite_%' ORDER BY name",
      )
      .pluck()
      .all()
      .map((t) => [t, h.db.prepare(`SELECT * FROM "${t as string}"`).all()]);

  it('plans every outcome without writing, and the commit writes what was planned', async () => {
    server.set('/sdn.csv', { kind: 'body', body: before });
    await h.poll(sdn());
    const shrunk = Buffer.from(
      `${before.toString('latin1').split('\r\n').slice(0, 40).join('\r\n')}\r\n\x1a`,
      'latin1',
    );
    const answers: [Parameters<FeedServer['set']>[1], string][] = [
      [{ kind: 'body', body: after }, 'list'],
      [{ kind: 'body', body: before, etag: false }, 'same'],
      [{ kind: 'body', body: shrunk }, 'hold'],
      [{ kind: 'body', body: '<html><body>502 Bad Gateway</body></html>' }, 'fail'],
      [{ kind: 'status', status: 503 }, 'fail'],
    ];
    for (const [answer, step] of answers) {
      server.set('/sdn.csv', answer);
      const state = ensureSource(h.db, 'ofac-sdn', 'ofac-csv', 'ofac-sdn');
      const was = dump();
      const plan = await planPoll(h.deps, sdn(), state);
      expect(plan.step).toBe(step);
      expect(dump()).toEqual(was);
    }
    // The plan of the real next version, committed: exactly its changes.
    server.set('/sdn.csv', { kind: 'body', body: after });
    const state = ensureSource(h.db, 'ofac-sdn', 'ofac-csv', 'ofac-sdn');
    const result = commitPlan(
      h.deps,
      sdn(),
      state,
      await planPoll(h.deps, sdn(), state),
      '2024-04-12T10:00:00.000Z',
    );
    expect(result).toMatchObject({ status: 'changed', added: 4, removed: 2, amended: 1 });
    expect(h.db.prepare('SELECT count(*) FROM changes').pluck().get()).toBe(7);
  });

  it('reads a list poll before taking the write lock, and reads again if another connection committed since', async () => {
    server.set('/sdn.csv', { kind: 'body', body: before });
    await h.poll(sdn());
    server.set('/sdn.csv', { kind: 'body', body: after });
    const other = openDb(join(h.dir, 'test.db')).db;
    // No waiting: a write that found the database locked would fail at once.
    other.pragma('busy_timeout = 0');
    const azzam = () =>
      h.db
        .prepare(
          `SELECT d.channel FROM deliveries d JOIN alerts a ON a.id = d.alert_id
           JOIN changes c ON c.id = a.change_id
           WHERE c.type = 'designation.added' AND c.name LIKE '%AZZAM%' ORDER BY d.channel`,
        )
        .pluck()
        .all();
    try {
      const at = '2024-04-12T10:00:00.000Z';
      const state = ensureSource(h.db, 'ofac-sdn', 'ofac-csv', 'ofac-sdn');
      const pending = readForCommit(h.deps, sdn(), state, await planPoll(h.deps, sdn(), state), at);
      // Between the reads and the write, a `subscribe` in another process: it takes the lock at
      // once, and the poll's alert reaches the channel it just followed the added entry in.
      addSubscription(other, 'slack:CNEW', { kind: 'entity', value: "Khalil Muhammad 'Azzam" }, at);
      expect(pending.write()).toMatchObject({ status: 'changed', added: 4, removed: 2 });
      expect(azzam()).toEqual(['console:test', 'slack:CNEW']);
    } finally {
      other.close();
    }
  });

  it('reads a feed poll before the write lock too, and again if a case was followed in between', async () => {
    const dcd = () => source('pacer-dcd', 'pacer', server.url('/dcd.xml'), {});
    const feed = (v: number) =>
      server.set('/dcd.xml', {
        kind: 'body',
        body: fixture(`pacer_rss/dcd_constructed_v${v}.xml`),
        contentType: 'application/rss+xml',
      });
    feed(1);
    await h.poll(dcd());
    feed(2);
    const other = openDb(join(h.dir, 'test.db')).db;
    other.pragma('busy_timeout = 0');
    try {
      const at = '2021-03-12T18:00:00.000Z';
      const state = ensureSource(h.db, 'pacer-dcd', 'pacer', 'pacer-dcd');
      const pending = readForCommit(h.deps, dcd(), state, await planPoll(h.deps, dcd(), state), at);
      // Xiaomi's case, followed from another process between the reads and the write: its new
      // entries (a court feed is otherwise quiet) reach the channel.
      addSubscription(
        other,
        'slack:CASE',
        { kind: 'case', value: '1:21-cv-00280', court: 'dcd' },
        at,
      );
      const r = pending.write();
      expect(r).toMatchObject({ status: 'changed', items: 5 });
      const told = r.alerts.flatMap((a) =>
        a.type === 'feed.item' ? [`${a.item.documentNumber} ${a.channels.join(' ')}`] : [],
      );
      expect(told.sort()).toEqual(['21 console:test slack:CASE', '22 console:test slack:CASE']);
    } finally {
      other.close();
    }
  });
});
