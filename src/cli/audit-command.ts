// `sanctions-radar audit --from D --to D [--channel C] [--format csv|json]`: one row per alert per
// channel, with what changed, the source document and its sha256, when it was detected and
// delivered, and every decision on it. The same range gives the same bytes (nothing of the moment
// of the export is in it). `sanctions-radar evidence ALERT_ID --out FILE`: the file the alert's poll
// read, exactly as fetched, its hash checked.
import { writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { decisionsOn } from '../../db/decisions.js';
import { evidenceBytes, evidenceOfAlert } from '../../db/evidence.js';
import { auditDeliveries, type AuditDelivery } from '../../db/delivered.js';
import { alertHeadline, alertSubject } from '../alerts/category.js';
import { describeFieldChange } from '../alerts/format-text.js';
import type { Settings } from '../config/settings.js';
import type { Alert } from '../domain.js';
import { openStore } from '../store/open.js';
import { existingDatabase, UsageError, type CliIo } from './io.js';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

export const AUDIT_COLUMNS = [
  'alert_id',
  'detected_at',
  'source',
  'change',
  'list',
  'key',
  'name',
  'aliases',
  'programs',
  'listed_on',
  'citation',
  'fields_changed',
  'document_url',
  'document_sha256',
  'channel',
  'delivery',
  'delivered_at',
  'message_id',
  'routed_because',
  'decisions',
] as const;

type Row = Record<(typeof AUDIT_COLUMNS)[number], string>;

function change(a: Alert): string {
  if (a.type === 'designation.added') return 'added';
  if (a.type === 'designation.removed') return 'removed';
  if (a.type === 'designation.amended') return 'amended';
  if (a.type === 'designation.changeset') return 'changeset';
  if (a.type === 'feed.item') return 'document';
  return a.type;
}

export async function auditCommand(
  io: CliIo,
  settings: Settings,
  o: { from?: string; to?: string; channel?: string; format?: string },
): Promise<number> {
  if (!o.from || !o.to || !DAY.test(o.from) || !DAY.test(o.to))
    throw new UsageError('audit needs --from YYYY-MM-DD and --to YYYY-MM-DD (both days included)');
  if (o.from > o.to) throw new UsageError(`--from ${o.from} is after --to ${o.to}`);
  const format = o.format ?? 'csv';
  if (format !== 'csv' && format !== 'json')
    throw new UsageError(`--format ${format}: csv or json`);
  const end = new Date(Date.parse(`${o.to}T00:00:00Z`) + 86_400_000).toISOString();
  const { db } = openStore(existingDatabase(settings.dbPath));
  try {
    // A poll's alerts share its evidence: read once per poll.
    const evidence = new Map<string, ReturnType<typeof evidenceOfAlert>>();
    const row = (d: AuditDelivery): Row => {
      const a = d.alert;
      const record = 'record' in a ? a.record : null;
      const poll = `${a.source} ${a.detectedAt}`;
      const files = evidence.get(poll) ?? evidenceOfAlert(db, a.id);
      evidence.set(poll, files);
      const main = files[0];
      const document =
        a.type === 'feed.item'
          ? (a.item.documentUrl ?? a.item.link)
          : (record?.url ?? main?.url ?? '');
      const decisions = decisionsOn(db, a.id, d.channel).map((x) =>
        [x.decidedAt, x.action, x.userName ?? x.userId, x.reason, x.note].filter(Boolean).join(' '),
      );
      return {
        alert_id: String(a.id),
        detected_at: a.detectedAt,
        source: a.source,
        change: change(a),
        list: 'list' in a && typeof a.list === 'string' ? a.list : (record?.list ?? ''),
        key: record?.key ?? (a.type === 'feed.item' ? a.item.guid : ''),
        name: record?.name ?? `${alertHeadline(a)}: ${alertSubject(a)}`,
        aliases: record?.aliases.join('; ') ?? '',
        programs: record?.programs.join('; ') ?? '',
        listed_on: record?.listedOn ?? '',
        citation: record?.citation ?? (a.type === 'feed.item' ? (a.item.citation ?? '') : ''),
        fields_changed:
          a.type === 'designation.amended'
            ? (a.fields ?? []).map(describeFieldChange).join('; ')
            : '',
        document_url: document ?? '',
        document_sha256: files
          .map((f) => `${f.name === 'main' ? '' : `${f.name}=`}${f.sha256}`)
          .join('; '),
        channel: d.channel,
        delivery: d.status,
        delivered_at: d.sentAt ?? '',
        message_id: d.messageId ?? '',
        routed_because: d.reason ?? '',
        decisions: decisions.join(' | '),
      };
    };
    // Each row written as it is read, and the reader let catch up: a year is hundreds of megabytes.
    if (format === 'csv') io.out(AUDIT_COLUMNS.join(','));
    let written = 0;
    for (const d of auditDeliveries(db, `${o.from}T00:00:00.000Z`, end, o.channel ?? null)) {
      if (++written % 1000 === 0) await io.drained();
      const r = row(d);
      io.out(
        format === 'json' ? JSON.stringify(r) : AUDIT_COLUMNS.map((c) => csvField(r[c])).join(','),
      );
    }
    return 0;
  } finally {
    db.close();
  }
}

/** RFC 4180, and a cell a spreadsheet would run as a formula is quoted text. */
function csvField(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function evidenceCommand(
  io: CliIo,
  settings: Settings,
  alert: string,
  out: string | undefined,
): number {
  const alertId = Number(alert.replace(/^#/, ''));
  if (!Number.isSafeInteger(alertId) || alertId <= 0)
    throw new UsageError(`"${alert}" is not an alert id`);
  if (!out)
    throw new UsageError(
      'evidence ALERT_ID needs --out FILE: where to write the file as it was fetched',
    );
  const { db } = openStore(existingDatabase(settings.dbPath));
  try {
    const files = evidenceOfAlert(db, alertId);
    if (files.length === 0) {
      io.err(
        `sanctions-radar: no evidence for alert #${alertId}: it is not kept (no such alert, a health alert, or from before evidence was kept)`,
      );
      return 1;
    }
    let code = 0;
    for (const [i, f] of files.entries()) {
      const path = i === 0 ? out : `${out}.${f.name.replace(/[^\w.-]+/g, '_')}`;
      const bytes = evidenceBytes(db, f.sha256);
      if (!bytes) {
        io.err(
          `sanctions-radar: ${f.url} as read ${f.pollAt}: the bytes are no longer kept (SANCTIONS_RADAR_EVIDENCE_DAYS); its sha256 was ${f.sha256}`,
        );
        code = 1;
        continue;
      }
      const sha = createHash('sha256').update(bytes).digest('hex');
      if (sha !== f.sha256) {
        io.err(
          `sanctions-radar: ${f.url}: the kept bytes hash to ${sha}, not ${f.sha256} as fetched; not written`,
        );
        code = 1;
        continue;
      }
      writeFileSync(path, bytes);
      io.out(
        `${path}\t${f.url}\tread ${f.pollAt}\t${bytes.byteLength} bytes\tsha256 ${sha} (verified)${f.etag ? `\tETag ${f.etag}` : ''}${f.lastModified ? `\tLast-Modified ${f.lastModified}` : ''}`,
      );
    }
    return code;
  } finally {
    db.close();
  }
}
