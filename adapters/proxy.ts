// The platforms' own HTTP clients through the proxy HTTPS_PROXY / HTTP_PROXY name, except for the
// hosts NO_PROXY names: Slack's Web API (its fetch) and Discord's REST API (its undici
// dispatcher). undici is loaded only when a proxy is set.
import type { Dispatcher } from 'undici';

const get = (env: NodeJS.ProcessEnv, name: string) => env[name] ?? env[name.toLowerCase()];

function proxySet(env: NodeJS.ProcessEnv): boolean {
  return Boolean(get(env, 'HTTPS_PROXY') || get(env, 'HTTP_PROXY'));
}

/** undici's dispatcher for the proxy the environment names; null when none is set. */
export async function proxyDispatcher(env: NodeJS.ProcessEnv): Promise<Dispatcher | null> {
  if (!proxySet(env)) return null;
  const { EnvHttpProxyAgent } = await import('undici');
  return new EnvHttpProxyAgent({
    httpProxy: get(env, 'HTTP_PROXY'),
    httpsProxy: get(env, 'HTTPS_PROXY') ?? get(env, 'HTTP_PROXY'),
    noProxy: get(env, 'NO_PROXY'),
  });
}

/** A fetch that goes through the proxy the environment names; undefined (the global one) when none is set. */
export async function proxyFetch(env: NodeJS.ProcessEnv): Promise<typeof fetch | undefined> {
  const dispatcher = await proxyDispatcher(env);
  if (!dispatcher) return undefined;
  const { fetch: undiciFetch } = await import('undici');
  return ((url: Parameters<typeof fetch>[0], init?: RequestInit) =>
    undiciFetch(url as never, { ...(init as object), dispatcher })) as unknown as typeof fetch;
}
