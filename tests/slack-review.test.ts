// Review buttons on Slack alerts, through the real Bolt app on the daemon's HTTP port: signed
// block_actions and view_submission requests, the decision recorded once (Slack may send a click
// twice), and the message updated in place with chat.update against a fake Slack.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../db/database.js';
import { createSlackAdapter } from '../adapters/slack/slack-adapter.js';
import { enqueueAlert } from '../db/outbox.js';
import { Dispatcher } from '../src/delivery/dispatcher.js';
import { prune } from '../db/retention.js';
import { ensureSource } from '../db/source-state.js';
import { healthAlert } from '../src/alerts/derive.js';
import { readSettings } from '../src/config/settings.js';
import type { Adapter } from '../src/delivery/adapter.js';
import type { Alert, NewAlert } from '../src/domain.js';
import { HttpServer } from '../src/http/server.js';
import { silentLogger } from '../src/log.js';
import { runCommand } from '../src/commands/run.js';
import { NameMatcher } from '../src/names/matcher.js';
import { REVIEW_LIMITS, reviewedAlerts, runReview } from '../src/review/review.js';
import { openDbAt } from './helpers/old-database.js';
import { FakeSlack } from './helpers/fake-slack.js';
import { postSlackInteraction, reviewClick } from './helpers/signed-requests.js';
import { FakeSocketMode } from './helpers/fake-socket-mode.js';
import { createHarness, type Harness } from './helpers/poll-harness.js';
import { waitFor } from './helpers/wait.js';
import { cmicAddition } from './helpers/review-alerts.js';

const SECRET = '0123456789abcdef0123456789abcdef';
const record = {
  key: 'NS-CMIC:30947',
  list: 'NS-CMIC',
  name: 'HUAWEI TECHNOLOGIES CO., LTD.',
  aliases: ['Huawei'],
  type: 'entity',
  programs: ['CMIC-EO13959'],
  countries: ['CN'],
  addresses: [],
  listedOn: '2021-06-03',
  citation: null,
  url: 'https://ofac.treasury.gov/consolidated-sanctions-list/ns-cmic-list',
  remarks: null,
};

