// Who may change what a Slack channel follows. Discord asks for Manage Channels; in Slack any
// member or guest could otherwise redirect a compliance team's alerts. Allowed: workspace admins
// and owners, and the users (U..., W...) and user groups (S...) the operator lists in
// SANCTIONS_RADAR_SLACK_MANAGERS; "*" lets every member.
import type { webApi } from '@slack/bolt';
import { ConfigError } from '../../src/config/errors.js';
import type { Reviewers } from '../../src/review/reviewers.js';

export interface ManagerRule {
  everyone: boolean;
  users: Set<string>;
  groups: string[];
}

export function readManagerRule(raw: string | undefined): ManagerRule {
  const ids = (raw ?? '')
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  if (ids.includes('*')) return { everyone: true, users: new Set(), groups: [] };
  const bad = ids.find((id) => !/^[UWS][A-Z0-9]{2,}$/.test(id));
  if (bad)
    throw new ConfigError(
      `SANCTIONS_RADAR_SLACK_MANAGERS has "${bad}": list user ids (U..., W...) and user group ids (S...), comma-separated, or "*" for everyone`,
    );
  return {
    everyone: false,
    users: new Set(ids.filter((id) => !id.startsWith('S'))),
    groups: ids.filter((id) => id.startsWith('S')),
  };
}

export const REFUSAL =
  'Only workspace admins and owners, and the people the operator lists in SANCTIONS_RADAR_SLACK_MANAGERS, may change what this channel follows. Ask one of them, or use lookup and history, which anyone may.';

/** Said privately to a member who pressed a review button without being one of the above. */
export const REVIEW_REFUSAL =
  'Only workspace admins and owners, and the people the operator lists in SANCTIONS_RADAR_SLACK_MANAGERS, may record decisions on alerts here. Nothing was recorded.';

/** The same, when the operator named the reviewers (SANCTIONS_RADAR_REVIEWERS). */
export const REVIEWERS_REFUSAL =
  'Only workspace admins and owners, and the reviewers the operator lists in SANCTIONS_RADAR_REVIEWERS, may record decisions on alerts here. Nothing was recorded.';

/** Who may decide on alerts: the reviewers named for Slack, else whoever may change what a channel follows. */
export function reviewerRule(
  reviewers: Reviewers | null,
  managers: ManagerRule,
): { rule: ManagerRule; refusal: string } {
  if (reviewers?.everyone)
    return { rule: { everyone: true, users: new Set(), groups: [] }, refusal: REVIEWERS_REFUSAL };
  if (!reviewers?.slack.length) return { rule: managers, refusal: REVIEW_REFUSAL };
  return {
    rule: {
      everyone: false,
      users: new Set(reviewers.slack.filter((id) => !id.startsWith('S'))),
      groups: reviewers.slack.filter((id) => id.startsWith('S')),
    },
    refusal: REVIEWERS_REFUSAL,
  };
}

/** Said when Slack did not tell in time, or failed: the member may try again, nothing changed. */
export const CHECK_FAILED =
  'Could not check with Slack in time whether you may change what this channel follows, so nothing was changed. Try again in a minute; the operator will find the reason in the log.';

/**
 * Decides, with a short cache: Slack answers in milliseconds, but a burst of commands need not ask
 * twice. The answer to the slash command is its acknowledgement, which Slack takes for 3 seconds
 * only, so the check gives up after `timeoutMs` (the lookup it started still fills the cache).
 */
export function managerCheck(rule: ManagerRule, client: webApi.WebClient, timeoutMs = 2000) {
  const cache = new Map<string, { allowed: boolean; until: number }>();
  const ask = async (userId: string): Promise<boolean> => {
    let allowed = false;
    const info = await client.users.info({ user: userId });
    const u = info.user;
    allowed = Boolean(u?.is_admin || u?.is_owner || u?.is_primary_owner);
    for (const g of rule.groups) {
      if (allowed) break;
      const members = await client.usergroups.users.list({ usergroup: g });
      allowed = (members.users ?? []).includes(userId);
    }
    cache.set(userId, { allowed, until: Date.now() + 5 * 60_000 });
    return allowed;
  };
  return async (userId: string): Promise<boolean> => {
    if (rule.everyone || rule.users.has(userId)) return true;
    const hit = cache.get(userId);
    if (hit && hit.until > Date.now()) return hit.allowed;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Slack did not answer users.info within ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    const asked = ask(userId);
    asked.catch(() => undefined);
    try {
      return await Promise.race([asked, late]);
    } finally {
      clearTimeout(timer);
    }
  };
}
