// Wires settings, storage, sources and adapters together for the CLI commands.
import { openDb, type Db } from '../db/database.js';
import { loadSourcesFile, DEFAULT_SOURCES_FILE } from './config/sources-file.js';
import type { Settings } from './config/settings.js';
import type { Adapter, AdapterContext, AdapterFactory } from './delivery/adapter.js';
import { Dispatcher } from './delivery/dispatcher.js';
import type { SourceConfig } from './domain.js';
import type { Logger } from './log.js';
import { USER_AGENT } from './fetch/fetch-body.js';
import { pollSource, type PollDeps, type PollResult } from './poll/poll-source.js';

export interface App {
  db: Db;
  sources: SourceConfig[];
  sourcesFile: string;
  adapters: Adapter[];
  dispatcher: Dispatcher;
  pollDeps: PollDeps;
  poll(ids?: string[]): Promise<PollResult[]>;
  close(): void;
}

export interface AppOptions {
  settings: Settings;
  log: Logger;
  adapterFactories: AdapterFactory[];
  env: NodeJS.ProcessEnv;
  mode: AdapterContext['mode'];
  json: boolean;
}

export function createApp(o: AppOptions): App {
  const sourcesFile = o.settings.sourcesFile ?? DEFAULT_SOURCES_FILE;
  const sources = loadSourcesFile(sourcesFile);
  const ctx: AdapterContext = { env: o.env, settings: o.settings, log: o.log, mode: o.mode, json: o.json };
  const adapters = o.adapterFactories.map((f) => f.fromEnv(ctx)).filter((a): a is Adapter => a !== null);
  const { db, migrated } = openDb(o.settings.dbPath);
  o.log.info({ db: o.settings.dbPath, migrations: migrated }, migrated ? `ran ${migrated} migration(s)` : 'schema up to date');
  const pollDeps: PollDeps = {
    db,
    log: o.log,
    fetch: { timeoutMs: o.settings.fetchTimeoutMs, maxBytes: o.settings.maxBytes, userAgent: USER_AGENT },
    defaultChannels: o.settings.alertChannels,
    maxShrink: o.settings.maxShrink,
    confirmPolls: o.settings.confirmPolls,
  };
  const dispatcher = new Dispatcher(db, o.log, adapters);
  return {
    db,
    sources,
    sourcesFile,
    adapters,
    dispatcher,
    pollDeps,
    async poll(ids) {
      const chosen = ids?.length ? sources.filter((s) => ids.includes(s.id)) : sources;
      const results: PollResult[] = [];
      // One at a time: polite to the servers, and SQLite has one writer anyway.
      for (const s of chosen) results.push(await pollSource(pollDeps, s));
      return results;
    },
    close() {
      db.close();
    },
  };
}
