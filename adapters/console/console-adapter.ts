// The adapter that needs no token: alerts as readable lines (or JSON lines) on stdout.
import { alertJson, formatAlertText } from '../../src/alerts/format-text.js';
import type { Adapter, AdapterFactory } from '../../src/delivery/adapter.js';
import type { Alert } from '../../src/domain.js';

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
    async deliver(channelId: string, alerts: Alert[]) {
      if (!opts.echo) return { ok: true };
      for (const a of alerts) {
        write(opts.json ? JSON.stringify({ ...alertJson(a), deliveredTo: `console:${channelId}` }) : formatAlertText(a));
      }
      return { ok: true };
    },
  };
}

export const consoleAdapterFactory: AdapterFactory = {
  platform: 'console',
  fromEnv: (ctx) => createConsoleAdapter({ json: ctx.json, echo: ctx.mode === 'start' }),
};
