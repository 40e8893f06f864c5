// A second writer on the database (as a CLI command beside the daemon is), from a thread: a small
// meta write in its own transaction, over and over, never waiting for the lock (timeout 0). It
// stops when told (workerData.stop, a shared flag), not by being terminated: a worker terminated
// while better-sqlite3 raises SQLITE_BUSY aborts the whole process (V8 "Empty MaybeLocal").
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';

const db = new Database(workerData.path, { timeout: 0 });
const write = db.prepare(
  "INSERT INTO meta (key, value) VALUES ('test_writer', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
);
const read = db.prepare('SELECT 1 FROM meta LIMIT 1');
const until = Date.now() + workerData.ms;
let writes = 0;
let busy = 0;
const stop = new Int32Array(workerData.stop);
while (Date.now() < until && Atomics.load(stop, 0) === 0) {
  try {
    db.exec('BEGIN');
    read.get();
    write.run(Date.now());
    db.exec('COMMIT');
    writes++;
  } catch {
    busy++;
    if (db.inTransaction) db.exec('ROLLBACK');
  }
}
db.close();
parentPort.postMessage({ writes, busy });
