// Teams channels: `teams:<name>`, each with SANCTIONS_RADAR_TEAMS_<NAME>_URL, the URL of a Teams
// Workflows webhook ("When a Teams webhook request is received"; Office 365 connectors are retired).
// The URL carries its own signature (sig=...): it is a secret, never shown whole.
import { ConfigError } from '../../src/config/errors.js';
import { redactUrl } from '../../src/fetch/redact.js';
import { channelName, LOCAL_HOSTS, variablePart } from '../named-channels.js';

export const TEAMS_VARIABLE = /^SANCTIONS_RADAR_TEAMS_([A-Z0-9]+(?:_[A-Z0-9]+)*)_URL$/;
export const teamsUrlVariable = (name: string) => `SANCTIONS_RADAR_TEAMS_${variablePart(name)}_URL`;
/** Hosts of Workflows (Power Automate) webhook triggers. */
const WORKFLOW_HOST =
  /(^|\.)(logic\.azure\.com|api\.powerplatform\.com|api\.powerautomate\.com|flow\.microsoft\.com)$/;

/** Why a URL is no Workflows webhook; null when it is one. */
export function notWorkflowUrl(raw: string): string | null {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    return 'it is not a URL';
  }
  if (/\.webhook\.office\.com$/.test(u.hostname) || u.pathname.includes('/webhookb2/'))
    return 'it is an Office 365 connector URL, and those are retired: in Teams, add the Workflows template "Send webhook alerts to a channel" and use its URL';
  const local = u.protocol === 'http:' && LOCAL_HOSTS.has(u.hostname);
  if (u.protocol !== 'https:' && !local) return 'it must be https';
  if (!local && !WORKFLOW_HOST.test(u.hostname))
    return `${u.hostname} is not a Workflows host (logic.azure.com, api.powerplatform.com, api.powerautomate.com, flow.microsoft.com)`;
  if (!/\/workflows\/[^/]+\/triggers\/[^/]+\/paths\/invoke$/.test(u.pathname))
    return 'its path is not a Workflows trigger (…/workflows/<id>/triggers/manual/paths/invoke)';
  return null;
}

/** The Teams channels the environment names, by channel name. Throws ConfigError naming the variable at fault. */
export function readTeamsConfig(env: NodeJS.ProcessEnv): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(env)) {
    const m = TEAMS_VARIABLE.exec(k);
    if (!m || !v?.trim()) continue;
    const why = notWorkflowUrl(v.trim());
    if (why)
      throw new ConfigError(
        `${k}=${redactUrl(v.trim())} is not a Teams Workflows webhook URL: ${why}`,
      );
    out.set(channelName(m[1]!), v.trim());
  }
  return out;
}
