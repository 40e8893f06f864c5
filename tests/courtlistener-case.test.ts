// Following a case by its CourtListener docket: `subscribe --case <docket URL>`. Pushed entries
// (the webhook) often carry no docket number, only the docket's id in their URLs; they reach the
// channel following that docket, and so do the docket feed's entries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../src/commands/run.js';
import { courtListenerWebhook, WEBHOOK_PATH } from '../src/http/courtlistener-webhook.js';
import { HttpServer } from '../src/http/server.js';
import { silentLogger } from '../src/log.js';
import { NameMatcher } from '../src/names/matcher.js';
import { parseCourtListenerFeed } from '../src/sources/courtlistener.js';
import { fixture } from './helpers/fixtures.js';
import { createHarness, type Harness } from './helpers/poll-harness.js';

const SECRET = 'cl-case-secret-0123456789';
const DOCKET = 'https://www.courtlistener.com/docket/4302575/united-states-v-hinds-county/';

describe('a case followed by its CourtListener docket', () => {
  const http = new HttpServer();
  let h: Harness;
  let port = 0;
  beforeAll(async () => {
    h = createHarness();
    // No channel takes every alert: only a follow can route the entry.
    http.route(
      'POST',
      WEBHOOK_PATH,
      courtListenerWebhook({
        db: h.db,
        log: silentLogger,
        secret: SECRET,
        defaultChannels: [],
        caps: { maxItems: 5000, maxAlerts: 200 },
      }),
    );
    port = await http.listen(0, '127.0.0.1');
  });
  afterAll(async () => {
    await http.close();
    h.close();
  });
  const run = (text: string, channel: string) =>
    runCommand(text, { db: h.db, matcher: new NameMatcher(h.db), sources: [], channel });

  it('subscribe --case takes the docket URL (or courtlistener:<id>), not with --court; unsubscribe --case ends it', () => {
    expect(run(`subscribe --case ${DOCKET}`, 'slack:CCASE').summary).toMatch(
      /^This channel now follows CourtListener docket 4302575 \(subscription #\d+\)\. Every new entry of it/,
    );
    expect(run('subscribe --case courtlistener:4302575', 'slack:CCASE').summary).toMatch(
      /^This channel already follows CourtListener docket 4302575/,
    );
    expect(run(`subscribe --case ${DOCKET} --court mssd`, 'slack:CCASE').summary).toMatch(
      /--court does not go with a CourtListener docket/,
    );
    expect(run(`subscribe --case ${DOCKET}`, 'slack:CGONE').ok).toBe(true);
    expect(run(`unsubscribe --case ${DOCKET}`, 'slack:CGONE').summary).toMatch(
      /^This channel no longer follows CourtListener docket 4302575/,
    );
  });

  it('a pushed entry of that docket, with no docket number, reaches the channel following it', async () => {
    const body = fixture('courtlistener/docket_alert_webhook_constructed.json');
    const res = await fetch(`http://127.0.0.1:${port}${WEBHOOK_PATH}?secret=${SECRET}`, {
      method: 'POST',
      body: new Uint8Array(body),
      headers: { 'content-type': 'application/json', 'idempotency-key': 'case-1' },
    });
    expect(await res.json()).toMatchObject({ ok: true, alerts: 1, fresh: 1 });
    const routed = h.db
      .prepare(
        "SELECT channel, reason FROM deliveries d JOIN alerts a ON a.id = d.alert_id WHERE a.type = 'feed.item'",
      )
      .all();
    expect(routed).toEqual([
      {
        channel: 'slack:CCASE',
        reason: expect.stringMatching(/^subscription #\d+: CourtListener docket 4302575$/),
      },
    ]);
  });

  it("the docket feed's entries carry the docket id from their links", async () => {
    const s = await parseCourtListenerFeed(fixture('courtlistener/docket_feed_constructed.xml'));
    if (s.kind !== 'feed') throw new Error('feed');
    expect(s.items.map((i) => i.courtListenerDocket)).toEqual(['29225390', '29225390']);
  });
});
