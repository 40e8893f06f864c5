// `sanctions-radar test-alert --channel slack:C…`: a sample alert, marked as a test, through the
// real outbox and adapter to one channel, so the first alert is seen in the first minutes (the
// first poll of each source is a silent baseline). Says what became of it.
import { enqueueAlert } from '../../db/outbox.js';
import { createApp } from '../app.js';
import { sampleAlert, TEST_REASON } from '../alerts/sample.js';
import type { Settings } from '../config/settings.js';
import type { Logger } from '../log.js';
import { channelOf, UsageError, type CliIo } from './io.js';

export async function testAlertCommand(
  io: CliIo,
  settings: Settings,
  log: Logger,
  channel: string | undefined,
  json: boolean,
): Promise<number> {
  if (!channel)
    throw new UsageError(
      'test-alert needs --channel: the channel to send it to (slack:C…, discord:…, webhook:…, teams:…, email:…, console:…)',
    );
  const ch = channelOf(io, channel);
  // The channel's platform must be configured here, as for SANCTIONS_RADAR_ALERT_CHANNELS.
  const app = await createApp({
    settings: { ...settings, alertChannels: [...new Set([...settings.alertChannels, ch])] },
    log,
    adapterFactories: io.adapterFactories,
    env: io.env,
    mode: 'poll',
    json,
  });
  try {
    const alert = enqueueAlert(app.db, sampleAlert(new Date()), new Map([[ch, TEST_REASON]]), null);
    await app.dispatcher.drain(30_000);
    const d = app.db
      .prepare(
        'SELECT status, last_error AS error, message_id AS messageId FROM deliveries WHERE alert_id = ? AND channel = ?',
      )
      .get(alert.id, ch) as { status: string; error: string | null; messageId: string | null };
    const paused = app.db
      .prepare(
        'SELECT paused_reason FROM channel_state WHERE channel = ? AND paused_reason IS NOT NULL',
      )
      .pluck()
      .get(ch) as string | undefined;
    const result = {
      alertId: alert.id,
      channel: ch,
      status: d.status,
      ...(d.messageId ? { messageId: d.messageId } : {}),
      ...((paused ?? d.error) ? { error: paused ?? d.error } : {}),
    };
    if (json) io.out(JSON.stringify(result));
    else if (d.status === 'sent')
      io.err(
        `✓ test alert #${alert.id} delivered to ${ch}${d.messageId ? ` (message ${d.messageId})` : ''}`,
      );
    else
      io.err(
        `✗ test alert #${alert.id} not delivered to ${ch}: ${paused ?? d.error ?? 'still queued'}${d.status === 'pending' ? ' (it stays queued: the daemon or the next poll delivers it once this is fixed)' : ''}`,
      );
    return d.status === 'sent' ? 0 : 1;
  } finally {
    await Promise.all(app.adapters.map(async (a) => a.stop?.()));
    app.close();
  }
}
