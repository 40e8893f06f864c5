// Chat commands run one at a time, each in its own turn of the event loop: a request that arrives
// meanwhile (/healthz, a webhook, Slack's next envelope) is answered between two commands, not
// after all of them. A lookup is synchronous SQLite work of up to tens of milliseconds; six at
// once handled inside their requests held /healthz for their sum.

/** A queue: `run(work)` does the work after the earlier ones, in a later turn, and settles with it. */
export function commandQueue(): <T>(work: () => T | Promise<T>) => Promise<T> {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(work: () => T | Promise<T>): Promise<T> => {
    const done = tail.then(() => new Promise<void>((turn) => setImmediate(turn))).then(work);
    tail = done.catch(() => undefined);
    return done;
  };
}
