// Which new feed items become alerts. A court feed carries hundreds of entries a day about cases
// nobody here follows: by default (alert: mentions) an entry alerts only when it names a tracked
// or followed company, or belongs to a followed case. Agency feeds default to alert: all.
// include / exclude terms refine either, as MonitoRSS filters do. Pure.
import type { FeedAlertReason, FeedItem, Mention, SourceConfig } from '../domain.js';

export interface FeedPolicy {
  alert: 'all' | 'mentions';
  include: string[];
  exclude: string[];
}

const words = (s: string) =>
  ` ${s
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim()} `;

export function feedPolicy(cfg: SourceConfig, courtKind: boolean): FeedPolicy {
  const terms = (v: unknown) =>
    Array.isArray(v)
      ? v
          .filter((t): t is string => typeof t === 'string')
          .map(words)
          .filter((t) => t.trim())
      : [];
  const alert =
    cfg.options.alert === 'all' || cfg.options.alert === 'mentions'
      ? cfg.options.alert
      : courtKind
        ? 'mentions'
        : 'all';
  return { alert, include: terms(cfg.options.include), exclude: terms(cfg.options.exclude) };
}

/** The text an item is judged and scanned by: caption, title, labels, summary. */
export function itemText(item: FeedItem): string {
  // PACER titles repeat the caption and summaries repeat the labels: each is scanned once.
  const parts = [item.title];
  if (item.caseName && !item.title.includes(item.caseName)) parts.push(item.caseName);
  for (const t of item.entryTypes ?? []) if (!item.summary.includes(t)) parts.push(t);
  parts.push(item.summary);
  return parts.filter(Boolean).join(' | ');
}

/** Why an item becomes an alert; empty when it does not. */
export function judgeItem(
  item: FeedItem,
  mentions: Mention[],
  followedCase: boolean,
  p: FeedPolicy,
): FeedAlertReason[] {
  const text = words(itemText(item));
  // A followed case is followed whole: its entries pass every filter.
  if (followedCase) return ['case', ...(mentions.length ? (['mention'] as const) : [])];
  if (p.exclude.some((t) => text.includes(t))) return [];
  const reasons: FeedAlertReason[] = [];
  if (mentions.length) reasons.push('mention');
  if (p.include.some((t) => text.includes(t))) reasons.push('include');
  else if (p.alert === 'all' && p.include.length === 0) reasons.push('all');
  // A document about the lists is the news a quiet feed (the public inspection desk) is read for.
  else if (p.alert === 'mentions' && item.label) reasons.push('label');
  return reasons;
}
