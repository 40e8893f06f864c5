// What a changeset's file is made of: its history rows with each entry's record as of its change,
// and the message of the changeset it belongs under.
import { stmt, type Db } from './database.js';
import { RECORD_AS_OF } from './history-record.js';

export interface ChangesetRow {
  type: string;
  key: string;
  list: string;
  name: string;
  /** FieldChange JSON of an amendment. */
  fields: string | null;
  /** The record as of the change (JSON); null for an entity deleted since. */
  record: string | null;
}

/** A source's history rows from `first` to `last` of the lists named, in the order the poll wrote them. */
export function changesetRows(
  db: Db,
  sourceId: string,
  first: number,
  last: number,
  lists: readonly string[],
): ChangesetRow[] {
  return stmt(
    db,
    `SELECT c.type, c.key, c.list, c.name, c.fields, ${RECORD_AS_OF} AS record FROM changes c
     WHERE c.source_id = ? AND c.id BETWEEN ? AND ? AND c.list IN (SELECT value FROM json_each(?)) ORDER BY c.id`,
  ).all(sourceId, first, last, JSON.stringify(lists)) as ChangesetRow[];
}

/** The platform message of the changeset a file alert follows in a channel (enqueued just before it); null until it is sent. */
export function changesetMessage(db: Db, fileAlertId: number, channel: string): string | null {
  return (
    (stmt(
      db,
      `SELECT d.message_id FROM alerts a JOIN deliveries d ON d.alert_id = a.id AND d.channel = ?
     WHERE a.id < ? AND a.type = 'designation.changeset' ORDER BY a.id DESC LIMIT 1`,
    )
      .pluck()
      .get(channel, fileAlertId) as string | null | undefined) ?? null
  );
}
