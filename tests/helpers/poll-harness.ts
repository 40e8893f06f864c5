// A real SQLite file in a temp folder and the real poller, for end-to-end tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest';
import { openDb, type Db } from '../../db/database.js';
import type { SourceConfig } from '../../src/domain.js';
import { silentLogger } from '../../src/log.js';
import { pollSource, type PollDeps, type PollResult } from '../../src/poll/poll-source.js';
import { FeedServer } from './feed-server.js';
import { indexQueued } from '../../src/store/indexing.js';

export interface Harness {
  db: Db;
  dir: string;
  deps: PollDeps;
  /** A poll as its process runs it: the poll, then the name and identifier indexes it queued. */
  poll(cfg: SourceConfig): Promise<PollResult>;
  /** The poll's transaction alone: what it queued is not indexed yet. */
  pollOnly(cfg: SourceConfig): Promise<PollResult>;
  close(): void;
}

export function createHarness(overrides: Partial<PollDeps> = {}): Harness {
  const dir = mkdtempSync(join(tmpdir(), 'sr-test-'));
  const { db } = openDb(join(dir, 'test.db'));
  const deps: PollDeps = {
    db,
    log: silentLogger,
    fetch: {
      timeoutMs: 2000,
      maxBytes: 10 * 1024 * 1024,
      userAgent: 'sanctions-radar-test',
      retries: 2,
      retryDelayMs: 5,
    },
    defaultChannels: ['console:test'],
    maxShrink: 0.1,
    confirmPolls: 3,
    ...overrides,
  };
  return {
    db,
    dir,
    deps,
    poll: async (cfg) => {
      const r = await pollSource(deps, cfg);
      indexQueued(db);
      return r;
    },
    pollOnly: (cfg) => pollSource(deps, cfg),
    close() {
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function source(
  id: string,
  kind: SourceConfig['kind'],
  url: string,
  options: Record<string, unknown> = {},
  extra: Partial<SourceConfig> = {},
): SourceConfig {
  return { id, kind, url, label: id, schedule: '0 * * * *', options, ...extra };
}

/**
 * A local feed server for a describe block and a harness polling it, their hooks registered: a
 * new database for each test (the default) or one for the whole block (`fresh: 'block'`). `h`
 * stands for the harness of the test running.
 */
export function pollTestbed(o: { fresh?: 'test' | 'block'; deps?: Partial<PollDeps> } = {}): {
  server: FeedServer;
  h: Harness;
} {
  const server = new FeedServer();
  let current: Harness | null = null;
  const open = () => {
    current = createHarness(o.deps);
  };
  const close = () => {
    current?.close();
    current = null;
  };
  const live = (): Harness => {
    if (!current) throw new Error('the poll harness is used outside a test');
    return current;
  };
  beforeAll(async () => {
    await server.start();
    if (o.fresh === 'block') open();
  });
  afterAll(async () => {
    close();
    await server.stop();
  });
  if (o.fresh !== 'block') {
    beforeEach(open);
    afterEach(close);
  }
  const h: Harness = {
    get db() {
      return live().db;
    },
    get dir() {
      return live().dir;
    },
    get deps() {
      return live().deps;
    },
    poll: (cfg) => live().poll(cfg),
    pollOnly: (cfg) => live().pollOnly(cfg),
    close: () => live().close(),
  };
  return { server, h };
}
