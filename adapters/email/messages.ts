// Alerts as email: a plain-text and an HTML part with the same facts and links as Slack's
// messages. Several alerts of one batch (a poll's) are one email. No List-Unsubscribe: the way out
// is the subscription that brought it, which the footer names. Pure.
import {
  alertHeadline,
  alertSubject,
  alertUrl,
  changesTold,
  count,
  isReviewable,
} from '../../src/alerts/category.js';
import { bindingDates, describeIdentifiers } from '../../src/alerts/binding.js';
import { describeFieldChange, formatAlertText } from '../../src/alerts/format-text.js';
import type { DeliveryItem } from '../../src/delivery/adapter.js';
import type { Alert } from '../../src/domain.js';
import { cleanText } from '../../src/text/clean.js';
import { clip, httpUrl } from '../../src/text/limits.js';

export interface EmailMessage {
  subject: string;
  text: string;
  html: string;
}

const escapeHtml = (s: string) =>
  cleanText(s)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
const link = (url: string | null | undefined, label: string) =>
  httpUrl(url) ? `<a href="${escapeHtml(url!)}">${escapeHtml(label)}</a>` : escapeHtml(label);

/** The facts a person checks, as label and value. */
function facts(a: Alert): [string, string][] {
  const out: [string, string | null | undefined][] = [];
  if (
    a.type === 'designation.added' ||
    a.type === 'designation.removed' ||
    a.type === 'designation.amended'
  ) {
    const r = a.record;
    out.push(
      ['List', a.list],
      ['Programs', r.programs.join(', ')],
      ['Listed on', r.listedOn],
      ['Binds investors', bindingDates(r)],
      ['Identifiers', describeIdentifiers(r.identifiers)],
      ['Federal Register', r.citation],
      ['Also known as', r.aliases.slice(0, 8).join('; ')],
    );
    if (a.type === 'designation.amended')
      out.push(['Changed', (a.fields ?? []).map((f) => describeFieldChange(f)).join('; ')]);
  } else if (a.type === 'feed.item') {
    const i = a.item;
    out.push(
      ['Court', i.court?.toUpperCase()],
      ['Docket', i.docket],
      ['Type', [i.label, i.documentType].filter(Boolean).join(' · ')],
      ['Federal Register', i.citation],
      ['Published', i.publishedAt?.slice(0, 16).replace('T', ' ')],
    );
  } else if (a.type === 'designation.changeset') {
    for (const l of a.lists.slice(0, 10))
      out.push([l.list, `+${count(l.added)} −${count(l.removed)} ~${count(l.amended)}`]);
  } else if (a.type === 'source.health') {
    out.push(['Reason', a.reason]);
  } else if (a.type === 'review.reminder') {
    for (const e of a.alerts)
      out.push([
        `#${e.id}`,
        `${e.headline}: ${e.subject} (${e.state} since ${e.deliveredAt.slice(0, 16).replace('T', ' ')} UTC)`,
      ]);
  }
  return out.filter((f): f is [string, string] => Boolean(f[1]));
}

function footer(items: DeliveryItem[], channel: string): { text: string; html: string } {
  const why = [...new Set(items.map((i) => i.reason).filter((r): r is string => Boolean(r)))];
  const because = why.length
    ? `You get this at ${channel} because of: ${why.join('; ')}.`
    : `You get this at ${channel}: the operator sends every alert here.`;
  const stop =
    'To stop, remove the subscription: sanctions-radar subscriptions --channel email:<this address>, then sanctions-radar unsubscribe <id> --channel email:<this address> (or ask the operator).';
  return {
    text: `--\n${because}\n${stop}`,
    html: `<hr><p style="color:#666;font-size:12px">${escapeHtml(because)}<br>${escapeHtml(stop)}</p>`,
  };
}

function section(item: DeliveryItem): { text: string; html: string } {
  const a = item.alert;
  const rows = facts(a);
  const text = [
    formatAlertText(a),
    ...rows.map(([k, v]) => `  ${k}: ${v}`),
    item.reason ? `  Why this address: ${item.reason}` : '',
  ]
    .filter(Boolean)
    .join('\n');
  const html =
    `<h3 style="margin-bottom:4px">${escapeHtml(alertHeadline(a))}</h3><p style="margin-top:0"><b>${link(alertUrl(a), alertSubject(a))}</b></p>` +
    (rows.length
      ? `<table cellpadding="4" style="border-collapse:collapse">${rows.map(([k, v]) => `<tr><td style="color:#555;vertical-align:top">${escapeHtml(k)}</td><td>${escapeHtml(v)}</td></tr>`).join('')}</table>`
      : '') +
    `<p style="color:#666;font-size:12px">${escapeHtml([a.sourceLabel, `detected ${a.detectedAt.slice(0, 16).replace('T', ' ')} UTC`, item.reason ? `why: ${item.reason}` : ''].filter(Boolean).join(' · '))}</p>`;
  return { text, html };
}

export function emailMessage(items: DeliveryItem[], channel: string): EmailMessage {
  const parts = items.map(section);
  const foot = footer(items, channel);
  const first = items[0]!.alert;
  const sources = [...new Set(items.map((i) => i.alert.sourceLabel))].join(', ');
  const told = changesTold(items.map((i) => i.alert));
  const subject =
    items.length === 1
      ? `[sanctions-radar] ${alertHeadline(first)}: ${alertSubject(first)}`
      : `[sanctions-radar] ${count(told)} changes from ${sources}${items.some((i) => !isReviewable(i.alert)) ? ' (and notices from the bot)' : ''}`;
  const summary =
    items.length > 1
      ? {
          text: `${count(told)} changes from ${sources}:\n${items.map((i) => `- ${alertHeadline(i.alert)}: ${alertSubject(i.alert)}`).join('\n')}\n\n`,
          html: `<p><b>${escapeHtml(`${count(told)} changes`)}</b> from ${escapeHtml(sources)}</p>`,
        }
      : { text: '', html: '' };
  return {
    subject: clip(cleanText(subject).replace(/[\r\n]+/g, ' '), 200),
    text: `${summary.text}${parts.map((p) => p.text).join('\n\n')}\n\n${foot.text}\n`,
    html: `<!doctype html><html><body style="font-family:sans-serif">${summary.html}${parts.map((p) => p.html).join('<hr>')}${foot.html}</body></html>`,
  };
}
