// One readable line per alert, for the console and the CLI.
import type { Alert, FieldChange, Identifier } from '../domain.js';
import { elementKey } from '../poll/diff.js';
import {
  alertHeadline,
  changesetNote,
  describeCounts,
  describeExample,
  feedReasons,
  isCourtItem,
  reminderSubject,
} from './category.js';
import { bindingDates, describeIdentifier } from './binding.js';
import { citationLinks } from './citations.js';
import { clip } from '../text/limits.js';
import { scalarText } from '../text/clean.js';

function short(s: string, max = 80): string {
  return clip(s === '' ? '(none)' : s, max);
}

/** One element of a multi-valued field as text: most are strings; identifiers are objects. */
function elementText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (
    v &&
    typeof v === 'object' &&
    typeof (v as Identifier).type === 'string' &&
    typeof (v as Identifier).value === 'string'
  )
    return describeIdentifier(v as Identifier);
  return JSON.stringify(v);
}

/**
 * Before → after for one field, focused on what differs: a long remark that changed one passport
 * number shows that number, not the first 60 identical characters.
 */
export function describeFieldChange(f: FieldChange, context = 24): string {
  if (Array.isArray(f.before) || Array.isArray(f.after)) {
    const before = new Map(((f.before as unknown[] | null) ?? []).map((v) => [elementKey(v), v]));
    const after = new Map(((f.after as unknown[] | null) ?? []).map((v) => [elementKey(v), v]));
    const added = [...after].filter(([k]) => !before.has(k)).map(([, v]) => `+${elementText(v)}`);
    const removed = [...before].filter(([k]) => !after.has(k)).map(([, v]) => `−${elementText(v)}`);
    return `${f.field}: ${short([...added, ...removed].join(', '), 160)}`;
  }
  const b = scalarText(f.before);
  const a = scalarText(f.after);
  if (b.length + a.length <= 2 * context + 40) return `${f.field}: ${short(b)} → ${short(a)}`;
  let start = 0;
  while (start < b.length && start < a.length && b[start] === a[start]) start++;
  let end = 0;
  while (
    end < b.length - start &&
    end < a.length - start &&
    b[b.length - 1 - end] === a[a.length - 1 - end]
  )
    end++;
  const from = Math.max(0, start - context);
  const cut = (s: string) => {
    const to = Math.min(s.length, s.length - end + context);
    return `${from > 0 ? '…' : ''}${s.slice(from, to)}${to < s.length ? '…' : ''}` || '(none)';
  };
  return `${f.field}: ${short(cut(b), 120)} → ${short(cut(a), 120)}`;
}

export function describeFields(fields: FieldChange[]): string {
  return fields.map((f) => describeFieldChange(f)).join('; ');
}

