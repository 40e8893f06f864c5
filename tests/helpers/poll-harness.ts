// A real SQLite file in a temp folder and the real poller, for end-to-end tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDb, type Db } from '../../db/database.js';
import type { SourceConfig } from '../../src/domain.js';
import { silentLogger } from '../../src/log.js';
import { pollSource, type PollDeps, type PollResult } from '../../src/poll/poll-source.js';

export interface Harness {
  db: Db;
  dir: string;
  deps: PollDeps;
  poll(cfg: SourceConfig): Promise<PollResult>;
  close(): void;
}

export function createHarness(overrides: Partial<PollDeps> = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'sr-test-'));
  const { db } = openDb(join(dir, 'test.db'));
  const deps: PollDeps = {
    db,
    log: silentLogger,
    fetch: { timeoutMs: 2000, maxBytes: 10 * 1024 * 1024, userAgent: 'sanctions-radar-test' },
    defaultChannels: ['console:test'],
    maxShrink: 0.1,
    confirmPolls: 3,
    ...overrides,
  };
  return {
    db,
    dir,
    deps,
    poll: (cfg) => pollSource(deps, cfg),
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function source(id: string, kind: SourceConfig['kind'], url: string, options: Record<string, unknown> = {}, extra: Partial<SourceConfig> = {}): SourceConfig {
  return { id, kind, url, label: id, schedule: '0 * * * *', options, ...extra };
}
