// Subscriptions decide the channels of each alert, in the poll's own transaction.
import { describe, expect, it } from 'vitest';
import { runCommand } from '../src/commands/run.js';
import { NameMatcher } from '../src/names/matcher.js';
import { fixture } from './helpers/fixtures.js';
import { pollTestbed, source } from './helpers/poll-harness.js';

describe('routing real SDN changes to subscribed channels', () => {
  const { server, h } = pollTestbed({ fresh: 'block', deps: { defaultChannels: ['console:ops'] } });

  it('sends each alert to every matching channel once, and records the routes', async () => {
    const sdn = source('ofac-sdn', 'ofac-csv', server.url('/sdn.csv'));
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    await h.poll(sdn);
    const ctx = { db: h.db, matcher: new NameMatcher(h.db), sources: [sdn] };
    // A typo in the name, a whole list, a whole source, and the same channel twice over.
    expect(runCommand('subscribe Peretyatco Ruslan', { ...ctx, channel: 'slack:C1' }).ok).toBe(true);
    expect(runCommand('subscribe --list SDN', { ...ctx, channel: 'discord:9' }).ok).toBe(true);
    expect(runCommand('subscribe "Integral Inzenjering"', { ...ctx, channel: 'discord:9' }).ok).toBe(true);
    expect(runCommand('subscribe --source ofac-sdn', { ...ctx, channel: 'slack:C2' }).ok).toBe(true);
    expect(runCommand('subscribe "Khalil Azzam"', { ...ctx, channel: 'slack:C3' }).ok).toBe(true);

    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-12_trimmed.csv') });
    const r = await h.poll(sdn);
    const byKey = new Map(r.alerts.map((a) => ['entity' in a ? a.entity.key : '', a.channels]));
    expect(byKey.get('46788')).toEqual(['console:ops', 'discord:9', 'slack:C1', 'slack:C2']); // PERETYATKO, amended
    expect(byKey.get('39137')).toEqual(['console:ops', 'discord:9', 'slack:C2']); // INTEGRAL INZENJERING, removed: discord:9 once
    expect(byKey.get('48241')).toEqual(['console:ops', 'discord:9', 'slack:C2', 'slack:C3']); // 'AZZAM, Khalil Muhammad
    expect(byKey.get('48240')).toEqual(['console:ops', 'discord:9', 'slack:C2']);
    const routes = h.db.prepare('SELECT count(*) FROM deliveries').pluck().get();
    expect(routes).toBe(r.alerts.reduce((n, a) => n + a.channels.length, 0));
  });
});
