// The compiled program, as users run it: `npm install` builds dist/ (prepare), and bin/ runs it
// without tsx. The demo must run from the build alone (as in the container image, which has no
// tests/ folder), and a command that needs no chat platform must not load a platform SDK.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'src', 'cli', 'main.js');

describe('the compiled build', () => {
  // Built current by tests/setup/build.ts.
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'error' };

  it('runs from dist/ without tsx, and a chat-free command loads no platform SDK', () => {
    const probe = `
      const { adapterFactories } = await import(${JSON.stringify(join(root, 'dist', 'adapters', 'index.js'))});
      const { main } = await import(${JSON.stringify(built)});
      await main(['help'], { adapterFactories, out: () => {}, err: () => {} });
      const m = (await import('node:module')).default;
      const loaded = Object.keys(m._cache).join('\\n');
      console.log(JSON.stringify({ tsx: /node_modules\\/tsx\\//.test(loaded), bolt: /@slack\\/bolt/.test(loaded), discord: /discord\\.js/.test(loaded), yaml: /node_modules\\/yaml\\//.test(loaded) }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], {
      env,
      encoding: 'utf8',
    });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim())).toEqual({
      tsx: false,
      bolt: false,
      discord: false,
      yaml: false,
    });
    const help = spawnSync(process.execPath, [join(root, 'bin', 'sanctions-radar.js'), 'help'], {
      env,
      encoding: 'utf8',
    });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: sanctions-radar <command>/);
  });

  it('a lookup, or a poll of a CSV list, loads neither the feed parsers nor, with no line to write, pino', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sr-loads-'));
    try {
      const list = join(dir, 'loaded.txt');
      // ESM imports pass through the hook; CommonJS packages (pino, entities, rss-parser) are in
      // require's cache at exit.
      writeFileSync(
        join(dir, 'hook.mjs'),
        `import { appendFileSync } from 'node:fs';\nexport async function resolve(s, c, next) { const r = await next(s, c); appendFileSync(${JSON.stringify(list)}, r.url + '\\n'); return r; }\n`,
      );
      writeFileSync(
        join(dir, 'probe.mjs'),
        `import { appendFileSync } from 'node:fs';\nimport m, { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(dir, 'hook.mjs')).href)});\nprocess.on('exit', () => appendFileSync(${JSON.stringify(list)}, Object.keys(m._cache).join('\\n')));\n`,
      );
      const sources = join(dir, 'sources.json');
      writeFileSync(
        sources,
        JSON.stringify({
          sources: [
            {
              id: 'ofac-sdn',
              kind: 'ofac-csv',
              url: pathToFileURL(
                join(root, 'tests', 'fixtures', 'ofac', 'sdn_2024-04-04_trimmed.csv'),
              ).href,
            },
          ],
        }),
      );
      const common = ['--sources', sources, '--db', join(dir, 'radar.db')];
      const loads = (args: string[], level?: string) => {
        rmSync(list, { force: true });
        const r = spawnSync(
          process.execPath,
          [
            '--import',
            pathToFileURL(join(dir, 'probe.mjs')).href,
            join(root, 'bin', 'sanctions-radar.js'),
            ...args,
            ...common,
          ],
          {
            env: {
              PATH: process.env.PATH,
              HOME: process.env.HOME,
              ...(level ? { LOG_LEVEL: level } : {}),
            },
            encoding: 'utf8',
          },
        );
        expect(r.status).toBe(0);
        const loaded = readFileSync(list, 'utf8');
        const has = (re: RegExp) => re.test(loaded);
        return {
          stderr: r.stderr,
          stdout: r.stdout,
          pino: has(/node_modules\/pino\//),
          feedParsers: has(/fast-xml-parser|node_modules\/entities\/|rss-parser/),
          csvParser: has(/sources\/ofac-csv\.js/),
        };
      };
      const quiet = loads(['poll'], 'error');
      // The summary goes to stderr as plain text; no log line at this level.
      expect(quiet.stderr).toBe('ofac-sdn: baseline, 123 records\n');
      expect(quiet).toMatchObject({ pino: false, feedParsers: false, csvParser: true });
      // Nothing to log at the default level: the lookup answers without pino.
      const lookup = loads(['lookup', 'Banco Nacional de Cuba']);
      expect(lookup.stdout).toMatch(/BANCO NACIONAL DE CUBA/);
      expect(lookup).toMatchObject({
        stderr: '',
        pino: false,
        feedParsers: false,
        csvParser: false,
      });
      // At the default level the poll writes its line, and pino loads to write it.
      const logged = loads(['poll']);
      expect(logged.stderr).toMatch(/"source":"ofac-sdn","status":"not-modified"/);
      expect(logged).toMatchObject({ pino: true, feedParsers: false });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs the demo from a copy of the build with no tests/ folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sr-image-'));
    try {
      for (const p of ['dist', 'bin', 'package.json'])
        cpSync(join(root, p), join(dir, p), { recursive: true });
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
      const r = spawnSync(
        process.execPath,
        [join(dir, 'bin', 'sanctions-radar.js'), 'demo', '--json'],
        { env, cwd: dir, encoding: 'utf8', timeout: 60_000 },
      );
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const types = r.stdout
        .trim()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => (JSON.parse(l) as { type?: string }).type);
      expect(types).toContain('designation.added');
      expect(types).toContain('feed.item');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
