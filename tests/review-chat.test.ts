// review, cleared and uncleared as chat verbs, through the command core every platform uses:
// read-only for anyone, uncleared only for who may change what the channel follows.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standingClearances } from '../db/clearances.js';
import { addSubscription } from '../db/subscriptions.js';
import { runCommand } from '../src/commands/run.js';
import { NameMatcher } from '../src/names/matcher.js';
import { runReview } from '../src/review/review.js';
import { fixture } from './helpers/fixtures.js';
import { createHarness, source, type Harness } from './helpers/poll-harness.js';

const rows = fixture('ofac/sdn_2024-04-12_trimmed.csv')
  .toString('latin1')
  .split('\r\n')
  .filter((l) => /^\d/.test(l));
const body = (keep: (r: string) => boolean) =>
  Buffer.from(`${rows.filter(keep).join('\r\n')}\r\n\x1a`, 'latin1');

describe('review, cleared and uncleared in the chat', () => {
  let h: Harness;
  let ids: number[] = [];
  const chat = (
    text: string,
    access = { mayChangeChannel: true, user: { id: 'U0002', name: 'ana' } },
  ) =>
    runCommand(
      text,
      { db: h.db, matcher: new NameMatcher(h.db), sources: [], channel: 'slack:C1' },
      { access },
    );
  beforeAll(async () => {
    h = createHarness({ maxShrink: 1, defaultChannels: [] });
    const file = join(h.dir, 'sdn.csv');
    addSubscription(
      h.db,
      'slack:C1',
      { kind: 'entity', value: 'Galax Trading' },
      new Date().toISOString(),
    );
    addSubscription(
      h.db,
      'slack:C1',
      { kind: 'entity', value: 'Anglo-Caribbean' },
      new Date().toISOString(),
    );
    writeFileSync(
      file,
      body((r) => !r.startsWith('815,') && !r.startsWith('173,')),
    );
    await h.poll(source('ofac-sdn', 'ofac-csv', pathToFileURL(file).href));
    writeFileSync(
      file,
      body(() => true),
    );
    const r = await h.poll(source('ofac-sdn', 'ofac-csv', pathToFileURL(file).href));
    ids = r.alerts.map((a) => a.id);
    h.db
      .prepare("UPDATE deliveries SET status = 'sent', sent_at = '2026-12-02T10:00:00.000Z'")
      .run();
  });
  afterAll(() => h.close());

  it('lists what is still to decide, then what was cleared, and undoes a clearance for who may', () => {
    expect(ids).toHaveLength(2);
    expect(chat('review')).toMatchObject({
      ok: true,
      summary: '2 alerts in this channel still to decide, oldest first',
    });
    runReview(h.db, {
      alertId: ids[0]!,
      channel: 'slack:C1',
      userId: 'U0002',
      userName: 'ana',
      action: 'not-us',
      reason: 'not ours',
      requestKey: 'k1',
    });
    const open = chat('review');
    expect(open.summary).toBe('1 alert in this channel still to decide, oldest first');
    const cleared = chat('cleared');
    expect(cleared.sections[0]!.lines).toEqual([
      expect.stringMatching(/^#\d+ .* \(SDN\) — cleared \d{4}-\d\d-\d\d by ana$/),
    ]);
    const [c] = standingClearances(h.db, 'slack:C1');
    expect(
      chat(`uncleared ${c!.id}`, {
        mayChangeChannel: false,
        refusal: 'admins only',
        user: { id: 'U0BAD', name: 'eve' },
      } as never),
    ).toMatchObject({ ok: false, summary: 'admins only' });
    expect(chat(`uncleared ${c!.id}`)).toMatchObject({
      ok: true,
      visibility: 'channel',
      summary: expect.stringMatching(/alerts this channel again \(clearance #\d+ undone by ana\)/),
    });
    expect(
      h.db.prepare("SELECT user_id FROM decisions WHERE action = 'uncleared'").pluck().all(),
    ).toEqual(['U0002']);
    expect(chat('cleared').summary).toBe('Nothing is cleared as "not us" in this channel.');
    expect(chat('uncleared abc')).toMatchObject({
      ok: false,
      summary: 'Usage: /sanctions uncleared <id> (the number "cleared" lists)',
    });
  });
});
