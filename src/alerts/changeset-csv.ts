// A changeset's whole change list as CSV (RFC 4180: quoted where needed, CRLF), for the chat
// platforms that take files. A cell that starts like a formula is prefixed with ' so that a
// spreadsheet shows it as text: list data is not ours to run. Pure.
import type { ChangesetRow } from '../../db/changeset-file.js';
import type { DesignationRecord, FieldChange } from '../domain.js';

export const CSV_COLUMNS = [
  'change',
  'list',
  'key',
  'name',
  'aliases',
  'programs',
  'listed on',
  'citation',
  'fields changed',
] as const;

function cell(v: string): string {
  const safe = /^[=+\-@\t\r]/.test(v) ? `'${v}` : v;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function changesetCsv(rows: readonly ChangesetRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) {
    const rec = r.record ? (JSON.parse(r.record) as Partial<DesignationRecord>) : {};
    const fields = r.fields ? (JSON.parse(r.fields) as FieldChange[]).map((f) => f.field) : [];
    lines.push(
      [
        r.type.slice('designation.'.length),
        r.list,
        r.key,
        rec.name ?? r.name,
        (rec.aliases ?? []).join('; '),
        (rec.programs ?? []).join('; '),
        rec.listedOn ?? '',
        rec.citation ?? '',
        fields.join('; '),
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
