// Runs each source on its own cron schedule; a poll still running when its next turn comes is
// skipped, never doubled.
import cron, { type ScheduledTask } from 'node-cron';
import type { SourceConfig } from '../domain.js';
import type { Logger } from '../log.js';

export class Scheduler {
  private tasks: ScheduledTask[] = [];
  private running = new Map<string, Promise<void>>();
  private stopped = false;

  constructor(
    private sources: SourceConfig[],
    private run: (source: SourceConfig) => Promise<void>,
    private log: Logger,
  ) {}

  /** Polls a source now unless a poll of it is already under way. */
  trigger(source: SourceConfig): Promise<void> {
    if (this.stopped) return Promise.resolve();
    const busy = this.running.get(source.id);
    if (busy) {
      this.log.info({ source: source.id }, 'previous poll still running; this turn is skipped');
      return busy;
    }
    const p = this.run(source)
      .catch((err: Error) => this.log.error({ source: source.id, err }, 'poll crashed'))
      .finally(() => this.running.delete(source.id));
    this.running.set(source.id, p);
    return p;
  }

  start(): void {
    for (const s of this.sources) {
      // The promise is returned: node-cron's noOverlap waits for it before the next run.
      this.tasks.push(
        cron.schedule(s.schedule, () => this.trigger(s), { name: s.id, noOverlap: true }),
      );
    }
  }

  /** Stops the timers and waits for polls in flight, so no transaction is cut short. */
  async stop(): Promise<void> {
    this.stopped = true;
    await Promise.all(this.tasks.map(async (t) => t.destroy()));
    this.tasks = [];
    await Promise.all(this.running.values());
  }
}
