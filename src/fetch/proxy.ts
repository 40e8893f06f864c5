// Fund and bank networks reach the internet only through a proxy: every download and every call
// to Slack or Discord goes through the one HTTPS_PROXY / HTTP_PROXY names, except to the hosts
// NO_PROXY names (the variables curl and most tools read, in either case; proxy-from-env reads
// them as they are written, host suffixes, ports and `*` included).
import type { Agent } from 'node:http';
import { getProxyForUrl } from 'proxy-from-env';
import { redactUrl } from './redact.js';

const agents = new Map<string, Agent>();

/** The proxy a request to this URL goes through, or null for a direct connection. */
export function proxyFor(url: string | URL): string | null {
  return getProxyForUrl(String(url)) || null;
}

/**
 * An agent that reaches `url` through its proxy (a CONNECT tunnel for https, absolute-URI
 * requests for http), kept per proxy so connections are reused; null when none applies. The
 * agents' modules load only when a proxy is set: a poll without one does not pay for them.
 */
export async function proxyAgentFor(url: string | URL): Promise<Agent | null> {
  const proxy = proxyFor(url);
  if (!proxy) return null;
  const https = new URL(String(url)).protocol === 'https:';
  const key = `${https ? 's' : 'p'} ${proxy}`;
  let agent = agents.get(key);
  if (!agent) {
    agent = https
      ? new (await import('https-proxy-agent')).HttpsProxyAgent(proxy, { keepAlive: true })
      : new (await import('http-proxy-agent')).HttpProxyAgent(proxy, { keepAlive: true });
    agents.set(key, agent);
  }
  return agent;
}

/** The proxy in use, for logs and errors: without its credentials. */
export function describeProxy(url: string | URL): string | null {
  const proxy = proxyFor(url);
  return proxy ? redactUrl(proxy) : null;
}
