// The adapter that needs no token: alerts as readable lines (or JSON lines) on stdout.
import { alertJson, formatAlertText } from '../../src/alerts/format-text.js';
import type { Adapter, AdapterFactory, DeliveryItem } from '../../src/delivery/adapter.js';

export interface ConsoleAdapterOptions {
  json: boolean;
  /** False in `poll`, whose own output already shows every alert it created. */
  echo: boolean;
  write?: (line: string) => void;
}

export function createConsoleAdapter(opts: ConsoleAdapterOptions): Adapter {
  const write = opts.write ?? ((line: string) => process.stdout.write(`${line}\n`));
  return {
    platform: 'console',
    async deliver(channelId: string, items: DeliveryItem[]) {
      if (!opts.echo) return { ok: true };
      for (const { alert: a, reason } of items) {
        write(opts.json ? JSON.stringify({ ...alertJson(a), deliveredTo: `console:${channelId}`, reason }) : formatAlertText(a));
      }
      return { ok: true };
    },
  };
}

export const consoleAdapterFactory: AdapterFactory = {
  platform: 'console',
  fromEnv: (ctx) => createConsoleAdapter({ json: ctx.json, echo: ctx.mode === 'start' }),
};
