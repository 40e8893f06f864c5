/* global performance */
// A write beside a poll, as a `subscribe` in another process makes one: how long it waits for the
// poll's write lock. It tries BEGIN IMMEDIATE each millisecond without SQLite's busy wait (which
// sleeps in steps of up to 100 ms and would blur the figure); the longest run of refusals is the
// longest wait. Runs until the file STOP exists, then prints {"longestMs": n, "tries": n}.
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';

const [path, stop] = process.argv.slice(2);
const db = new Database(path);
db.pragma('busy_timeout = 0');
const pause = new Int32Array(new SharedArrayBuffer(4));
let longest = 0;
let tries = 0;
/** When the refusals now running began. */
let refusedSince = null;
process.stdout.write('ready\n');
for (;;) {
  const done = existsSync(stop);
  const t = performance.now();
  tries++;
  try {
    db.exec('BEGIN IMMEDIATE');
    db.exec('ROLLBACK');
    if (refusedSince !== null) longest = Math.max(longest, t - refusedSince);
    refusedSince = null;
  } catch (err) {
    if (err.code !== 'SQLITE_BUSY') throw err;
    refusedSince ??= t;
  }
  if (done) break;
  Atomics.wait(pause, 0, 0, 1);
}
if (refusedSince !== null) longest = Math.max(longest, performance.now() - refusedSince);
db.close();
process.stdout.write(`${JSON.stringify({ longestMs: longest, tries })}\n`);
