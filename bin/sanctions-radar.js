#!/usr/bin/env node
// The command. It runs the compiled JavaScript in dist/ (built by `npm install` through the
// `prepare` script, or `npm run build`), so a call pays no TypeScript compilation. With
// SANCTIONS_RADAR_FROM_SOURCE=1, or when there is no build, it runs the TypeScript sources
// through tsx instead (development and tests). This file is also the composition root: it hands
// the platform adapters to the core, which never imports them itself.
import { existsSync, statSync } from 'node:fs';

// Secrets come from the environment; a .env file in the working directory is read into it.
if (existsSync('.env')) {
  try {
    if (!statSync('.env').isFile())
      throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    process.loadEnvFile('.env');
  } catch (err) {
    process.stderr.write(
      `sanctions-radar: configuration error: .env in ${process.cwd()} cannot be read (${err.code ?? err.message}); it must be a file of NAME=value lines\n`,
    );
    process.exit(2);
  }
}
// A promise nobody awaited must not end the daemon silently: say what it was, keep running.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(
    `${JSON.stringify({ level: 50, time: Date.now(), app: 'sanctions-radar', msg: 'unhandled rejection', err: { message: String(reason?.message ?? reason), stack: reason?.stack } })}\n`,
  );
});

const built = new URL('../dist/src/cli/main.js', import.meta.url);
const fromSource = process.env.SANCTIONS_RADAR_FROM_SOURCE === '1' || !existsSync(built);
let adapters, cli;
if (fromSource) {
  try {
    const { register } = await import('tsx/esm/api');
    register();
  } catch {
    process.stderr.write(
      'sanctions-radar: there is no build in dist/ and tsx is not installed to run the sources: run `npm install` (or `npm run build`)\n',
    );
    process.exit(2);
  }
  adapters = await import('../adapters/index.ts');
  cli = await import('../src/cli/main.ts');
} else {
  adapters = await import('../dist/adapters/index.js');
  cli = await import(built.href);
}
process.exitCode = await cli.main(process.argv.slice(2), {
  adapterFactories: adapters.adapterFactories,
});
