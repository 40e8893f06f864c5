// When the daemon dispatches: on its beat, after each poll, and at the moment a deferred delivery
// falls due (a rate limit's Retry-After, a backoff), not at the next beat. A channel Slack limits to
// a message a second answered one message per 5-second beat (0.2 messages/s) when a 429's
// Retry-After: 1 waited for the beat.
import type { DispatchReport } from './dispatcher.js';

export interface DispatchLoopOptions {
  /** The beat: every this many ms whatever happened (claims of other processes, paused channels). */
  beatMs: number;
  now?: () => number;
}

export class DispatchLoop {
  private beat: NodeJS.Timeout | null = null;
  private wake: { at: number; timer: NodeJS.Timeout } | null = null;
  private stopped = false;

  constructor(
    private dispatch: () => Promise<DispatchReport | undefined>,
    private opts: DispatchLoopOptions,
  ) {}

  start(): void {
    this.beat = setInterval(() => void this.run(), this.opts.beatMs);
  }

  /** Dispatches now, then wakes again when the report says something falls due before the beat. */
  async run(): Promise<DispatchReport | undefined> {
    const report = await this.dispatch();
    if (!report || this.stopped) return report;
    if (report.more) this.at(this.now());
    else if (report.nextDueAt) this.at(Date.parse(report.nextDueAt));
    return report;
  }

  stop(): void {
    this.stopped = true;
    if (this.beat) clearInterval(this.beat);
    if (this.wake) clearTimeout(this.wake.timer);
    this.beat = null;
    this.wake = null;
  }

  private now(): number {
    return this.opts.now?.() ?? Date.now();
  }

  /** One wake-up, the earliest asked for; later than the next beat is the beat's business. */
  private at(when: number): void {
    const wait = Math.max(0, when - this.now());
    if (wait >= this.opts.beatMs) return;
    if (this.wake && this.wake.at <= when) return;
    if (this.wake) clearTimeout(this.wake.timer);
    const timer = setTimeout(() => {
      this.wake = null;
      void this.run();
    }, wait);
    timer.unref();
    this.wake = { at: when, timer };
  }
}
