import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDb, type Db } from '../db/database.js';
import { channelPause, enqueueAlert } from '../db/outbox.js';
import { ensureSource } from '../db/source-state.js';
import { createConsoleAdapter } from '../adapters/console/console-adapter.js';
import { healthAlert } from '../src/alerts/derive.js';
import type { Adapter, DeliveryItem, SendOutcome } from '../src/delivery/adapter.js';
import { backoffMs } from '../src/delivery/channel-delivery.js';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import { silentLogger } from '../src/log.js';

/** A platform that answers from a script and records what it was given. */
function scriptedAdapter(
  platform: string,
  script: SendOutcome[],
): Adapter & { calls: { channel: string; ids: number[] }[] } {
  const calls: { channel: string; ids: number[] }[] = [];
  return {
    platform,
    calls,
    async deliver(channel: string, items: DeliveryItem[]) {
      calls.push({ channel, ids: items.map((i) => i.alert.id) });
      return script.shift() ?? { ok: true, messageId: `m${calls.length}` };
    },
  };
}

describe('Dispatcher', () => {
  let db: Db;
  let clock: Date;
  const now = () => clock;
  const status = (channel: string) =>
    db
      .prepare(
        'SELECT alert_id AS id, status, attempts, next_attempt_at AS next, last_error AS error FROM deliveries WHERE channel = ? ORDER BY alert_id',
      )
      .all(channel);

  beforeEach(() => {
    db = openDb(':memory:').db;
    ensureSource(db, 's', 'rss', null);
    clock = new Date('2024-04-12T10:00:00Z');
    for (let i = 0; i < 3; i++) {
      enqueueAlert(
        db,
        healthAlert('failing', `reason ${i}`, { id: 's', label: 'S' }, clock.toISOString()),
        new Map([
          ['chat:A', 'test'],
          ['chat:B', 'test'],
        ]),
        null,
      );
    }
  });
  afterEach(() => db.close());

  it('claims at most perChannel of one channel a pass, says more is due, and drains the rest in order', async () => {
    const chat = scriptedAdapter('chat', []);
    const d = new Dispatcher(db, silentLogger, [chat], { now, perChannel: 2 });
    const first = await d.dispatch();
    expect(first).toMatchObject({ sent: 4, more: true });
    expect(chat.calls.map((c) => c.ids)).toEqual([
      [1, 2],
      [1, 2],
    ]);
    const rest = await d.drain(1000);
    expect(rest.sent).toBe(2);
    expect(chat.calls.slice(2).map((c) => c.ids)).toEqual([[3], [3]]);
  });

  it('delivers each channel its alerts in order, as one batch', async () => {
    const chat = scriptedAdapter('chat', []);
    const r = await new Dispatcher(db, silentLogger, [chat], { now }).dispatch();
    expect(r.sent).toBe(6);
    expect(chat.calls.sort((a, b) => a.channel.localeCompare(b.channel))).toEqual([
      { channel: 'A', ids: [1, 2, 3] },
      { channel: 'B', ids: [1, 2, 3] },
    ]);
    expect(status('chat:A').every((d) => (d as { status: string }).status === 'sent')).toBe(true);
    expect((await new Dispatcher(db, silentLogger, [chat], { now }).dispatch()).sent).toBe(0);
  });

  it('honours a rate limit for that channel only, without counting it as an attempt', async () => {
    const chat = scriptedAdapter('chat', []);
    chat.deliver = async (channel, items) => {
      chat.calls.push({ channel, ids: items.map((i) => i.alert.id) });
      return channel === 'A'
        ? { ok: false, kind: 'retry', error: 'ratelimited', retryAfterMs: 7000 }
        : { ok: true };
    };
    const d = new Dispatcher(db, silentLogger, [chat], { now });
    const r = await d.dispatch();
    expect(r).toMatchObject({ sent: 3, retrying: 3, nextDueAt: '2024-04-12T10:00:07.000Z' });
    expect(status('chat:A')).toMatchObject([
      { status: 'pending', attempts: 0, next: '2024-04-12T10:00:07.000Z' },
      {},
      {},
    ]);
    expect((await d.dispatch()).sent).toBe(0); // not due yet
    chat.deliver = async () => ({ ok: true });
    clock = new Date('2024-04-12T10:00:08Z');
    expect((await d.dispatch()).sent).toBe(3);
  });

  it('backs off on errors and gives up after the last attempt', async () => {
    const chat = scriptedAdapter(
      'chat',
      Array.from({ length: 20 }, () => ({
        ok: false as const,
        kind: 'retry' as const,
        error: 'ECONNRESET',
      })),
    );
    const d = new Dispatcher(db, silentLogger, [chat], { now, maxAttempts: 3 });
    await d.dispatch();
    expect(status('chat:A')[0]).toMatchObject({
      attempts: 1,
      next: new Date(clock.getTime() + backoffMs(1)).toISOString(),
      error: 'ECONNRESET',
    });
    clock = new Date(clock.getTime() + backoffMs(1));
    await d.dispatch();
    clock = new Date(clock.getTime() + backoffMs(2));
    const r = await d.dispatch();
    expect(r.dead).toBe(6);
    expect(status('chat:A')[0]).toMatchObject({ status: 'dead', attempts: 3 });
    expect(backoffMs(1)).toBe(30_000);
    expect(backoffMs(20)).toBe(3_600_000);
  });

  it('pauses a channel the platform refuses, and keeps its alerts', async () => {
    const chat = scriptedAdapter('chat', []);
    chat.deliver = async (channel) =>
      channel === 'A' ? { ok: false, kind: 'pause', error: 'not_in_channel' } : { ok: true };
    const r = await new Dispatcher(db, silentLogger, [chat], { now }).dispatch();
    expect(r).toMatchObject({ sent: 3, paused: 3 });
    expect(channelPause(db, 'chat:A')).toMatchObject({ reason: 'not_in_channel' });
    expect(status('chat:A').every((d) => (d as { status: string }).status === 'pending')).toBe(
      true,
    );
    // Paused: nothing is tried for half an hour; then one try, and a success resumes the channel.
    chat.deliver = async () => ({ ok: true });
    clock = new Date(clock.getTime() + 10 * 60_000);
    expect((await new Dispatcher(db, silentLogger, [chat], { now }).dispatch()).sent).toBe(0);
    clock = new Date(clock.getTime() + 25 * 60_000);
    expect((await new Dispatcher(db, silentLogger, [chat], { now }).dispatch()).sent).toBe(3);
    expect(channelPause(db, 'chat:A')).toBeNull();
  });

  it('leaves channels of platforms that are not configured alone', async () => {
    const other = scriptedAdapter('other', []);
    expect((await new Dispatcher(db, silentLogger, [other], { now }).dispatch()).sent).toBe(0);
    expect(other.calls).toEqual([]);
  });

  it('prints through the console adapter', async () => {
    const lines: string[] = [];
    const d = new Dispatcher(
      db,
      silentLogger,
      [
        createConsoleAdapter({
          json: false,
          mode: 'start',
          write: async (l) => void lines.push(l),
        }),
      ],
      { now },
    );
    enqueueAlert(
      db,
      healthAlert('held', 'the list shrank', { id: 's', label: 'S' }, clock.toISOString()),
      new Map([['console:ops', 'test']]),
      null,
    );
    await d.dispatch();
    expect(lines).toEqual(['2024-04-12 10:00:00 SOURCE HELD s: the list shrank']);
  });
});
