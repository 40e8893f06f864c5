// The CourtListener webhook's pseudo-source, apart from the receiver: every command lists it among
// the sources, and must not load the court parsers to do so.
import type { SourceConfig } from '../domain.js';

export const WEBHOOK_PATH = '/courtlistener/webhook';
/** The pseudo-source the pushed entries belong to: `--source courtlistener-webhook` follows it. */
export const WEBHOOK_SOURCE: SourceConfig = {
  id: 'courtlistener-webhook',
  kind: 'courtlistener',
  url: `http://localhost${WEBHOOK_PATH}`,
  label: 'CourtListener docket alerts (webhook)',
  schedule: '0 0 1 1 *',
  // The operator chose these dockets on CourtListener: every entry of them is news.
  options: { alert: 'all' },
};
