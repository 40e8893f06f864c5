// The command line is tested as users run it: bin/ starts the compiled build in dist/, without
// tsx (which compiled the sources again in every child process: 78 s of the CLI tests). Built
// here, once per test run, when a source is newer than the build (CI's `npm ci` has just built it).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
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

export default function buildOnce(): void {
  const stale =
    !existsSync(built) ||
    Math.max(...['src', 'adapters', 'db'].map((d) => newestSource(join(root, d)))) >
      statSync(built).mtimeMs;
  if (stale) execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'inherit' });
}
