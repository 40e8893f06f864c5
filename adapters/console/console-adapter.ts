// The adapter that needs no token: alerts as readable lines (or JSON lines) on stdout. A console
// delivery is confirmed only once its line is written, so a `poll` killed before it printed
// prints those alerts on its next run, marked as redelivered.
import { alertJson, formatAlertText } from '../../src/alerts/format-text.js';
import type { Adapter, AdapterFactory, DeliveryItem, DeliveryProgress } from '../../src/delivery/adapter.js';

export interface ConsoleAdapterOptions {
  json: boolean;
  /**
   * `poll` prints each alert once, in the CLI contract's shape, however many console channels
   * it is routed to; `start` prints one line per channel, saying which.
   */
  mode: 'poll' | 'start';
  write?: (line: string) => void;
}

export function createConsoleAdapter(opts: ConsoleAdapterOptions): Adapter {
  const write = opts.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  const printed = new Set<number>();
  return {
    platform: 'console',
    async deliver(channelId: string, items: DeliveryItem[], progress?: DeliveryProgress) {
      for (const [n, { alert: a, reason, redelivered }] of items.entries()) {
        if (opts.mode === 'poll' && printed.has(a.id)) {
          progress?.({ delivered: n + 1 });
          continue;
        }
        printed.add(a.id);
        const again = redelivered ? { redelivered: true } : {};
        if (opts.json) write(JSON.stringify(opts.mode === 'poll' ? { ...alertJson(a), ...again } : { ...alertJson(a), deliveredTo: `console:${channelId}`, reason, ...again }));
        else write(`${redelivered ? '(redelivered) ' : ''}${formatAlertText(a)}`);
        progress?.({ delivered: n + 1 });
      }
      return { ok: true };
    },
  };
}

export const consoleAdapterFactory: AdapterFactory = {
  platform: 'console',
  fromEnv: (ctx) => createConsoleAdapter({ json: ctx.json, mode: ctx.mode }),
};
