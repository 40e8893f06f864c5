// Email through SMTP (nodemailer): one email per batch of a channel (a poll's alerts together),
// a plain-text and an HTML part. What the server answers decides: a recipient refused for good
// (5xx) is dead-lettered, a passing refusal (4xx) or a dropped connection is retried.
import { createHash } from 'node:crypto';
import nodemailer from 'nodemailer';
import type {
  Adapter,
  DeliveryItem,
  DeliveryProgress,
  SendOutcome,
} from '../../src/delivery/adapter.js';
import { redactText } from '../../src/fetch/redact.js';
import type { Logger } from '../../src/log.js';
import type { EmailConfig } from './config.js';
import type { DoctorCheck } from '../../src/doctor/check.js';
import { emailMessage } from './messages.js';

export interface EmailOptions {
  log: Logger;
}

/** What an SMTP failure means for the delivery. */
export function smtpOutcome(err: unknown, to: string): SendOutcome {
  const e = err as Error & {
    responseCode?: number;
    code?: string;
    response?: string;
    command?: string;
  };
  const said = redactText(e.response ?? e.message)
    .replace(/\s+/g, ' ')
    .slice(0, 300);
  if (e.responseCode && e.responseCode >= 500) {
    // Refused at RCPT: this address. At AUTH: the server refuses us (any address): wait for a person.
    if (e.command === 'AUTH PLAIN' || e.command === 'AUTH LOGIN' || e.code === 'EAUTH')
      return {
        ok: false,
        kind: 'pause',
        error: `email: the SMTP server refused the login: ${said} (check SMTP_URL)`,
      };
    return { ok: false, kind: 'fail', error: `email to ${to} refused: ${said}` };
  }
  return {
    ok: false,
    kind: 'retry',
    error: `email to ${to}: ${e.responseCode ? `${said}` : `${e.code ?? 'error'}: ${said}`}`,
  };
}

export function createEmailAdapter(cfg: EmailConfig, o: EmailOptions): Adapter {
  const transport = nodemailer.createTransport(cfg.smtpUrl, {
    connectionTimeout: 10_000,
    greetingTimeout: 10_000,
    socketTimeout: 30_000,
  } as never);
  return {
    platform: 'email',
    async doctor(): Promise<DoctorCheck[]> {
      try {
        await transport.verify();
        return [
          {
            check: 'email (SMTP)',
            ok: true,
            detail: `${redactText(cfg.smtpUrl)} takes a login, mail from ${cfg.from}`,
          },
        ];
      } catch (err) {
        const o = smtpOutcome(err, 'any address');
        return [
          {
            check: 'email (SMTP)',
            ok: false,
            detail: `${redactText(cfg.smtpUrl)}: ${o.ok ? 'refused' : o.error}`,
            fix: 'check SMTP_URL: host, port, user and password',
          },
        ];
      }
    },
    async deliver(
      to: string,
      items: DeliveryItem[],
      progress?: DeliveryProgress,
    ): Promise<SendOutcome> {
      const m = emailMessage(items, `email:${to}`);
      // The same alerts to the same address make the same Message-ID: a retry after a lost answer
      // is one the receiving server or client can recognise.
      const id = createHash('sha256')
        .update(`${to} ${items.map((i) => i.alert.id).join(',')}`)
        .digest('hex')
        .slice(0, 24);
      try {
        await transport.sendMail({
          from: cfg.from,
          to,
          subject: m.subject,
          text: m.text,
          html: m.html,
          messageId: `<sr-${items[0]!.alert.id}-${id}@sanctions-radar>`,
          headers: { 'X-Sanctions-Radar-Alerts': items.map((i) => i.alert.id).join(',') },
        });
      } catch (err) {
        const outcome = smtpOutcome(err, to);
        o.log.debug(
          { channel: `email:${to}`, reason: outcome.ok ? '' : outcome.error },
          'email not sent',
        );
        return outcome;
      }
      progress?.({ delivered: items.length });
      return { ok: true };
    },
    stop() {
      transport.close();
      return Promise.resolve();
    },
  };
}
