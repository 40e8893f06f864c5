// Copies the write-ahead log back into the database file on a thread of its own. SQLite does it
// itself at the end of a commit once the log passes 1,000 pages, so a poll that writes a large
// diff (24 MB of log for the three-year SDN catch-up) also paid for copying it back and syncing
// the file, on the event loop, before a single alert could go out. SQLite's own advice for such
// writers is to turn that off and checkpoint from another thread (https://sqlite.org/wal.html,
// "Application-initiated checkpoints"), which is what the daemon does. One-shot CLI calls need no
// thread: they close the file at exit, which checkpoints anyway (`poll` turns the automatic
// checkpoint off until then, so its alerts go out first).
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Db } from './database.js';

/** SQLite's default automatic checkpoint threshold, put back when the thread is gone. */
const AUTO_CHECKPOINT_PAGES = 1000;

export interface CheckpointResult {
  /** Frames in the log, and how many of them are now in the database file. */
  log: number;
  checkpointed: number;
  /** The checkpoint could not finish: a writer held the file (it runs again on the next beat). */
  busy: boolean;
  /** Frames this checkpoint copied itself. */
  copied: number;
  ms: number;
}

export interface CheckpointerOptions {
  /** How often the thread looks at the log; a look at a log with nothing new costs microseconds. */
  intervalMs?: number;
  /**
   * How large the log may grow before the thread copies it back: SQLite's own 1,000 pages by
   * default. Copying back every small commit would cost more than it saves: the next write after a
   * complete checkpoint starts the log over and syncs its header (1–20 ms on this machine's disk),
   * which the lease of every poll would pay.
   */
  thresholdBytes?: number;
  onError?: (err: Error) => void;
  /** Told of every checkpoint that copied something or was kept from finishing (metrics). */
  onCheckpoint?: (r: CheckpointResult) => void;
}

// CommonJS, run with `eval`, so it works the same from the compiled build and under tsx in tests;
// better-sqlite3 is resolved here and handed over by path.
const WORKER = `
const { closeSync, openSync, readSync, statSync } = require('node:fs');
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
let db;
try {
  db = new Database(workerData.path, { fileMustExist: true, timeout: 0 });
} catch (err) {
  // better-sqlite3's own error class crosses the thread boundary without its message.
  throw new Error('cannot open ' + workerData.path + ': ' + (err && err.message || err));
}
// As the writer does: a checkpoint still syncs the file, a commit of this thread's own does not.
db.pragma('synchronous = NORMAL');
db.pragma('journal_size_limit = ' + workerData.thresholdBytes);
// Passive: copies what it can without waiting for, or holding up, the writer and the readers.
const checkpoint = () => {
  const t = performance.now();
  const [r] = db.pragma('wal_checkpoint(PASSIVE)');
  return { log: r.log, checkpointed: r.checkpointed, busy: r.busy === 1, ms: performance.now() - t };
};
// Once the log is all copied back, the next write starts it over and first syncs its new header
// (SQLite must: https://sqlite.org/src/info/ff5be73dee), 1-20 ms on this machine's disk. This
// thread makes that write itself, a timestamp in meta, so the one that pays is not the writer on
// the event loop: not a poll's lease, nor a delivery. Never waits: if the writer holds the file,
// it starts the log over itself, as before.
const startOver = db.prepare("INSERT INTO meta (key, value) VALUES ('log_started_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
// Another writer may come between the checkpoint and this write: then the write is appended to
// its frames and starts nothing, which the log's header tells (a log started over has a new
// checkpoint sequence and salts, bytes 12-23). A log with no header yet is taken as started by
// this write; if a writer came first there, the count below is off and only the metrics show it.
const wal = workerData.path + '-wal';
const header = () => {
  let fd;
  try {
    fd = openSync(wal, 'r');
    const b = Buffer.alloc(12);
    return readSync(fd, b, 0, 12, 12) === 12 ? b : null;
  } catch {
    return null;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
};
// A snapshot from before the write, held while its frames are counted: a checkpoint can copy none
// of them then, and says how many there are.
const reader = new Database(workerData.path, { fileMustExist: true, timeout: 0 });
const snapshot = reader.prepare('SELECT 1 FROM meta LIMIT 1');
/** Frames of the new log if this write started it, else -1. */
const writeFirst = () => {
  const before = header();
  reader.exec('BEGIN');
  try {
    snapshot.get();
    startOver.run(Date.now());
    const after = header();
    return before && after && before.equals(after) ? -1 : checkpoint().log;
  } finally {
    reader.exec('COMMIT');
  }
};
// Frames of the log already copied, to tell what a checkpoint copied itself: the log starts over
// after a complete checkpoint, so a shorter log is a new one (one started over and grown past the
// old length reads as the old one, and the count for that checkpoint comes out low: metrics only).
// The frames of this thread's own write count as copied: they need nobody's wait.
let last = { log: 0, checkpointed: 0 };
const copy = () => {
  const r = checkpoint();
  const copied = r.log >= last.log ? r.checkpointed - last.checkpointed : r.checkpointed;
  last = r;
  if (!r.busy && r.log >= 0 && r.log === r.checkpointed) {
    try {
      const own = writeFirst();
      if (own >= 0) last = { log: own, checkpointed: own };
    } catch (err) {
      if (!err || err.code !== 'SQLITE_BUSY') throw err;
    }
  }
  return { ...r, copied };
};
// The writer cuts the log back to the threshold when it starts it over (journal_size_limit), so a
// file past the threshold holds at least that much written since.
const beat = () => {
  try {
    if ((statSync(wal, { throwIfNoEntry: false })?.size ?? 0) <= workerData.thresholdBytes) return;
    const r = copy();
    if (r.copied > 0 || r.busy) parentPort.postMessage({ beat: r });
  } catch (err) {
    parentPort.postMessage({ error: String(err && err.message || err) });
  }
};
const timer = setInterval(beat, workerData.intervalMs);
parentPort.on('message', (m) => {
  try {
    if (m.type === 'stop') { clearInterval(timer); reader.close(); db.close(); parentPort.postMessage({ id: m.id, stopped: true }); parentPort.close(); return; }
    parentPort.postMessage({ id: m.id, result: copy() });
  } catch (err) {
    parentPort.postMessage({ id: m.id, error: String(err && err.message || err) });
  }
});
`;

