// Evidence of what a poll read (migration 025): a row per file, its bytes gzipped once per content.
import { gunzipSync, gzipSync, constants } from 'node:zlib';
import { stmt, type Db } from './database.js';

export interface EvidenceFile {
  /** Which file of the source ("main", "alt", "document:<url>"). */
  name: string;
  url: string;
  etag: string | null;
  lastModified: string | null;
  sha256: string;
  /** Read when the poll is kept as evidence (a body is joined from its chunks only then). */
  body: () => Uint8Array;
}

export interface EvidenceRow {
  id: number;
  sourceId: string;
  pollAt: string;
  name: string;
  url: string;
  etag: string | null;
  lastModified: string | null;
  size: number;
  sha256: string;
}

const COLUMNS =
  'id, source_id AS sourceId, poll_at AS pollAt, name, url, etag, last_modified AS lastModified, size, sha256';

/**
 * Keeps what a poll read. Inside the poll's commit: the evidence is there exactly when its
 * changes are. Compressed at the fastest level (a full SDN file in ~30 ms, to ~20% of its size).
 */
export function keepEvidence(
  db: Db,
  sourceId: string,
  pollAt: string,
  files: readonly EvidenceFile[],
): void {
  const known = stmt(db, 'SELECT gzip IS NOT NULL FROM evidence_bodies WHERE sha256 = ?').pluck();
  for (const f of files) {
    const body = f.body();
    if (known.get(f.sha256) !== 1) {
      stmt(
        db,
        'INSERT INTO evidence_bodies (sha256, size, gzip) VALUES (?, ?, ?) ON CONFLICT (sha256) DO UPDATE SET gzip = excluded.gzip',
      ).run(f.sha256, body.byteLength, gzipSync(body, { level: constants.Z_BEST_SPEED }));
    }
    stmt(
      db,
      'INSERT OR IGNORE INTO evidence (source_id, poll_at, name, url, etag, last_modified, size, sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    ).run(sourceId, pollAt, f.name, f.url, f.etag, f.lastModified, body.byteLength, f.sha256);
  }
}

/** The files the poll behind an alert read, main file first. */
export function evidenceOfAlert(db: Db, alertId: number): EvidenceRow[] {
  return stmt(
    db,
    `SELECT ${COLUMNS} FROM evidence WHERE (source_id, poll_at) = (SELECT source_id, detected_at FROM alerts WHERE id = ?) ORDER BY name <> 'main', name`,
  ).all(alertId) as EvidenceRow[];
}

/** The bytes of a file as fetched, or null when they are no longer kept. */
export function evidenceBytes(db: Db, sha256: string): Uint8Array | null {
  const gz = stmt(db, 'SELECT gzip FROM evidence_bodies WHERE sha256 = ?').pluck().get(sha256) as
    Uint8Array | null | undefined;
  return gz ? new Uint8Array(gunzipSync(gz)) : null;
}

/** Drops the bytes no poll since `cutoff` read (their rows and hashes stay); how many. */
export function pruneEvidence(db: Db, cutoff: string): number {
  return stmt(
    db,
    `UPDATE evidence_bodies SET gzip = NULL WHERE gzip IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM evidence e WHERE e.sha256 = evidence_bodies.sha256 AND e.poll_at >= ?)`,
  ).run(cutoff).changes;
}
