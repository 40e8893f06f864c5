// Which platforms this process can deliver to, known without building their clients: a platform
// is configured when the variable that enables it is set (the console needs none).
import type { AdapterFactory } from './adapter.js';

/** A channel as every input names it: "<platform>:<channel id>", ASCII only (no control characters). */
export const CHANNEL = /^([a-z][a-z0-9-]{0,19}):[\w.@+-]{1,80}$/;

export function configuredPlatforms(factories: AdapterFactory[], env: NodeJS.ProcessEnv): string[] {
  return factories
    .filter((f) =>
      f.configured ? f.configured(env) : !f.enabledBy || Boolean(env[f.enabledBy]?.trim()),
    )
    .map((f) => f.platform);
}

/** Why a channel's alerts wait: no configured platform serves it. */
export function undeliverableReason(
  channel: string,
  factories: Pick<AdapterFactory, 'platform' | 'enabledBy'>[],
): string {
  const platform = channel.slice(0, channel.indexOf(':'));
  const f = factories.find((x) => x.platform === platform);
  return f
    ? `${platform} is not configured here${f.enabledBy ? ` (set ${f.enabledBy})` : ''}`
    : `no "${platform}" platform exists`;
}
