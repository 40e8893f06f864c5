// Who may decide on alerts (SANCTIONS_RADAR_REVIEWERS): Slack users and user groups, Discord
// roles, or "*" for everyone who can see the alert. One variable for both platforms, told apart by
// the ids' shapes; a platform the variable names nobody of keeps its default, whoever may change
// what the channel follows.
import { ConfigError } from '../config/errors.js';

export interface Reviewers {
  everyone: boolean;
  /** Slack user (U..., W...) and user group (S...) ids. */
  slack: string[];
  /** Discord role ids (snowflakes). */
  discordRoles: string[];
}

const SLACK_ID = /^[UWS][A-Z0-9]{2,}$/;
const SNOWFLAKE = /^\d{17,20}$/;

export function readReviewers(raw: string | undefined): Reviewers | null {
  const ids = (raw ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (ids.length === 0) return null;
  if (ids.includes('*')) return { everyone: true, slack: [], discordRoles: [] };
  const bad = ids.find((id) => !SLACK_ID.test(id) && !SNOWFLAKE.test(id));
  if (bad)
    throw new ConfigError(
      `SANCTIONS_RADAR_REVIEWERS has "${bad}": list Slack user ids (U..., W...), Slack user group ids (S...) and Discord role ids (numbers), comma-separated, or "*" for everyone`,
    );
  return {
    everyone: false,
    slack: ids.filter((id) => SLACK_ID.test(id)),
    discordRoles: ids.filter((id) => SNOWFLAKE.test(id)),
  };
}
