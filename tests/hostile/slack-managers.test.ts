// Who may change a Slack channel's subscriptions: the operator's setting, checked at start.
import { describe, expect, it } from 'vitest';
import { readManagerRule } from '../../adapters/slack/managers.js';

describe('SANCTIONS_RADAR_SLACK_MANAGERS', () => {
  it('takes user and user-group ids, or *, and refuses anything else at start', () => {
    expect(readManagerRule('U0123ABC, S0ABCDEF')).toEqual({
      everyone: false,
      users: new Set(['U0123ABC']),
      groups: ['S0ABCDEF'],
    });
    expect(readManagerRule('*').everyone).toBe(true);
    expect(() => readManagerRule('@ana')).toThrow(/SANCTIONS_RADAR_SLACK_MANAGERS has "@ana"/);
  });
});
