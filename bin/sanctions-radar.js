#!/usr/bin/env node
// The package runs from its TypeScript sources: tsx registers the loader, so `npm start` works on
// a fresh clone with no build step. This file is also the composition root: it hands the platform
// adapters to the core, which never imports them itself.
import { existsSync } from 'node:fs';
import { register } from 'tsx/esm/api';

// Secrets come from the environment; a .env file in the working directory is read into it.
if (existsSync('.env')) process.loadEnvFile('.env');
register();
const { adapterFactories } = await import('../adapters/index.ts');
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), { adapterFactories });
