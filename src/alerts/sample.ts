// The alert `test-alert` sends: a real NS-CMIC listing (China Mobile Limited, as OFAC's
// consolidated list gives it: CMIC-EO13959, listed 2021-06-03, purchases barred from 2021-08-02,
// divestment until 2022-06-03), marked in its source and reason as a test, so that a team sees what
// an alert looks like in its channel and that it arrives, and nobody takes it for news.
import type { NewAlert } from '../domain.js';

export const TEST_REASON =
  'test alert (sanctions-radar test-alert): nothing changed on any list; this is how an alert looks here';

export function sampleAlert(at: Date): NewAlert {
  return {
    type: 'designation.added',
    source: 'test-alert',
    sourceLabel: 'TEST ALERT · sanctions-radar (nothing changed)',
    detectedAt: at.toISOString(),
    list: 'NS-CMIC',
    entity: {
      key: '30923',
      name: 'CHINA MOBILE LIMITED',
      aliases: ['CHINA MOBILE LTD'],
      programs: ['CMIC-EO13959'],
    },
    record: {
      key: '30923',
      list: 'NS-CMIC',
      name: 'CHINA MOBILE LIMITED',
      aliases: ['CHINA MOBILE LTD'],
      type: 'Entity',
      programs: ['CMIC-EO13959'],
      countries: [],
      addresses: [],
      listedOn: '2021-06-03',
      effectiveOn: '2021-08-02',
      divestBy: '2022-06-03',
      citation: null,
      remarks: null,
      linkedTo: ['CHINA MOBILE COMMUNICATIONS GROUP CO., LTD'],
      identifiers: [
        { type: 'ISIN', value: 'US16941M1099' },
        { type: 'ISIN', value: 'HK0941009539' },
        { type: 'Ticker', value: '941', exchange: 'HK' },
      ],
      url: 'https://sanctionssearch.ofac.treas.gov/Details.aspx?id=30923',
    },
  };
}
