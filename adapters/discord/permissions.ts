// What the bot may do in a channel, computed as Discord computes it: the @everyone role and the
// member's roles, Administrator overriding all, then the channel's overwrites for @everyone, for
// the member's roles together, and for the member. Pure; `doctor` feeds it the API's answers.
export const PERMISSIONS = {
  ADMINISTRATOR: 1n << 3n,
  VIEW_CHANNEL: 1n << 10n,
  SEND_MESSAGES: 1n << 11n,
  EMBED_LINKS: 1n << 14n,
  ATTACH_FILES: 1n << 15n,
} as const;

export interface Overwrite {
  id: string;
  /** 0 a role, 1 a member. */
  type: number;
  allow: string;
  deny: string;
}

export function channelPermissions(o: {
  guildId: string;
  roles: { id: string; permissions: string }[];
  memberId: string;
  memberRoles: string[];
  overwrites: Overwrite[];
}): bigint {
  const roleOf = new Map(o.roles.map((r) => [r.id, BigInt(r.permissions)]));
  let perms = roleOf.get(o.guildId) ?? 0n;
  for (const r of o.memberRoles) perms |= roleOf.get(r) ?? 0n;
  if (perms & PERMISSIONS.ADMINISTRATOR) return ~0n;
  const apply = (ow: { allow: bigint; deny: bigint }) => {
    perms = (perms & ~ow.deny) | ow.allow;
  };
  const everyone = o.overwrites.find((w) => w.id === o.guildId);
  if (everyone) apply({ allow: BigInt(everyone.allow), deny: BigInt(everyone.deny) });
  const roles = o.overwrites.filter((w) => w.type === 0 && o.memberRoles.includes(w.id));
  apply({
    allow: roles.reduce((a, w) => a | BigInt(w.allow), 0n),
    deny: roles.reduce((d, w) => d | BigInt(w.deny), 0n),
  });
  const member = o.overwrites.find((w) => w.type === 1 && w.id === o.memberId);
  if (member) apply({ allow: BigInt(member.allow), deny: BigInt(member.deny) });
  return perms;
}

/** The permissions an alert needs that `perms` lacks, by name. */
export function missingToPost(perms: bigint): string[] {
  const need: [string, bigint][] = [
    ['View Channel', PERMISSIONS.VIEW_CHANNEL],
    ['Send Messages', PERMISSIONS.SEND_MESSAGES],
    ['Embed Links', PERMISSIONS.EMBED_LINKS],
    ['Attach Files', PERMISSIONS.ATTACH_FILES],
  ];
  return need.filter(([, bit]) => (perms & bit) === 0n).map(([name]) => name);
}
