// The previous release, built beside this one so that a bench measures both in the same run (a
// slower machine moves both). Which release: SANCTIONS_RADAR_BENCH_BASELINE (any git revision), else
// the newest v* tag. It is checked out in a git worktree under the system's temporary folder,
// given this checkout's node_modules when its lock file is the same (else `npm ci` there), and
// built. Returns the path of its command, or why there is none.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Release = { bin: string; name: string } | { missing: string };

export function previousRelease(root: string): Release {
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', root, ...args], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  let rev = process.env.SANCTIONS_RADAR_BENCH_BASELINE?.trim();
  try {
    rev ||= git('tag', '--list', 'v*', '--sort=-v:refname').split('\n')[0] || undefined;
  } catch {
    return { missing: 'not a git checkout' };
  }
  if (!rev)
    return {
      missing:
        'no release tagged v* yet; SANCTIONS_RADAR_BENCH_BASELINE=<git revision> names one to compare with',
    };
  let commit: string;
  try {
    commit = git('rev-parse', '--verify', `${rev}^{commit}`);
  } catch {
    return {
      missing: `SANCTIONS_RADAR_BENCH_BASELINE=${rev} is not a revision of this repository`,
    };
  }
  const dir = join(tmpdir(), `sanctions-radar-release-${commit.slice(0, 12)}`);
  const bin = join(dir, 'bin', 'sanctions-radar.js');
  const name = `${rev} (${commit.slice(0, 7)})`;
  if (existsSync(join(dir, 'dist', 'src', 'cli', 'main.js'))) return { bin, name };
  const run = (cmd: string, args: string[]) =>
    execFileSync(cmd, args, { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
  if (!existsSync(dir)) git('worktree', 'add', '--detach', '--force', dir, commit);
  const lock = (d: string) =>
    existsSync(join(d, 'package-lock.json'))
      ? readFileSync(join(d, 'package-lock.json'), 'utf8')
      : '';
  if (!existsSync(join(dir, 'node_modules'))) {
    if (lock(dir) === lock(root))
      symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
    else run('npm', ['ci', '--no-audit', '--no-fund']);
  }
  if (!existsSync(join(dir, 'dist', 'src', 'cli', 'main.js'))) run('npm', ['run', 'build']);
  return { bin, name };
}
