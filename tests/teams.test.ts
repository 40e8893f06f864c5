// Microsoft Teams through a Workflows webhook: Adaptive Cards in the message envelope, one per
// alert and one digest card with a table, each under 28 KB, through the real outbox and
// dispatcher against a fake trigger that enforces the envelope and the size.
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import { alertCard, byteSize, MAX_BYTES } from '../adapters/teams/cards.js';
import { notWorkflowUrl, readTeamsConfig } from '../adapters/teams/config.js';
import { createTeamsAdapter } from '../adapters/teams/teams-adapter.js';
import { enqueueAlert, pausedChannels } from '../db/outbox.js';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import type { Alert, NewAlert } from '../src/domain.js';
import { silentLogger } from '../src/log.js';
import { cleanEnv, runCli } from './helpers/cli.js';
import { FakeTeams } from './helpers/fake-teams.js';
import { createHarness, type Harness } from './helpers/poll-harness.js';

const record = (name: string, extra: Record<string, unknown> = {}) => ({
  key: `SDN:${name}`,
  list: 'SDN',
  name,
  aliases: ['ALIAS ONE'],
  type: 'entity',
  programs: ['SDGT'],
  countries: ['CN'],
  addresses: [],
  listedOn: '2024-04-12',
  citation: '89 FR 25815',
  url: 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=48239',
  remarks: null,
  ...extra,
});
const added = (name: string, extra: Record<string, unknown> = {}): NewAlert =>
  ({
    type: 'designation.added',
    source: 'ofac-sdn',
    sourceLabel: 'OFAC SDN',
    detectedAt: '2026-12-05T10:00:00.000Z',
    list: 'SDN',
    entity: { key: `SDN:${name}`, name, aliases: [], programs: ['SDGT'] },
    record: record(name, extra),
  }) as NewAlert;

describe('Teams configuration', () => {
  it('takes Workflows trigger URLs only, and never shows their signature', () => {
    const logic =
      'https://prod-12.westeurope.logic.azure.com:443/workflows/0f1e2d3c/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=AbCdEf123';
    const platform =
      'https://default0a1b.2c.environment.api.powerplatform.com:443/powerautomate/automations/direct/workflows/9a8b7c/triggers/manual/paths/invoke?api-version=1&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=XyZ987';
    expect(
      [
        ...readTeamsConfig({
          SANCTIONS_RADAR_TEAMS_COMPLIANCE_DESK_URL: logic,
          SANCTIONS_RADAR_TEAMS_OPS_URL: platform,
        }),
      ]
        .map(([n]) => n)
        .sort(),
    ).toEqual(['compliance-desk', 'ops']);
    expect(
      notWorkflowUrl(
        'https://contoso.webhook.office.com/webhookb2/abc@def/IncomingWebhook/123/456',
      ),
    ).toMatch(/Office 365 connector URL, and those are retired/);
    expect(notWorkflowUrl('https://example.com/workflows/1/triggers/manual/paths/invoke')).toMatch(
      /example\.com is not a Workflows host/,
    );
    expect(notWorkflowUrl('https://prod-1.westus.logic.azure.com/other')).toMatch(
      /not a Workflows trigger/,
    );
    expect(
      notWorkflowUrl(
        'http://prod-1.westus.logic.azure.com/workflows/1/triggers/manual/paths/invoke',
      ),
    ).toMatch(/must be https/);
    expect(() =>
      readTeamsConfig({ SANCTIONS_RADAR_TEAMS_X_URL: 'https://example.com/hook?sig=AbCdEf123' }),
    ).toThrow(
      /SANCTIONS_RADAR_TEAMS_X_URL=https:\/\/example\.com\/hook\?sig=\*\*\* is not a Teams Workflows webhook URL/,
    );
  });

  it('refuses a retired connector URL at start, in one line, with exit 2', async () => {
    const r = await runCli(
      ['poll'],
      cleanEnv({
        SANCTIONS_RADAR_TEAMS_DESK_URL:
          'https://contoso.webhook.office.com/webhookb2/abc/IncomingWebhook/123/456',
        SANCTIONS_RADAR_DB: ':memory:',
      }),
    );
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /SANCTIONS_RADAR_TEAMS_DESK_URL=.* is not a Teams Workflows webhook URL: it is an Office 365 connector URL/,
    );
  });
});

