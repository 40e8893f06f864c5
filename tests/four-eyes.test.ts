// Four eyes on decisions (SANCTIONS_RADAR_FOUR_EYES): an escalated alert, or any, is closed only
// when a second, different reviewer closes it too; the first reviewer cannot confirm themselves.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enqueueAlert } from '../db/outbox.js';
import { ensureSource } from '../db/source-state.js';
import { readSettings } from '../src/config/settings.js';
import type { NewAlert } from '../src/domain.js';
import {
  reviewLine,
  reviewState,
  runReview,
  type DecisionInput,
  type FourEyes,
} from '../src/review/review.js';
import { createHarness, type Harness } from './helpers/poll-harness.js';

describe('four eyes', () => {
  let h: Harness;
  let n = 0;
  beforeAll(() => {
    h = createHarness();
    ensureSource(h.db, 'csl', 'csl', null);
  });
  afterAll(() => h.close());
  const alert = (): number => {
    const name = `COMPANY ${++n}`;
    const a: NewAlert = {
      type: 'designation.added',
      source: 'csl',
      sourceLabel: 'CSL',
      detectedAt: new Date().toISOString(),
      list: 'Entity List',
      entity: { key: name, name, aliases: [], programs: [] },
      record: {
        key: name,
        list: 'Entity List',
        name,
        aliases: [],
        type: 'entity',
        programs: [],
        countries: [],
        addresses: [],
        listedOn: null,
        citation: null,
        url: null,
        remarks: null,
      },
    };
    const { id } = enqueueAlert(h.db, a, new Map([['slack:C1', 'r']]), null);
    h.db
      .prepare("UPDATE deliveries SET status = 'sent', sent_at = ? WHERE alert_id = ?")
      .run(new Date().toISOString(), id);
    return id;
  };
  const decide = (
    alertId: number,
    userId: string,
    action: DecisionInput['action'],
    fourEyes: FourEyes,
    extra: Partial<DecisionInput> = {},
  ) =>
    runReview(
      h.db,
      {
        alertId,
        channel: 'slack:C1',
        userId,
        userName: userId,
        action,
        requestKey: `${alertId}:${userId}:${action}:${Math.random()}`,
        ...extra,
      },
      new Date('2026-12-01T10:32:00Z'),
      fourEyes,
    );

  it('off: one reviewer closes an escalated alert', () => {
    const id = alert();
    decide(id, 'U1', 'escalate', 'off', { note: 'check the address' });
    const r = decide(id, 'U1', 'ack', 'off');
    expect(r.ok && reviewState(r.decisions, 'off')).toBe('acknowledged');
  });

  it('escalated: the reviewer who closed it cannot confirm it; a second one does; the line says who is still needed', () => {
    const id = alert();
    decide(id, 'U1', 'escalate', 'escalated', { note: 'check the address' });
    const first = decide(id, 'U2', 'not-us', 'escalated', { reason: 'Shenzhen, not Beijing' });
    expect(first.ok && reviewState(first.decisions, 'escalated')).toBe(
      'awaiting a second reviewer',
    );
    expect(
      first.ok &&
        reviewLine(
          first.decisions,
          (d) => d.userId,
          (t) => t,
          'escalated',
        ),
    ).toBe(
      'Not us by U2 2026-12-01 10:32 UTC: Shenzhen, not Beijing · four eyes: a second reviewer, not U2, closes it',
    );
    expect(decide(id, 'U2', 'ack', 'escalated')).toEqual({
      ok: false,
      error: expect.stringMatching(/^Four eyes: you closed this alert already/),
    });
    const second = decide(id, 'U3', 'ack', 'escalated');
    expect(second.ok && reviewState(second.decisions, 'escalated')).toBe('acknowledged');
    // An alert never escalated is closed by one reviewer under 'escalated'...
    const plain = alert();
    const one = decide(plain, 'U1', 'ack', 'escalated');
    expect(one.ok && reviewState(one.decisions, 'escalated')).toBe('acknowledged');
    // ...and needs two under 'all'.
    expect(one.ok && reviewState(one.decisions, 'all')).toBe('awaiting a second reviewer');
  });

  it('is read from SANCTIONS_RADAR_FOUR_EYES, off by default', () => {
    expect(readSettings({}).fourEyes).toBe('off');
    expect(readSettings({ SANCTIONS_RADAR_FOUR_EYES: 'Escalated' }).fourEyes).toBe('escalated');
    expect(() => readSettings({ SANCTIONS_RADAR_FOUR_EYES: 'yes' })).toThrow(
      /SANCTIONS_RADAR_FOUR_EYES=yes is not valid: off, escalated/,
    );
  });
});