describe('Slack review buttons', () => {
  const fake = new FakeSlack();
  const http = new HttpServer();
  let port = 0;
  let h: Harness;
  let adapter: Adapter;
  /** An alert delivered to slack:C0123, as the dispatcher leaves it. */
  const delivered = (name = record.name): Alert => {
    const alert: NewAlert = {
      type: 'designation.added',
      source: 'csl',
      sourceLabel: 'trade.gov CSL',
      detectedAt: new Date().toISOString(),
      list: 'NS-CMIC',
      entity: { key: record.key, name, aliases: [], programs: record.programs },
      record: { ...record, name },
    };
    const { id } = enqueueAlert(
      h.db,
      alert,
      new Map([['slack:C0123', 'subscription #1: "Huawei"']]),
      null,
    );
    h.db
      .prepare(
        "UPDATE deliveries SET status = 'sent', sent_at = ?, message_id = '1700000000.000100' WHERE alert_id = ?",
      )
      .run(new Date().toISOString(), id);
    return { ...alert, id, channels: ['slack:C0123'] } as Alert;
  };
  beforeAll(async () => {
    await fake.start();
    h = createHarness();
    ensureSource(h.db, 'csl', 'csl', null);
    adapter = createSlackAdapter(
      { botToken: 'xoxb-test', appToken: null, signingSecret: SECRET, apiUrl: fake.apiUrl },
      {
        env: {},
        settings: readSettings({}),
        log: silentLogger,
        mode: 'start',
        json: false,
        http,
        review: (input) => runReview(h.db, input),
        commands: (cmd, channel, access) =>
          runCommand(
            cmd,
            { db: h.db, matcher: new NameMatcher(h.db), sources: [], channel },
            { access },
          ),
      },
    );
    await adapter.start!();
    port = await http.listen(0, '127.0.0.1');
    // U0002 is a workspace admin: asked once, then in the adapter's cache for five minutes.
    fake.queue('users.info', { body: { ok: true, user: { id: 'U0002', is_admin: true } } });
  });
  afterAll(async () => {
    await adapter.stop!();
    await http.close();
    await fake.stop();
    h.close();
  });

  const send = (payload: unknown, opts: { signature?: string } = {}) =>
    postSlackInteraction(port, SECRET, payload, opts) as Promise<{
      status: number;
      body: Record<string, unknown>;
    }>;
  /** What the adapter posted for an alert: its blocks, as Slack then sends them back with a click. */
  const postedBlocks = async (alert: Alert) => {
    fake.calls.length = 0;
    await adapter.deliver('C0123', [{ alert, reason: 'subscription #1: "Huawei"' }]);
    return fake.posts()[0]!.blocks as {
      type: string;
      block_id?: string;
      elements?: { action_id?: string; value?: string; text?: unknown }[];
    }[];
  };
  const click = (
    alert: Alert,
    blocks: unknown,
    actionId: string,
    user = 'U0002',
    actionTs = '1700000001.000200',
  ) =>
    reviewClick({
      alertId: alert.id,
      blocks,
      actionId,
      user,
      actionTs,
      triggerId: '12345.98765.abcd',
      responseUrl: fake.url(`/respond/${actionTs}`),
    });
  const decisions = (alertId: number) =>
    h.db
      .prepare(
        'SELECT action, user_id AS userId, reason, note FROM decisions WHERE alert_id = ? ORDER BY id',
      )
      .all(alertId);
  const updates = () => fake.calls.filter((c) => c.method === 'chat.update');

  it('puts Acknowledge, Not us, Escalate and Note on each alert, not on a health alert', async () => {
    const alert = delivered();
    const blocks = await postedBlocks(alert);
    const actions = blocks.find((b) => b.block_id === 'sanctions_review')!;
    expect(actions.elements!.map((e) => [e.action_id, e.value])).toEqual([
      ['sanctions_review_ack', String(alert.id)],
      ['sanctions_review_not_us', String(alert.id)],
      ['sanctions_review_escalate', String(alert.id)],
      ['sanctions_review_note', String(alert.id)],
    ]);
    fake.calls.length = 0;
    await adapter.deliver('C0123', [
      {
        alert: {
          ...healthAlert(
            'failing',
            'HTTP 503',
            { id: 'csl', label: 'CSL' },
            new Date().toISOString(),
          ),
          id: 999,
          channels: [],
        } as Alert,
        reason: null,
      },
    ]);
    expect(JSON.stringify(fake.posts()[0]!.blocks)).not.toMatch(/sanctions_review/);
  });

  it('acknowledges a click at once, records it once however often Slack sends it, and shows who in the message', async () => {
    const alert = delivered();
    const blocks = await postedBlocks(alert);
    const payload = click(alert, blocks, 'sanctions_review_ack');
    expect((await send(payload)).status).toBe(200);
    await waitFor(() => updates().length === 1);
    // Slack sends the same click again (its retry): nothing more is recorded.
    expect((await send(payload)).status).toBe(200);
    await waitFor(() => updates().length === 2);
    expect(decisions(alert.id)).toEqual([
      { action: 'ack', userId: 'U0002', reason: null, note: null },
    ]);
    const update = updates()[0]!.args as {
      channel: string;
      ts: string;
      blocks: { block_id?: string; elements?: { text?: string }[] }[];
    };
    expect(update).toMatchObject({ channel: 'C0123', ts: '1700000000.000100' });
    const state = update.blocks.find((b) => b.block_id === 'sanctions_review_state')!;
    expect(state.elements![0]!.text).toMatch(
      /^:memo: Acknowledged by <@U0002> \d{4}-\d\d-\d\d \d\d:\d\d UTC$/,
    );
    // The buttons stay, below the state, for a later decision or a note.
    expect(update.blocks.at(-1)!.block_id).toBe('sanctions_review');
  });

  it('takes the reason for "Not us" in a modal, refuses one over the bound naming it, and shows the reason', async () => {
    const alert = delivered();
    const blocks = await postedBlocks(alert);
    fake.queue('views.open', { body: { ok: true, view: { id: 'V0NOTUS' } } });
    await send(click(alert, blocks, 'sanctions_review_not_us', 'U0002', '1700000002.000300'));
    await waitFor(() => fake.calls.some((c) => c.method === 'views.open'));
    const view = fake.calls.find((c) => c.method === 'views.open')!.args.view as {
      callback_id: string;
      private_metadata: string;
      blocks: { block_id: string; element: { max_length: number } }[];
    };
    expect(view.callback_id).toBe('sanctions_review_modal');
    expect(view.blocks.map((b) => [b.block_id, b.element.max_length])).toEqual([
      ['reason', REVIEW_LIMITS.reason],
      ['note', REVIEW_LIMITS.note],
    ]);
    const submission = (reason: string, note = '') => ({
      type: 'view_submission',
      team: { id: 'T0001' },
      user: { id: 'U0002', name: 'ana' },
      api_app_id: 'A0001',
      token: 'legacy',
      trigger_id: '1.2.3',
      view: {
        id: 'V0NOTUS',
        type: 'modal',
        callback_id: 'sanctions_review_modal',
        private_metadata: view.private_metadata,
        state: {
          values: {
            reason: { reason: { type: 'plain_text_input', value: reason } },
            note: { note: { type: 'plain_text_input', value: note || null } },
          },
        },
      },
    });
    const long = await send(submission('x'.repeat(REVIEW_LIMITS.reason + 1)));
    expect(long.body).toEqual({
      response_action: 'errors',
      errors: {
        reason: expect.stringMatching(/^The reason is 301 characters; at most 300 are kept/),
      },
    });
    expect(decisions(alert.id)).toEqual([]);
    // The submitter is checked again (from the adapter's cache).
    const ok = await send(
      submission('different company: Shenzhen, not Beijing <!channel>', 'checked the USCC'),
    );
    expect(ok.status).toBe(200);
    await waitFor(() => updates().length === 1);
    expect(decisions(alert.id)).toEqual([
      {
        action: 'not-us',
        userId: 'U0002',
        reason: 'different company: Shenzhen, not Beijing <!channel>',
        note: 'checked the USCC',
      },
    ]);
    const state = (
      updates()[0]!.args.blocks as { block_id?: string; elements?: { text?: string }[] }[]
    ).find((b) => b.block_id === 'sanctions_review_state')!;
    // What the reviewer typed cannot ping the channel.
    expect(state.elements![0]!.text).toMatch(
      /^:memo: Not us by <@U0002> .* UTC: different company: Shenzhen, not Beijing &lt;!channel&gt; · checked the USCC$/,
    );
  });

  it('refuses a member who may not decide, privately, and records nothing', async () => {
    const alert = delivered();
    const blocks = await postedBlocks(alert);
    fake.queue('users.info', {
      body: { ok: true, user: { id: 'U0BAD', is_admin: false, is_owner: false } },
    });
    await send(click(alert, blocks, 'sanctions_review_ack', 'U0BAD', '1700000003.000400'));
    await waitFor(() => fake.responses.some((r) => r.path === '/respond/1700000003.000400'));
    expect(fake.responses.find((r) => r.path === '/respond/1700000003.000400')!.body).toMatchObject(
      {
        response_type: 'ephemeral',
        text: expect.stringMatching(/may record decisions on alerts here. Nothing was recorded/),
      },
    );
    expect(decisions(alert.id)).toEqual([]);
    expect(updates()).toEqual([]);
  });

  it('counts a digest\'s details as they are decided: the digest shows "2 of 4 reviewed"', async () => {
    // Four alerts at once become a digest with the details in its thread, through the real dispatcher.
    const ids = ['ALPHA CO', 'BETA CO', 'GAMMA CO', 'DELTA CO'].map((name) => {
      const alert: NewAlert = cmicAddition({ ...record, key: `NS-CMIC:${name}`, name });
      return enqueueAlert(h.db, alert, new Map([['slack:C0DIGEST', 'list NS-CMIC']]), null).id;
    });
    fake.calls.length = 0;
    expect(await new Dispatcher(h.db, silentLogger, [adapter]).dispatch()).toMatchObject({
      sent: 4,
    });
    const [parent, ...details] = fake.posts() as {
      ts?: string;
      thread_ts?: string;
      blocks: { block_id?: string; elements?: { text?: string }[] }[];
    }[];
    expect(parent!.blocks.at(-1)!.elements![0]!.text).toMatch(
      /each with its review buttons · 0 of 4 reviewed$/,
    );
    expect(details).toHaveLength(4);
    const threadTs = details[0]!.thread_ts!;
    const inThread = (alertId: number, blocks: unknown, actionId: string, actionTs: string) => {
      const c = click({ id: alertId } as Alert, blocks, actionId, 'U0002', actionTs);
      return {
        ...c,
        channel: { id: 'C0DIGEST', name: 'desk' },
        container: { type: 'message', message_ts: '1700000099.000100', thread_ts: threadTs },
        message: { ...c.message, ts: '1700000099.000100', thread_ts: threadTs },
      };
    };
    fake.calls.length = 0;
    await send(inThread(ids[0]!, details[0]!.blocks, 'sanctions_review_ack', '1700000010.000001'));
    await waitFor(() => updates().length === 2);
    await send(inThread(ids[2]!, details[2]!.blocks, 'sanctions_review_ack', '1700000010.000002'));
    await waitFor(() => updates().length === 4);
    const digestUpdates = updates()
      .filter((u) => u.args.ts === threadTs)
      .map(
        (u) =>
          u.args as {
            channel: string;
            blocks: { block_id?: string; elements?: { text?: string }[] }[];
          },
      );
    expect(
      digestUpdates.map(
        (u) => u.blocks.find((b) => b.block_id === 'sanctions_digest_review')!.elements![0]!.text,
      ),
    ).toEqual([
      expect.stringMatching(/· 1 of 4 reviewed$/),
      expect.stringMatching(/· 2 of 4 reviewed$/),
    ]);
    // The digest is shown again whole: its lines name every alert it announced.
    expect(JSON.stringify(digestUpdates[1]!.blocks)).toMatch(
      /ALPHA CO.*BETA CO.*GAMMA CO.*DELTA CO/,
    );
    expect(digestUpdates[1]!.channel).toBe('C0DIGEST');
  });

  it('refuses a forged click with 401', async () => {
    const alert = delivered();
    expect(
      (await send(click(alert, [], 'sanctions_review_ack'), { signature: 'v0=deadbeef' })).status,
    ).toBe(401);
    expect(decisions(alert.id)).toEqual([]);
  });

  it('keeps decisions as records: no update or delete, and the decided alert outlives retention', async () => {
    const alert = delivered('DECIDED CO');
    const other = delivered('UNDECIDED CO');
    expect(
      runReview(h.db, {
        alertId: alert.id,
        channel: 'slack:C0123',
        userId: 'cli:ana',
        userName: 'ana',
        action: 'note',
        note: 'asked legal',
        requestKey: 'cli:1',
      }),
    ).toMatchObject({ ok: true });
    expect(() =>
      h.db.prepare("UPDATE decisions SET note = 'nothing' WHERE alert_id = ?").run(alert.id),
    ).toThrow(/decisions are records/);
    expect(() => h.db.prepare('DELETE FROM decisions').run()).toThrow(/decisions are records/);
    prune(h.db, new Date(Date.now() + 60_000).toISOString());
    expect(
      h.db.prepare('SELECT id FROM alerts WHERE id IN (?, ?)').pluck().all(alert.id, other.id),
    ).toEqual([alert.id]);
    // A click on the pruned one answers plainly.
    const r = runReview(h.db, {
      alertId: other.id,
      channel: 'slack:C0123',
      userId: 'U0002',
      action: 'ack',
      requestKey: 'slack:x',
    });
    expect(r).toEqual({ ok: false, error: expect.stringMatching(/^Alert #\d+ is no longer kept/) });
  });
});

describe('Slack review buttons over Socket Mode (real Bolt, a local WebSocket end)', () => {
  const fake = new FakeSlack();
  const socket = new FakeSocketMode();
  let h: Harness;
  let adapter: Adapter;
  beforeAll(async () => {
    await fake.start();
    await socket.start();
    fake.queue('apps.connections.open', { body: { ok: true, url: socket.url } });
    h = createHarness();
    ensureSource(h.db, 'csl', 'csl', null);
    adapter = createSlackAdapter(
      {
        botToken: 'xoxb-test',
        appToken: 'xapp-1-A0001-test',
        signingSecret: null,
        apiUrl: fake.apiUrl,
      },
      {
        env: {},
        settings: readSettings({}),
        log: silentLogger,
        mode: 'start',
        json: false,
        review: (input) => runReview(h.db, input),
        commands: (cmd, channel, access) =>
          runCommand(
            cmd,
            { db: h.db, matcher: new NameMatcher(h.db), sources: [], channel },
            { access },
          ),
      },
    );
    await adapter.start!();
    await socket.ready;
    fake.queue('users.info', { body: { ok: true, user: { id: 'U0002', is_admin: true } } });
  });
  afterAll(async () => {
    await adapter.stop!();
    await socket.stop();
    await fake.stop();
    h.close();
  });

  it('acks the envelope, records the click once when Slack sends it again, and updates the message', async () => {
    const alert: NewAlert = cmicAddition(record);
    const { id } = enqueueAlert(
      h.db,
      alert,
      new Map([['slack:C0123', 'subscription #1: "Huawei"']]),
      null,
    );
    h.db
      .prepare(
        "UPDATE deliveries SET status = 'sent', sent_at = ?, message_id = '1700000000.000100' WHERE alert_id = ?",
      )
      .run(new Date().toISOString(), id);
    await adapter.deliver('C0123', [
      { alert: { ...alert, id, channels: ['slack:C0123'] } as Alert, reason: null },
    ]);
    const blocks = fake.posts().at(-1)!.blocks;
    const payload = {
      type: 'block_actions',
      team: { id: 'T0001' },
      user: { id: 'U0002', name: 'ana' },
      api_app_id: 'A0001',
      token: 'legacy',
      trigger_id: '1.2.3',
      channel: { id: 'C0123', name: 'compliance' },
      response_url: fake.url('/respond/sm'),
      container: { type: 'message', message_ts: '1700000000.000100' },
      message: { type: 'message', ts: '1700000000.000100', text: 'x', blocks },
      actions: [
        {
          type: 'button',
          action_id: 'sanctions_review_ack',
          block_id: 'sanctions_review',
          value: String(id),
          action_ts: '1700000005.000100',
        },
      ],
    };
    socket.send({
      envelope_id: 'env-review-1',
      type: 'interactive',
      accepts_response_payload: false,
      payload,
    });
    expect(await socket.waitForAck('env-review-1')).toMatchObject({ envelope_id: 'env-review-1' });
    // Slack retries an envelope it did not see acknowledged: same click, another envelope.
    socket.send({
      envelope_id: 'env-review-2',
      type: 'interactive',
      accepts_response_payload: false,
      retry_attempt: 1,
      retry_reason: 'timeout',
      payload,
    });
    await socket.waitForAck('env-review-2');
    await waitFor(() => fake.calls.filter((c) => c.method === 'chat.update').length >= 2);
    expect(
      h.db.prepare('SELECT action, user_id AS userId FROM decisions WHERE alert_id = ?').all(id),
    ).toEqual([{ action: 'ack', userId: 'U0002' }]);
    const update = fake.calls.find((c) => c.method === 'chat.update')!.args as {
      ts: string;
      blocks: { block_id?: string; elements?: { text?: string }[] }[];
    };
    expect(update.ts).toBe('1700000000.000100');
    expect(
      update.blocks.find((b) => b.block_id === 'sanctions_review_state')!.elements![0]!.text,
    ).toMatch(/^:memo: Acknowledged by <@U0002> /);
  });
});

describe('a click on an alert delivered before the upgrade that brought decisions', () => {
  it('is recorded, remembered as not us, and listed as decided', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sr-review-upgrade-'));
    try {
      const path = join(dir, 'radar.db');
      // Version 23 (the release before decisions): an alert delivered to a channel that follows Huawei by name.
      const old = openDbAt(path, 23);
      const alert: NewAlert = {
        type: 'designation.added',
        source: 'csl',
        sourceLabel: 'trade.gov CSL',
        detectedAt: '2026-11-30T09:00:00.000Z',
        list: 'NS-CMIC',
        entity: { key: record.key, name: record.name, aliases: [], programs: record.programs },
        record,
      };
      const { id } = enqueueAlert(
        old,
        alert,
        new Map([
          ['slack:C0123', 'subscription #1: "Huawei" matched HUAWEI TECHNOLOGIES CO., LTD.'],
        ]),
        null,
      );
      old
        .prepare(
          "UPDATE deliveries SET status = 'sent', sent_at = '2026-11-30T09:00:05.000Z', message_id = '1700000000.000100' WHERE alert_id = ?",
        )
        .run(id);
      old.close();
      const { db } = openDb(path);
      try {
        const r = runReview(db, {
          alertId: id,
          channel: 'slack:C0123',
          userId: 'U0002',
          userName: 'ana',
          action: 'not-us',
          reason: 'different company',
          requestKey: 'slack:C0123:1700000000.000100:1:U0002',
        });
        expect(r).toMatchObject({
          ok: true,
          decisions: [{ action: 'not-us', reason: 'different company' }],
        });
        expect(db.prepare('SELECT entry_key AS entryKey FROM clearances').all()).toEqual([
          { entryKey: record.key },
        ]);
        expect(
          [...reviewedAlerts(db, 'slack:C0123', 'off')].map((a) => [a.alertId, a.state]),
        ).toEqual([[id, 'not us']]);
      } finally {
        db.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
