// In its own module so the command line can recognise it without loading SQLite.
import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
/** The database cannot be used as configured; the message says what to fix. */
export class DbOpenError extends Error {
  override name = 'DbOpenError';
}

/** Failures of the disk or the file under the database, by the code SQLite or the OS gives. */
const STORAGE: [RegExp, string][] = [
  [/^(SQLITE_FULL|ENOSPC|EDQUOT)$/, 'the disk is full: free space on the disk that holds it'],
  [
    /^(SQLITE_READONLY.*|EROFS)$/,
    'it has become read-only: make the file and its folder writable again',
  ],
  [
    /^(SQLITE_CORRUPT.*|SQLITE_NOTADB)$/,
    'it is damaged: stop sanctions-radar, move the file away and restore a backup (docs/operations.md: Backup and restore)',
  ],
  [
    /^(SQLITE_IOERR.*|EIO)$/,
    'the disk fails to read or write it: check the disk (dmesg), then restore a backup if needed',
  ],
  [
    /^SQLITE_CANTOPEN$/,
    'it cannot be opened any more: check that the file and its folder still exist and are writable',
  ],
];

/**
 * What to tell the operator when a storage error stops a write or a read: one line, with the
 * database path, what is wrong and what to do. null for any other error.
 */
export function storageProblem(err: unknown, dbPath: string): string | null {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return null;
  // SQLite reports a disk that filled while it made its log or shared-memory file as an I/O error.
  const full = /^SQLITE_IOERR/.test(code) && diskIsFull(dbPath);
  const hit = full ? STORAGE[0] : STORAGE.find(([re]) => re.test(code));
  return hit ? `the database ${dbPath} cannot be written: ${hit[1]} (${code})` : null;
}

function diskIsFull(dbPath: string): boolean {
  try {
    const fs = statfsSync(dirname(dbPath));
    return fs.bavail * fs.bsize < 1024 * 1024;
  } catch {
    return false;
  }
}
