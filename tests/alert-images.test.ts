// The documentation's pictures of an alert in Slack and in Discord, drawn from the very message
// and embed the adapters send for a real NS-CMIC listing (China Mobile Limited, as OFAC's
// consolidated list gives it). Regenerated here: when an alert's look changes, `vitest -u`
// redraws them, and a change nobody redrew fails.
import { describe, expect, it } from 'vitest';
import { alertEmbed } from '../adapters/discord/embeds.js';
import { reviewComponents } from '../adapters/discord/review-components.js';
import { alertMessage } from '../adapters/slack/alert-blocks.js';
import { sampleAlert } from '../src/alerts/sample.js';
import type { Alert } from '../src/domain.js';
import { discordImage, slackImage } from './helpers/alert-images.js';

const alert = {
  ...sampleAlert(new Date('2021-06-03T14:05:00.000Z')),
  source: 'ofac-consolidated',
  sourceLabel: 'OFAC consolidated non-SDN lists',
  id: 4711,
  channels: ['slack:C1'],
} as Alert;
const item = { alert, reason: 'subscription #1: "China Mobile"' };

describe("the documentation's alert pictures", () => {
  it('draw the Slack message and the Discord embed the adapters send', async () => {
    const slack = slackImage(alertMessage(item), '2:05 PM');
    expect(slack).toContain('CHINA MOBILE LIMITED');
    expect(slack).toContain('Acknowledge');
    await expect(slack).toMatchFileSnapshot('../docs/images/slack-alert.svg');
    const buttons = (
      reviewComponents(alert.id) as { components: { label: string }[] }[]
    )[0]!.components.map((c) => c.label);
    const discord = discordImage(alertEmbed(item), buttons, 'Today at 2:05 PM');
    expect(discord).toContain('CHINA MOBILE LIMITED');
    await expect(discord).toMatchFileSnapshot('../docs/images/discord-alert.svg');
  });
});
