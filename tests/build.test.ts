// The compiled program, as users run it: `npm install` builds dist/ (prepare), and bin/ runs it
// without tsx. The demo must run from the build alone (as in the container image, which has no
// tests/ folder), and a command that needs no chat platform must not load a platform SDK.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'dist', 'src', 'cli', 'main.js');

function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (/\.(ts|sql|json|yml)$/.test(e.name)) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

describe('the compiled build', () => {
  beforeAll(() => {
    // CI's `npm ci` has just built it; a developer's build may be older than the code under test.
    const stale = !existsSync(built) || Math.max(...['src', 'adapters', 'db'].map((d) => newestSource(join(root, d)))) > statSync(built).mtimeMs;
    if (stale) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
  }, 120_000);

  const env = { PATH: process.env.PATH, HOME: process.env.HOME, LOG_LEVEL: 'error' };

  it('runs from dist/ without tsx, and a chat-free command loads no platform SDK', () => {
    const probe = `
      const { adapterFactories } = await import(${JSON.stringify(join(root, 'dist', 'adapters', 'index.js'))});
      const { main } = await import(${JSON.stringify(built)});
      await main(['help'], { adapterFactories, out: () => {}, err: () => {} });
      const m = (await import('node:module')).default;
      const loaded = Object.keys(m._cache).join('\\n');
      console.log(JSON.stringify({ tsx: /node_modules\\/tsx\\//.test(loaded), bolt: /@slack\\/bolt/.test(loaded), discord: /discord\\.js/.test(loaded), yaml: /node_modules\\/yaml\\//.test(loaded) }));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', probe], { env, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout.trim())).toEqual({ tsx: false, bolt: false, discord: false, yaml: false });
    const help = spawnSync(process.execPath, [join(root, 'bin', 'sanctions-radar.js'), 'help'], { env, encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: sanctions-radar <command>/);
  });

  it('runs the demo from a copy of the build with no tests/ folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sr-image-'));
    try {
      for (const p of ['dist', 'bin', 'package.json']) cpSync(join(root, p), join(dir, p), { recursive: true });
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
      const r = spawnSync(process.execPath, [join(dir, 'bin', 'sanctions-radar.js'), 'demo', '--json'], { env, cwd: dir, encoding: 'utf8', timeout: 60_000 });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const types = r.stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => (JSON.parse(l) as { type?: string }).type);
      expect(types).toContain('designation.added');
      expect(types).toContain('feed.item');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
