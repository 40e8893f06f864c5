// Long synchronous work (a report over 50,000 holdings) written as a generator: the command line
// runs it at once, the daemon with a turn of the event loop between steps, so /healthz, Slack's
// acknowledgements and the other commands are answered meanwhile.

/** Work in steps: each `yield` is a point where the daemon may answer other requests first. */
export type Steps<T> = Generator<void, T, void>;

/** Runs the steps at once (the command line, tests). */
export function drain<T>(steps: Steps<T>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Runs the steps with a turn of the event loop between two. */
export async function paced<T>(steps: Steps<T>): Promise<T> {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
