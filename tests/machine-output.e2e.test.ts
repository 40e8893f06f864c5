// `poll --json` is the integration point of pipelines: every change comes out as its own object,
// however many there are, where a person's console (and a chat channel) gets one changeset. Run as
// a user runs it, a process per poll, against the real SDN 2024-04-04 → 04-12 update (4 added,
// 2 removed, 1 amended) with a channel limit of three changes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { cleanEnv, runCli } from './helpers/cli.js';
import { FeedServer } from './helpers/feed-server.js';
import { fixture } from './helpers/fixtures.js';

describe('machine output carries every change', () => {
  const server = new FeedServer();
  let dir: string;
  beforeAll(async () => {
    await server.start();
  });
  afterAll(async () => {
    await server.stop();
  });
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sr-machine-'));
    writeFileSync(
      join(dir, 'sources.json'),
      JSON.stringify({
        sources: [{ id: 'ofac-sdn', kind: 'ofac-csv', url: server.url('/sdn.csv') }],
      }),
    );
    return () => rmSync(dir, { recursive: true, force: true });
  });
  const env = () =>
    cleanEnv({
      SANCTIONS_RADAR_DB: join(dir, 'radar.db'),
      SANCTIONS_RADAR_SOURCES: join(dir, 'sources.json'),
      SANCTIONS_RADAR_MAX_LIST_ALERTS: '3',
    });
  const update = async (args: string[]) => {
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-04_trimmed.csv') });
    expect((await runCli(['poll', ...args], env())).code).toBe(0);
    server.set('/sdn.csv', { kind: 'body', body: fixture('ofac/sdn_2024-04-12_trimmed.csv') });
    const r = await runCli(['poll', ...args], env());
    expect(r.code).toBe(0);
    return r.stdout.trim().split('\n').filter(Boolean);
  };

  it('poll --json prints one object per change, above the limit too', async () => {
    const lines = (await update(['--json'])).map(
      (l) => JSON.parse(l) as { type: string; entity?: { name: string } },
    );
    expect(lines.map((l) => l.type).sort()).toEqual([
      'designation.added',
      'designation.added',
      'designation.added',
      'designation.added',
      'designation.amended',
      'designation.removed',
      'designation.removed',
    ]);
    expect(lines.map((l) => l.entity!.name)).toContain('STANKOVIC, Slobodan');
  });

  it('the console a person reads gets one changeset, as a chat channel does', async () => {
    const lines = await update([]);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(
      /CHANGESET ofac-sdn: 7 changes to SDN in one poll \(4 added, 2 removed, 1 amended\)/,
    );
  });
});
