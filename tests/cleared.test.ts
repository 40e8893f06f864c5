// Remembered false positives, end to end on a real SDN excerpt: a channel following "Galax
// Trading" by name says "not us" to the listing's alert; a later change to the entry that leaves
// it the same entry (a remark) does not reach the channel, one that changes it (a program added)
// does, saying what changed since; undone, the entry alerts the channel again.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { standingClearances } from '../db/clearances.js';
import { addSubscription } from '../db/subscriptions.js';
import { runReview, unclear } from '../src/review/review.js';
import { fixture } from './helpers/fixtures.js';
import { createHarness, source, type Harness } from './helpers/poll-harness.js';

const rows = fixture('ofac/sdn_2024-04-12_trimmed.csv')
  .toString('latin1')
  .split('\r\n')
  .filter((l) => /^\d/.test(l));
const GALAX = rows.find((r) => r.startsWith('815,'))!;
const version = (galax: string | null) =>
  Buffer.from(
    `${rows
      .map((r) => (r === GALAX ? galax : r))
      .filter((r): r is string => r !== null)
      .join('\r\n')}\r\n\x1a`,
    'latin1',
  );

describe('remembered false positives', () => {
  let h: Harness;
  let file: string;
  const cfg = () => source('ofac-sdn', 'ofac-csv', pathToFileURL(file).href);
  const poll = async (galax: string | null) => {
    writeFileSync(file, version(galax));
    return h.poll(cfg());
  };
  /** The channels the poll's alerts about GALAX went to, with why. */
  const galaxRoutes = (r: Awaited<ReturnType<typeof poll>>) =>
    r.alerts
      .filter((a) => 'record' in a && a.record.key === '815')
      .flatMap((a) =>
        h.db
          .prepare('SELECT channel, reason FROM deliveries WHERE alert_id = ? ORDER BY channel')
          .all(a.id),
      );
  beforeAll(async () => {
    h = createHarness({ maxShrink: 1, defaultChannels: ['console:ops'] });
    file = join(h.dir, 'sdn.csv');
    expect(GALAX).toMatch(/^815,"GALAX TRADING CO., LTD.",-0- ,"CUBA"/);
    addSubscription(
      h.db,
      'slack:C1',
      { kind: 'entity', value: 'Galax Trading' },
      new Date().toISOString(),
    );
    await poll(null);
  });
  afterAll(() => h.close());

  it('clears the entry for the channel on "not us", and holds while the entry is the same entry', async () => {
    const added = await poll(GALAX);
    expect(galaxRoutes(added)).toEqual([
      { channel: 'console:ops', reason: 'every alert (operator setting)' },
      { channel: 'slack:C1', reason: 'subscription #1: "Galax Trading"' },
    ]);
    const alertId = added.alerts.find((a) => 'record' in a && a.record.key === '815')!.id;
    h.db
      .prepare("UPDATE deliveries SET status = 'sent', sent_at = ? WHERE alert_id = ?")
      .run(new Date().toISOString(), alertId);
    expect(
      runReview(
        h.db,
        {
          alertId,
          channel: 'slack:C1',
          userId: 'U0002',
          userName: 'ana',
          action: 'not-us',
          reason: 'our Galax is in Panama',
          requestKey: 'k1',
        },
        new Date('2026-12-01T10:32:00Z'),
      ),
    ).toMatchObject({ ok: true });
    // The operator's every-alert channel has no say in it: "not us" there clears nothing.
    expect(
      standingClearances(h.db, null).map((c) => [c.channel, c.entryKey, c.material.programs]),
    ).toEqual([['slack:C1', '815', ['CUBA']]]);

    const remark = await poll(GALAX.replace(/-0- $/, '"Remark added."'));
    expect(remark.amended).toBe(1);
    expect(galaxRoutes(remark).map((r) => (r as { channel: string }).channel)).toEqual([
      'console:ops',
    ]);
  });

  it('tells the channel again when the entry changes, saying what changed since', async () => {
    const program = await poll(
      GALAX.replace('"CUBA"', '"CUBA] [SDGT"').replace(/-0- $/, '"Remark added."'),
    );
    expect(program.amended).toBe(1);
    const c1 = galaxRoutes(program).find(
      (r) => (r as { channel: string }).channel === 'slack:C1',
    ) as { reason: string };
    expect(c1.reason).toBe(
      'subscription #1: "Galax Trading"; cleared as not us on 2026-12-01 by ana, since then program added: SDGT',
    );
  });

  it('is undone by a decision of its own, and the entry alerts the channel again', async () => {
    const [c] = standingClearances(h.db, 'slack:C1');
    expect(
      unclear(h.db, c!.id, { userId: 'cli:ben', userName: 'ben' }, 'it is ours after all', 'k2'),
    ).toEqual({ ok: true, entry: 'GALAX TRADING CO., LTD. (SDN)', channel: 'slack:C1' });
    expect(
      h.db.prepare("SELECT action, note FROM decisions WHERE action = 'uncleared'").all(),
    ).toEqual([{ action: 'uncleared', note: `clearance #${c!.id}: it is ours after all` }]);
    expect(unclear(h.db, c!.id, { userId: 'cli:ben', userName: 'ben' }, null, 'k3')).toEqual({
      ok: false,
      error: expect.stringMatching(/was undone already/),
    });
    const again = await poll(
      GALAX.replace('"CUBA"', '"CUBA] [SDGT"').replace(/-0- $/, '"Remark changed."'),
    );
    expect(galaxRoutes(again)).toContainEqual({
      channel: 'slack:C1',
      reason: 'subscription #1: "Galax Trading"',
    });
  });
});
