// Who holds a lease ("host:pid:random"), and whether that holder is gone. A process killed while
// it held rows (a cron `poll` hit by SIGKILL) would otherwise block them until the lease ran out;
// on the same host a dead pid is proof enough to take them over at once.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

export function newClaimer(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, it is only not ours to signal.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** True when the claimer ran on this host and its process no longer exists. */
export function claimerIsDead(claimer: string): boolean {
  const [host, pid] = claimer.split(':');
  const n = Number(pid);
  return host === hostname() && Number.isInteger(n) && n > 0 && n !== process.pid && !alive(n);
}
