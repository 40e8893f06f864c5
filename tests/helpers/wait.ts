// Waiting for what a server or another process does, by the condition, not by the clock: it
// returns the first truthy answer of `check` as soon as there is one, and throws after `timeoutMs`
// (a loaded machine may take seconds; a test that passes waits no longer than it must).
export async function waitFor<T>(
  check: () => T | undefined | false,
  timeoutMs = 15_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting`);
    await new Promise((r) => setTimeout(r, 10));
  }
}