export class Checkpointer {
  private readonly worker: Worker;
  private readonly waiting = new Map<
    number,
    { resolve: (v: CheckpointResult | null) => void; reject: (e: Error) => void }
  >();
  private next = 1;
  private stopped = false;
  private stopping = false;
  private readonly sizeLimit: number;

  /** Turns off the connection's automatic checkpoint and starts the thread that does it instead. */
  constructor(
    private readonly db: Db,
    options: CheckpointerOptions = {},
  ) {
    if (db.memory) throw new Error('an in-memory database has no log to checkpoint');
    const pageSize = db.pragma('page_size', { simple: true }) as number;
    // A log frame is a page and its 24-byte header.
    const thresholdBytes = options.thresholdBytes ?? AUTO_CHECKPOINT_PAGES * (pageSize + 24);
    this.worker = new Worker(WORKER, {
      eval: true,
      workerData: {
        module: createRequire(import.meta.url).resolve('better-sqlite3'),
        path: db.name,
        intervalMs: options.intervalMs ?? 1_000,
        thresholdBytes,
      },
    });
    // The thread must not keep a finished process alive; the daemon stops it on its way out.
    this.worker.unref();
    db.pragma('wal_autocheckpoint = 0');
    this.sizeLimit = db.pragma('journal_size_limit', { simple: true }) as number;
    db.pragma(`journal_size_limit = ${thresholdBytes}`);
    this.worker.on(
      'message',
      (m: {
        id?: number;
        result?: CheckpointResult;
        beat?: CheckpointResult;
        error?: string;
        stopped?: boolean;
      }) => {
        if (m.beat) return options.onCheckpoint?.(m.beat);
        if (m.result && (m.result.copied > 0 || m.result.busy)) options.onCheckpoint?.(m.result);
        const w = m.id === undefined ? undefined : this.waiting.get(m.id);
        if (m.error !== undefined) {
          const err = new Error(`checkpoint failed: ${m.error}`);
          if (w) w.reject(err);
          else options.onError?.(err);
        } else w?.resolve(m.result ?? null);
        if (m.id !== undefined) this.waiting.delete(m.id);
      },
    );
    const gone = (err: Error) => {
      // Without the thread nobody would ever copy the log back: SQLite takes over again.
      this.restore();
      for (const w of this.waiting.values()) w.reject(err);
      this.waiting.clear();
      if (!this.stopped && !this.stopping) options.onError?.(err);
      this.stopped = true;
    };
    this.worker.on('error', (err) =>
      gone(
        err instanceof Error && err.message
          ? err
          : new Error(`the checkpoint thread failed: ${JSON.stringify(err)}`),
      ),
    );
    this.worker.on('exit', (code) => gone(new Error(`the checkpoint thread exited (${code})`)));
  }

  /**
   * Checkpoints now (a passive checkpoint: it never waits for, nor blocks, the writer), and starts
   * the log over if it is all copied (a write that the writer may wait for, as long as the header
   * sync it would otherwise have made itself).
   */
  checkpoint(): Promise<CheckpointResult> {
    return this.ask('checkpoint') as Promise<CheckpointResult>;
  }

  /** Stops the thread; the connection checkpoints by itself again (and at close, as always). */
  async stop(): Promise<void> {
    if (this.stopped || this.stopping) return;
    this.stopping = true;
    await this.ask('stop').catch(() => undefined);
    this.stopped = true;
    this.restore();
  }

  private restore(): void {
    if (!this.db.open) return;
    this.db.pragma(`wal_autocheckpoint = ${AUTO_CHECKPOINT_PAGES}`);
    this.db.pragma(`journal_size_limit = ${this.sizeLimit}`);
  }

  private ask(type: string): Promise<CheckpointResult | null> {
    if (this.stopped) return Promise.reject(new Error('the checkpoint thread has stopped'));
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      this.worker.postMessage({ type, id });
    });
  }
}
