// What the poller and the dispatcher report as they work, for whoever counts (the daemon's
// Prometheus metrics). A plain interface, so the core never depends on the metrics library.
import type { PollResult } from '../poll/poll-source.js';

export interface DeliveryObservation {
  platform: string;
  /** Alerts of one batch by what became of them. */
  counts: { sent: number; retry: number; paused: number; dead: number };
  seconds: number;
}

export interface MetricsSink {
  poll(result: PollResult): void;
  delivery(o: DeliveryObservation): void;
}
