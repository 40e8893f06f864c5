// Poll state of each source: status, validators, content hash, held snapshot.
import { stmt, type Db } from './database.js';

export type SourceStatus = 'new' | 'ok' | 'failing' | 'held';

export interface SourceState {
  id: string;
  kind: string;
  label: string | null;
  status: SourceStatus;
  lastPollAt: string | null;
  lastSuccessAt: string | null;
  lastChangeAt: string | null;
  baselineAt: string | null;
  lastError: string | null;
  recordCount: number;
  contentHash: string | null;
  heldHash: string | null;
  heldCount: number;
  heldReason: string | null;
  acceptedHash: string | null;
  /** JSON array: keys of the last rows of the last good list snapshot, in file order. */
  tailKeys: string | null;
  /** The publisher's newest publication when the list was last read (migration 018). */
  publicationKey: string | null;
}

export interface Validators {
  etag: string | null;
  lastModified: string | null;
}

const COLUMNS = `id, kind, label, status, last_poll_at AS lastPollAt, last_success_at AS lastSuccessAt,
  last_change_at AS lastChangeAt, baseline_at AS baselineAt, last_error AS lastError, record_count AS recordCount,
  content_hash AS contentHash, held_hash AS heldHash, held_count AS heldCount, held_reason AS heldReason,
  accepted_hash AS acceptedHash, tail_keys AS tailKeys, publication_key AS publicationKey`;

export function ensureSource(db: Db, id: string, kind: string, label: string | null): SourceState {
  // Writes only what is new: every poll calls this, and an unchanged row rewritten is a commit.
  stmt(
    db,
    `INSERT INTO sources (id, kind, label) VALUES (?, ?, ?)
     ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, label = excluded.label
     WHERE kind IS NOT excluded.kind OR label IS NOT excluded.label`,
  ).run(id, kind, label);
  return getSource(db, id)!;
}

export function getSource(db: Db, id: string): SourceState | undefined {
  return stmt(db, `SELECT ${COLUMNS} FROM sources WHERE id = ?`).get(id) as SourceState | undefined;
}

export function listSources(db: Db): SourceState[] {
  return stmt(db, `SELECT ${COLUMNS} FROM sources ORDER BY id`).all() as SourceState[];
}

const UPDATABLE: Record<string, string> = {
  status: 'status',
  lastPollAt: 'last_poll_at',
  lastSuccessAt: 'last_success_at',
  lastChangeAt: 'last_change_at',
  baselineAt: 'baseline_at',
  lastError: 'last_error',
  recordCount: 'record_count',
  contentHash: 'content_hash',
  heldHash: 'held_hash',
  heldCount: 'held_count',
  heldReason: 'held_reason',
  acceptedHash: 'accepted_hash',
  tailKeys: 'tail_keys',
  publicationKey: 'publication_key',
};

export function updateSource(
  db: Db,
  id: string,
  patch: Partial<Omit<SourceState, 'id' | 'kind' | 'label'>>,
): void {
  const entries = Object.entries(patch).filter(([k]) => k in UPDATABLE);
  if (entries.length === 0) return;
  const sets = entries.map(([k]) => `${UPDATABLE[k]} = @${k}`).join(', ');
  stmt(db, `UPDATE sources SET ${sets} WHERE id = @id`).run({ ...Object.fromEntries(entries), id });
}

export function getValidators(db: Db, sourceId: string, url: string): Validators {
  const row = stmt(
    db,
    'SELECT etag, last_modified AS lastModified FROM source_validators WHERE source_id = ? AND url = ?',
  ).get(sourceId, url) as Validators | undefined;
  return row ?? { etag: null, lastModified: null };
}

export function setValidators(db: Db, sourceId: string, url: string, v: Validators): void {
  stmt(
    db,
    `INSERT INTO source_validators (source_id, url, etag, last_modified) VALUES (?, ?, ?, ?)
     ON CONFLICT (source_id, url) DO UPDATE SET etag = excluded.etag, last_modified = excluded.last_modified`,
  ).run(sourceId, url, v.etag, v.lastModified);
}

/** The ETag a source's main file was last served with (for `sources` output). */
export function sourceEtag(db: Db, sourceId: string): string | null {
  const v = stmt(
    db,
    'SELECT etag FROM source_validators WHERE source_id = ? AND etag IS NOT NULL ORDER BY rowid LIMIT 1',
  )
    .pluck()
    .get(sourceId);
  return (v as string | undefined) ?? null;
}

/**
 * Takes the right to poll a source for a while; false when another process holds it (the
 * daemon's schedule and a cron `poll` of the same source).
 */
export function pollClaimer(db: Db, id: string, now: string): string | null {
  return (
    (stmt(db, 'SELECT poll_claimed_by FROM sources WHERE id = ? AND poll_lease_until > ?')
      .pluck()
      .get(id, now) as string | null | undefined) ?? null
  );
}

export function claimPoll(
  db: Db,
  id: string,
  claimer: string,
  now: string,
  leaseUntil: string,
): boolean {
  return (
    stmt(
      db,
      'UPDATE sources SET poll_claimed_by = ?, poll_lease_until = ? WHERE id = ? AND (poll_lease_until IS NULL OR poll_lease_until <= ? OR poll_claimed_by = ?)',
    ).run(claimer, leaseUntil, id, now, claimer).changes > 0
  );
}

export function releasePoll(db: Db, id: string, claimer: string | null): void {
  stmt(
    db,
    'UPDATE sources SET poll_claimed_by = NULL, poll_lease_until = NULL WHERE id = ? AND poll_claimed_by IS ?',
  ).run(id, claimer);
}
