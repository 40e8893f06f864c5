// Discord says how fast a channel takes messages in the X-RateLimit headers of every answer;
// discord.js reads them, and the adapter is told to wait (the channel is held) instead of asking
// for a 429. Tested against a fake Discord whose channels take three messages a second.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDiscordAdapter } from '../adapters/discord/discord-adapter.js';
import { openDb, type Db } from '../db/database.js';
import { enqueueAlert } from '../db/outbox.js';
import { ensureSource } from '../db/source-state.js';
import { healthAlert } from '../src/alerts/derive.js';
import { readSettings } from '../src/config/settings.js';
import { DispatchLoop } from '../src/delivery/dispatch-loop.js';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import { silentLogger } from '../src/log.js';
import { FakeDiscord } from './helpers/fake-discord.js';

const TOKEN = 'MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDE.abcdefghijklmnopqrstuvwxyz0123456789AB';

describe('Discord pace', () => {
  const fake = new FakeDiscord({ limit: 3, windowMs: 1000 });
  let dir: string;
  let db: Db;
  beforeAll(async () => {
    await fake.start();
    dir = mkdtempSync(join(tmpdir(), 'sr-discord-pace-'));
    db = openDb(join(dir, 'radar.db')).db;
    ensureSource(db, 's', 'rss', null);
  });
  afterAll(async () => {
    db.close();
    rmSync(dir, { recursive: true, force: true });
    await fake.stop();
  });

  it("sends a channel's backlog at the rate Discord's headers give, without a 429, and another channel meanwhile", async () => {
    const discord = createDiscordAdapter(
      {
        token: TOKEN,
        applicationId: '123456789012345678',
        guildId: null,
        apiUrl: fake.api,
        publicKey: null,
      },
      { env: {}, settings: readSettings({}), log: silentLogger, mode: 'poll', json: false },
    );
    const dispatcher = new Dispatcher(db, silentLogger, [discord], { batchSize: 1 });
    const at = new Date().toISOString();
    for (let i = 0; i < 7; i++)
      enqueueAlert(
        db,
        healthAlert('failing', `busy ${i}`, { id: 's', label: 's' }, at),
        new Map([['discord:111111111111111111', 't']]),
        null,
      );
    enqueueAlert(
      db,
      healthAlert('failing', 'other', { id: 's', label: 's' }, at),
      new Map([['discord:222222222222222222', 't']]),
      null,
    );
    const sent = () =>
      db.prepare("SELECT count(*) FROM deliveries WHERE status = 'sent'").pluck().get() as number;
    // A beat of 30 s: only the loop's wake-ups when a bucket resets can finish within the test.
    const loop = new DispatchLoop(() => dispatcher.dispatch(), { beatMs: 30_000 });
    const started = Date.now();
    await loop.run();
    while (sent() < 8 && Date.now() - started < 15_000) await new Promise((r) => setTimeout(r, 20));
    loop.stop();
    expect(sent()).toBe(8);
    expect(fake.refused).toBe(0);
    // Seven messages at three a second: two windows waited at least.
    expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
    const order = fake.calls.filter((c) => c.method === 'POST').map((c) => c.path.split('/')[4]);
    expect(order.indexOf('222222222222222222')).toBeLessThan(3);
  }, 30_000);
});
