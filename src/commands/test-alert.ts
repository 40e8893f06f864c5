// `/sanctions test`: a sample alert, marked as a test, queued for this channel; the daemon sends it
// within seconds, through the same outbox and adapter as every alert.
import { enqueueAlert } from '../../db/outbox.js';
import { sampleAlert, TEST_REASON } from '../alerts/sample.js';
import type { CommandContext } from './context.js';
import type { Reply } from './reply.js';

export function testAlert(ctx: CommandContext, now: Date = new Date()): Reply {
  const alert = enqueueAlert(ctx.db, sampleAlert(now), new Map([[ctx.channel, TEST_REASON]]), null);
  return {
    verb: 'test',
    ok: true,
    visibility: 'private',
    sections: [],
    summary: `A test alert (#${alert.id}, a real NS-CMIC listing marked as a test) is on its way to this channel: it should show within seconds. If it does not, \`sanctions-radar doctor\` says why.`,
    data: { alertId: alert.id, channel: ctx.channel },
  };
}
