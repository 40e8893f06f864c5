#!/usr/bin/env node
// The package runs from its TypeScript sources: tsx registers the loader, so `npm start` works on
// a fresh clone with no build step. This file is also the composition root: it hands the platform
// adapters to the core, which never imports them itself.
import { existsSync, statSync } from 'node:fs';
import { register } from 'tsx/esm/api';

// Secrets come from the environment; a .env file in the working directory is read into it.
if (existsSync('.env')) {
  try {
    if (!statSync('.env').isFile()) throw Object.assign(new Error('not a file'), { code: 'EISDIR' });
    process.loadEnvFile('.env');
  } catch (err) {
    process.stderr.write(`sanctions-radar: configuration error: .env in ${process.cwd()} cannot be read (${err.code ?? err.message}); it must be a file of NAME=value lines\n`);
    process.exit(2);
  }
}
// A promise nobody awaited must not end the daemon silently: say what it was, keep running.
process.on('unhandledRejection', (reason) => {
  process.stderr.write(`${JSON.stringify({ level: 50, time: Date.now(), app: 'sanctions-radar', msg: 'unhandled rejection', err: { message: String(reason?.message ?? reason), stack: reason?.stack } })}\n`);
});
register();
const { adapterFactories } = await import('../adapters/index.ts');
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), { adapterFactories });
