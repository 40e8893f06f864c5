// What a help answer must hold on any platform: a line for every verb (uncleared is told on the
// cleared line, and help needs no line of its own), however the platform escapes the rest.
import { expect } from 'vitest';
import { VERBS } from '../../src/commands/run.js';

export function expectEveryVerb(help: string): void {
  for (const verb of VERBS.filter((v) => v !== 'uncleared' && v !== 'help'))
    expect(help).toMatch(new RegExp(`^${verb} `, 'm'));
  expect(help).toMatch(/uncleared/);
}