export function formatAlertText(a: Alert): string {
  const when = a.detectedAt.slice(0, 19).replace('T', ' ');
  switch (a.type) {
    case 'designation.added':
    case 'designation.removed': {
      const verb = a.type === 'designation.added' ? 'ADDED to' : 'REMOVED from';
      const programs = a.entity.programs.length ? ` [${a.entity.programs.join(', ')}]` : '';
      const listed = a.record.listedOn ? ` listed ${a.record.listedOn}` : '';
      const links = citationLinks(a.record.citation);
      const cite = a.record.citation
        ? ` (${a.record.citation}${links.length ? ` ${links.map((l) => l.url).join(' ')}` : ''})`
        : '';
      const binds = a.type === 'designation.added' ? bindingDates(a.record) : null;
      return `${when} ${verb} ${a.list}: ${a.entity.name}${programs}${listed}${binds ? ` — ${binds}` : ''}${cite} — ${a.sourceLabel}${a.record.url ? ` ${a.record.url}` : ''}`;
    }
    case 'designation.amended':
      return `${when} AMENDED on ${a.list}: ${a.entity.name} — ${describeFields(a.fields ?? [])}${a.record.url ? ` ${a.record.url}` : ''}`;
    case 'feed.item': {
      const i = a.item;
      const why = feedReasons(a);
      if (isCourtItem(a)) {
        const where = [i.court?.toUpperCase(), i.docket].filter(Boolean).join(' ');
        const entry = [
          i.entryTypes?.length ? `[${i.entryTypes.join('] [')}]` : '',
          i.documentNumber ? `doc ${i.documentNumber}` : '',
        ]
          .filter(Boolean)
          .join(' ');
        return `${when} COURT ${where ? `${where} ` : ''}${i.caseName ?? i.title}${entry ? ` — ${entry}` : ''}${why ? ` (${why})` : ''}${(i.documentUrl ?? i.link) ? ` ${i.documentUrl ?? i.link}` : ''}`;
      }
      const inspection = i.publicInspection
        ? `on public inspection${i.publicInspection.publishesOn ? `, publishes ${i.publicInspection.publishesOn}` : ''}`
        : '';
      const kind = [i.label, i.documentType, i.citation, inspection].filter(Boolean).join(', ');
      const quote = i.passages?.length ? ` — “${i.passages[0]}”` : '';
      return `${when} AGENCY ${a.sourceLabel}${kind ? ` (${kind})` : ''}: ${i.title}${why ? ` (${why})` : ''}${quote}${i.link ? ` ${i.link}` : ''}`;
    }
    case 'designation.changeset': {
      const examples = a.examples.map(describeExample).join('; ');
      return `${when} CHANGESET ${a.sourceLabel}: ${alertHeadline(a)} in one poll (${describeCounts(a.counts)})${examples ? `; e.g. ${examples}` : ''}. ${changesetNote(a)}${a.url ? ` ${a.url}` : ''}`;
    }
    case 'source.health':
      return `${when} SOURCE ${a.status.toUpperCase()} ${a.source}: ${a.reason}`;
    case 'changeset.file':
      return `${when} CHANGESET FILE ${a.sourceLabel}: ${a.filename}, ${a.rows} changes (${a.lists.join(', ')})`;
    case 'review.reminder': {
      const listed = a.alerts
        .map(
          (e) =>
            `#${e.id} ${e.headline}: ${e.subject} (${e.state}, since ${e.deliveredAt.slice(0, 16).replace('T', ' ')} UTC)`,
        )
        .join('; ');
      const more = a.open > a.alerts.length ? `; and ${a.open - a.alerts.length} more` : '';
      return `${when} REVIEW ${reminderSubject(a)}: ${listed}${more}. "sanctions-radar review --open" lists them.`;
    }
  }
}

/** The JSON-lines shape of the CLI contract (docs/commands.md): stable field names. */
export function alertJson(a: Alert): Record<string, unknown> {
  const base = {
    id: a.id,
    type: a.type,
    source: a.source,
    detectedAt: a.detectedAt,
    channels: a.channels,
  };
  switch (a.type) {
    case 'designation.added':
    case 'designation.removed':
    case 'designation.amended':
      return {
        ...base,
        list: a.list,
        entity: a.entity,
        ...(a.type === 'designation.amended'
          ? { fields: (a.fields ?? []).map((f) => f.field), changes: a.fields }
          : {}),
        listedOn: a.record.listedOn,
        identifiers: a.record.identifiers ?? [],
        effectiveOn: a.record.effectiveOn ?? null,
        divestBy: a.record.divestBy ?? null,
        linkedTo: a.record.linkedTo ?? [],
        binds: bindingDates(a.record),
        citation: a.record.citation,
        citationLinks: citationLinks(a.record.citation),
        url: a.record.url,
      };
    case 'feed.item':
      return { ...base, item: feedItemJson(a.item), mentions: a.mentions, because: a.because };
    case 'designation.changeset':
      return {
        ...base,
        url: a.url,
        counts: a.counts,
        lists: a.lists,
        examples: a.examples,
        changeIds: a.changeIds,
        limit: a.limit,
      };
    case 'source.health':
      return { ...base, status: a.status, reason: a.reason };
    case 'review.reminder':
      return { ...base, hours: a.hours, open: a.open, alerts: a.alerts };
    case 'changeset.file':
      return {
        ...base,
        changeIds: a.changeIds,
        lists: a.lists,
        rows: a.rows,
        filename: a.filename,
      };
  }
}

/** The `item` of a feed.item line: the same fields for every feed kind, null where not known. */
function feedItemJson(i: Extract<Alert, { type: 'feed.item' }>['item']): Record<string, unknown> {
  return {
    title: i.title,
    link: i.link,
    publishedAt: i.publishedAt,
    court: i.court ?? null,
    docket: i.docket ?? null,
    caseName: i.caseName ?? null,
    entryTypes: i.entryTypes ?? [],
    documentNumber: i.documentNumber ?? null,
    documentUrl: i.documentUrl ?? null,
    documentType: i.documentType ?? null,
    citation: i.citation ?? null,
    agencies: i.agencies ?? [],
    effectiveOn: i.effectiveOn ?? null,
    label: i.label ?? null,
    passages: i.passages ?? [],
    publicInspection: i.publicInspection ?? null,
  };
}
