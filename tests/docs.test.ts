// The documentation as a user follows it: every shell block marked `runnable` in README.md and
// docs/*.md runs, offline, and succeeds; every relative link points at a file that exists.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cleanEnv } from './helpers/cli.js';
import { docFiles, ROOT } from './helpers/docs.js';

const blocks = docFiles().flatMap(({ path, text }) =>
  [...text.matchAll(/```sh runnable\n([\s\S]*?)```/g)].map((m) => ({ path, code: m[1]! })),
);

describe('the documentation, as a user follows it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sr-docs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('has runnable blocks (the demo and a test alert at least)', () => {
    expect(blocks.map((b) => b.code.trim())).toEqual(
      expect.arrayContaining([
        'npm run demo',
        'npx sanctions-radar test-alert --channel console:default',
      ]),
    );
  });

  for (const [i, b] of blocks.entries()) {
    it(`runs ${b.path} block ${i + 1}: ${b.code.trim().split('\n')[0]}`, () => {
      // In the repository, as a user would, with the database in a folder of its own.
      const out = execFileSync('bash', ['-euo', 'pipefail', '-c', b.code], {
        cwd: ROOT,
        env: cleanEnv({ SANCTIONS_RADAR_DB: join(dir, `block-${i}.db`), LOG_LEVEL: 'error' }),
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 120_000,
      });
      expect(out.length).toBeGreaterThan(0);
    }, 150_000);
  }

  it('links only to files that exist', () => {
    const broken = docFiles().flatMap(({ path, text }) =>
      [...text.matchAll(/\]\((?!https?:|#|mailto:)([^)#\s]+)[^)]*\)/g)]
        .map((m) => m[1]!)
        .filter((target) => !existsSync(join(ROOT, dirname(path), target)))
        .map((t) => `${path} → ${t}`),
    );
    expect(broken).toEqual([]);
  });
});
