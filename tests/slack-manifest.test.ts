// The Slack app manifests (Socket Mode and HTTP mode): the slash command's hint names every verb the
// bot answers, the bot asks for the scopes its features use and no others, and the HTTP variant
// points Slack at the one route the daemon serves.
import { SLACK_SCOPES } from '../adapters/slack/scopes.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { VERBS } from '../src/commands/run.js';

const read = (file: string) =>
  parse(readFileSync(join(import.meta.dirname, '..', 'adapters', 'slack', file), 'utf8')) as {
    features: { slash_commands: { command: string; usage_hint: string; url?: string }[] };
    oauth_config: { scopes: { bot: string[] } };
    settings: {
      socket_mode_enabled: boolean;
      interactivity: { is_enabled: boolean; request_url?: string };
    };
  };

describe('Slack app manifests', () => {
  const socket = read('manifest.yml');
  const http = read('manifest-http.yml');

  it('hint every verb of /sanctions', () => {
    for (const m of [socket, http]) {
      const [cmd] = m.features.slash_commands;
      expect(cmd!.command).toBe('/sanctions');
      for (const verb of VERBS)
        expect(cmd!.usage_hint, verb).toMatch(new RegExp(`(^|\\| )${verb}\\b`));
    }
  });

  it('ask for the scopes the features use, and nothing more', () => {
    // Each scope with what it is for, as doctor checks them (adapters/slack/scopes.ts).
    for (const m of [socket, http])
      expect([...m.oauth_config.scopes.bot].sort()).toEqual(Object.keys(SLACK_SCOPES).sort());
    expect(Object.keys(SLACK_SCOPES).sort()).toEqual([
      'channels:read',
      'chat:write',
      'chat:write.public',
      'commands',
      'files:write',
      'groups:read',
      'usergroups:read',
      'users:read',
    ]);
  });

  it('differ only in how Slack reaches the bot', () => {
    expect(socket.settings.socket_mode_enabled).toBe(true);
    expect(socket.features.slash_commands[0]!.url).toBeUndefined();
    expect(http.settings.socket_mode_enabled).toBe(false);
    expect(http.features.slash_commands[0]!.url).toBe('https://<your host>/slack/events');
    expect(http.settings.interactivity).toEqual({
      is_enabled: true,
      request_url: 'https://<your host>/slack/events',
    });
  });
});
