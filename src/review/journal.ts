// The decision journal: a click is acknowledged at once (the platforms wait 3 seconds), then
// written. Between the two, a crash, or a database a poll holds locked for longer than SQLite
// waits, would lose it; so each decision is first appended to a file beside the database, synced,
// and what a run left there is recorded by the next (decisions record once per request key, so a
// decision both recorded and journaled is not recorded twice).
import {
  closeSync,
  existsSync,
  fsyncSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from 'node:fs';
import type { DecisionInput } from './review.js';

export interface JournalEntry {
  input: DecisionInput;
  /** When it was made: the decision's time, whenever it is recorded. */
  at: string;
}

export class DecisionJournal {
  constructor(readonly path: string) {}

  append(entry: JournalEntry): void {
    this.write(JSON.stringify(entry), true);
  }

  /**
   * The click was recorded, or refused: it is not to be taken up again (a refused one could
   * otherwise be recorded later, once things changed). Not synced: the process dying is what the
   * journal guards against, and the operating system keeps what was written for the file.
   */
  handled(requestKey: string): void {
    this.write(JSON.stringify({ handled: requestKey }), false);
  }

  private write(line: string, sync: boolean): void {
    const fd = openSync(this.path, 'a', 0o600);
    try {
      // On a line of its own even after a line a crash cut short.
      writeSync(fd, `\n${line}\n`);
      if (sync) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }

  /**
   * Takes what the journal holds: moved aside first, so a click arriving meanwhile starts a new
   * file and is not dropped with the old. `done` deletes it once its entries are recorded.
   */
  take(): { entries: JournalEntry[]; done: () => void } {
    const aside = `${this.path}.taken`;
    const moving = `${this.path}.moving`;
    // A take cut short by a crash left its files: they are read first, the journal next time.
    if (!existsSync(moving) && existsSync(this.path)) renameSync(this.path, moving);
    const text = [aside, moving]
      .filter((f) => existsSync(f))
      .map((f) => readFileSync(f, 'utf8'))
      .join('');
    const taken: JournalEntry[] = [];
    const handled = new Set<string>();
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      try {
        const e = JSON.parse(line) as JournalEntry | { handled: string };
        if ('handled' in e) handled.add(e.handled);
        else taken.push(e);
      } catch {
        // A line cut short by a crash mid-write: its click was never answered as recorded.
      }
    }
    const entries = taken.filter((e) => !handled.has(e.input.requestKey));
    if (entries.length) {
      const fd = openSync(aside, 'w', 0o600);
      writeSync(fd, entries.map((e) => `${JSON.stringify(e)}\n`).join(''));
      fsyncSync(fd);
      closeSync(fd);
    }
    // Only once they are safe in the file aside.
    rmSync(moving, { force: true });
    if (!entries.length) rmSync(aside, { force: true });
    return { entries, done: () => rmSync(aside, { force: true }) };
  }
}
