#!/usr/bin/env node
// The package runs from its TypeScript sources: tsx registers the loader, so `npm start` works on
// a fresh clone with no build step. This file is also the composition root: it hands the platform
// adapters to the core, which never imports them itself.
import { register } from 'tsx/esm/api';

register();
const { adapterFactories } = await import('../adapters/index.ts');
const { main } = await import('../src/cli/main.ts');
process.exitCode = await main(process.argv.slice(2), { adapterFactories });
