// What a deployment takes from this repository agrees with the program: the systemd unit runs the
// real entry point with its hardening and restart policy, the container checks a route the daemon
// serves, compose publishes on this host only, and the licence is the one package.json names.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const read = (f: string) => readFileSync(join(root, f), 'utf8');

describe('deployment files', () => {
  it('the systemd unit runs bin/sanctions-radar.js start, hardened, restarted after a crash but not after a configuration error', () => {
    const unit = read('deploy/sanctions-radar.service');
    const keys = new Map(
      unit
        .split('\n')
        .filter((l) => /^\w+=/.test(l))
        .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
    );
    const [node, script, verb] = keys.get('ExecStart')!.split(' ');
    expect(node).toBe('/usr/bin/node');
    expect(existsSync(join(root, script!))).toBe(true);
    expect(verb).toBe('start');
    expect(keys.get('Restart')).toBe('on-failure');
    // Exit 2 is a configuration or usage error (src/cli/main.ts): restarting cannot mend it.
    expect(keys.get('RestartPreventExitStatus')).toBe('2');
    for (const k of ['NoNewPrivileges', 'ProtectHome', 'PrivateTmp', 'PrivateDevices'])
      expect(keys.get(k), k).toBe('true');
    expect(keys.get('ProtectSystem')).toBe('strict');
    expect(keys.get('KillSignal')).toBe('SIGTERM');
  });

  it('the container checks /readyz, which the daemon serves; compose publishes on 127.0.0.1; the licence is MIT', () => {
    expect(read('Dockerfile')).toMatch(/HEALTHCHECK[\s\S]*\/readyz/);
    expect(read('src/http/server.ts')).toContain("'/readyz'");
    expect(read('compose.yaml')).toMatch(/- "127\.0\.0\.1:3000:3000"/);
    expect(JSON.parse(read('package.json')).license).toBe('MIT');
    expect(read('LICENSE')).toMatch(/^MIT License/);
  });
});
