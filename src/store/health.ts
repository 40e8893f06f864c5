// Whether the database can still be written, as the daemon last found it: a full disk, a damaged
// or read-only file. /healthz says so (the sources' own rows cannot: writing them is what fails),
// and the log says it once per kind of failure, with what to do, not a stack per poll.
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { storageProblem } from '../../db/errors.js';
import type { Logger } from '../log.js';

/** Below this much free space on the database's disk, health warns before writes fail. */
const LOW_DISK_BYTES = 64 * 1024 * 1024;

export class StorageHealth {
  private failure: { reason: string; since: string } | null = null;

  constructor(
    private dbPath: string,
    private log: Logger,
  ) {}

  /** Takes an error: true (and recorded, logged once) if it is a storage failure. */
  note(err: unknown, during: string): boolean {
    const reason = storageProblem(err, this.dbPath);
    if (!reason) return false;
    if (this.failure?.reason !== reason) {
      this.log.error({ during, code: (err as { code?: string }).code }, reason);
      this.failure = { reason, since: new Date().toISOString() };
    }
    return true;
  }

  /** A write went through: the disk takes writes again. */
  wrote(): void {
    if (!this.failure) return;
    this.log.info({ since: this.failure.since }, 'the database takes writes again');
    this.failure = null;
  }

  /** What health reports: the last failure, else a disk about to fill; null when neither. */
  problem(): string | null {
    if (this.failure) return this.failure.reason;
    if (this.dbPath === ':memory:') return null;
    try {
      const fs = statfsSync(dirname(this.dbPath));
      const free = fs.bavail * fs.bsize;
      if (free < LOW_DISK_BYTES)
        return `the disk that holds the database ${this.dbPath} has ${Math.floor(free / 1024 / 1024)} MB free: free space before writes fail`;
    } catch {
      // No statfs here: nothing to say before a write fails.
    }
    return null;
  }
}
