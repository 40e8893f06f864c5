// Stored state built in memory, for tests and the bench (the program reads it from SQLite).
import type { Db } from '../../db/database.js';
import { drain } from '../../src/commands/steps.js';
import type { DesignationRecord } from '../../src/domain.js';
import type { MentionName } from '../../src/feeds/mentions.js';
import { entityNames } from '../../src/names/entity-names.js';
import type { StoredList } from '../../src/poll/diff.js';
import { reminderSteps, type ReminderOptions } from '../../src/review/reminders.js';

/** Records as a list's stored state, to diff a snapshot against. */
export function storedRecords(records: DesignationRecord[], prints?: number[]): StoredList {
  const json = new Map(records.map((r) => [r.key, JSON.stringify(r)]));
  return {
    prints: new Map(records.map((r, i) => [r.key, prints?.[i] ?? null])),
    json: (keys) => new Map(keys.map((k) => [k, json.get(k)!])),
  };
}

/** The names of listings as the mention index takes them. */
export function listingMentionNames(records: Iterable<DesignationRecord>): MentionName[] {
  const out: MentionName[] = [];
  for (const r of records)
    for (const n of entityNames(r, false))
      out.push({ normalized: n.normalized, mention: { name: r.name, key: r.key, list: r.list } });
  return out;
}

/** Every current listing's record. */
export function currentRecords(db: Db): DesignationRecord[] {
  return (
    db.prepare('SELECT record FROM designations WHERE removed_at IS NULL').pluck().all() as string[]
  ).map((r) => JSON.parse(r) as DesignationRecord);
}

/** The reminders due, found and queued at once (the daemon takes them in steps). */
export function queueReminders(db: Db, o: ReminderOptions) {
  return drain(reminderSteps(db, o));
}
