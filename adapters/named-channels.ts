// Channels named by the operator's variables (webhook:case-system ↔ SANCTIONS_RADAR_WEBHOOK_CASE_SYSTEM_URL).
/** "CASE_SYSTEM" → "case-system". */
export const channelName = (variablePart: string) => variablePart.toLowerCase().replace(/_/g, '-');
/** "case-system" → "CASE_SYSTEM". */
export const variablePart = (name: string) => name.toUpperCase().replace(/-/g, '_');
/** Hosts plain http may reach: the receiver runs beside the bot. */
export const LOCAL_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]']);