describe('Teams cards through the dispatcher', () => {
  const teams = new FakeTeams();
  let h: Harness;
  beforeAll(async () => {
    await teams.start();
  });
  afterAll(() => teams.stop());
  beforeEach(() => {
    h = createHarness();
    teams.taken.length = 0;
  });
  afterEach(() => h.close());
  const adapter = () =>
    createTeamsAdapter(new Map([['desk', teams.url()]]), { userAgent: 'sanctions-radar-test' });
  const queue = (...alerts: NewAlert[]) =>
    alerts.map(
      (a) => enqueueAlert(h.db, a, new Map([['teams:desk', 'subscription #1: "Huawei"']]), null).id,
    );
  const status = (id: number) =>
    h.db
      .prepare(
        "SELECT status, last_error AS error FROM deliveries WHERE alert_id = ? AND channel = 'teams:desk'",
      )
      .get(id);

  it('posts one card per alert with the facts and links Slack shows, feed text escaped', async () => {
    queue(added('HUAWEI [click](https://evil.example.com) **now**'));
    expect(await new Dispatcher(h.db, silentLogger, [adapter()]).dispatch()).toMatchObject({
      sent: 1,
    });
    const card = teams.taken[0]!.card as {
      version: string;
      body: { type: string; text?: string; facts?: { title: string; value: string }[] }[];
      actions: { url: string }[];
    };
    expect(card.version).toBe('1.5');
    const texts = card.body.filter((b) => b.type === 'TextBlock').map((b) => b.text);
    expect(texts[0]).toBe('🚨 **Added to SDN**');
    // The name links the list entry; what the list says cannot make a link of its own.
    expect(texts[1]).toBe(
      '**[HUAWEI \\[click\\](https://evil.example.com) \\*\\*now\\*\\*](https://sanctionssearch.ofac.treas.gov/Details.aspx?id=48239)**',
    );
    expect(card.body.find((b) => b.type === 'FactSet')!.facts).toEqual(
      expect.arrayContaining([
        { title: 'List', value: 'SDN' },
        { title: 'Programs', value: 'SDGT' },
        { title: 'Federal Register', value: '89 FR 25815' },
      ]),
    );
    expect(card.actions).toEqual([
      {
        type: 'Action.OpenUrl',
        title: 'Open the source document',
        url: 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=48239',
      },
    ]);
    expect(texts.at(-1)).toBe(
      'OFAC SDN · detected 2026-12-05 10:00 UTC · subscription #1: "Huawei"',
    );
  });

  it('makes a batch one digest card with a table, a row per alert', async () => {
    const ids = queue(...['ALPHA', 'BETA', 'GAMMA', 'DELTA', 'EPSILON'].map((n) => added(n)));
    expect(await new Dispatcher(h.db, silentLogger, [adapter()]).dispatch()).toMatchObject({
      sent: 5,
    });
    expect(teams.taken).toHaveLength(1);
    const table = (
      teams.taken[0]!.card.body as {
        type: string;
        rows?: { cells: { items: { text: string }[] }[] }[];
      }[]
    ).find((b) => b.type === 'Table')!;
    expect(table.rows!.map((r) => r.cells[1]!.items[0]!.text)).toEqual([
      '**What**',
      ...['ALPHA', 'BETA', 'GAMMA', 'DELTA', 'EPSILON'].map(
        (n) => `[${n}](https://sanctionssearch.ofac.treas.gov/Details.aspx?id=48239)`,
      ),
    ]);
    expect(ids.map((id) => status(id))).toEqual(ids.map(() => ({ status: 'sent', error: null })));
  });

  it('keeps every card under 28 KB, cutting the longest texts first', async () => {
    const huge = added('HUGE HOLDINGS', {
      aliases: Array.from({ length: 400 }, (_, i) => `ALIAS NUMBER ${i} ${'X'.repeat(60)}`),
      remarks: 'R'.repeat(40_000),
      identifiers: [],
    });
    const amended = {
      ...huge,
      type: 'designation.amended',
      fields: [{ field: 'remarks', before: 'B'.repeat(30_000), after: 'A'.repeat(30_000) }],
    } as NewAlert;
    const message = alertCard({
      alert: { ...amended, id: 1, channels: [] } as Alert,
      reason: 'r'.repeat(20_000),
    });
    expect(byteSize(message)).toBeLessThanOrEqual(MAX_BYTES);
    queue(amended);
    expect(await new Dispatcher(h.db, silentLogger, [adapter()]).dispatch()).toMatchObject({
      sent: 1,
    });
    expect(teams.taken[0]!.bytes).toBeLessThanOrEqual(MAX_BYTES);
    expect(teams.refused).toEqual([]);
  });

  it('honours Retry-After on 429, pauses when the workflow is gone, dead-letters a refused card', async () => {
    const [a] = queue(added('ALPHA'));
    let clock = Date.now();
    const d = new Dispatcher(h.db, silentLogger, [adapter()], { now: () => new Date(clock) });
    teams.queue({ status: 429, headers: { 'retry-after': '12' } });
    expect(await d.dispatch()).toMatchObject({
      sent: 0,
      nextDueAt: new Date(clock + 12_000).toISOString(),
    });
    clock += 12_000;
    teams.queue({
      status: 404,
      body: '{"error":{"code":"WorkflowNotFound","message":"The workflow was not found."}}',
    });
    expect(await d.dispatch()).toMatchObject({ paused: 1 });
    expect(status(a!)).toMatchObject({ status: 'pending' });
    expect(pausedChannels(h.db)).toEqual([
      {
        channel: 'teams:desk',
        at: expect.any(String),
        reason: expect.stringMatching(
          /^teams desk: the workflow answered HTTP 404: .*WorkflowNotFound.* \(is the workflow still on\? its URL is SANCTIONS_RADAR_TEAMS_DESK_URL\)$/,
        ),
      },
    ]);
    expect(JSON.stringify(h.db.prepare('SELECT * FROM deliveries').all())).not.toContain(
      's3cr3t-signature',
    );
    h.db.prepare('UPDATE channel_state SET paused_reason = NULL, paused_at = NULL').run();
    teams.queue({ status: 400, body: 'Bad Request' });
    await d.dispatch();
    expect(status(a!)).toEqual({
      status: 'dead',
      error: 'teams desk: the workflow answered HTTP 400: Bad Request',
    });
  });
});
