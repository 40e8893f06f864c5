import { describe, expect, it } from 'vitest';
import {
  parseCourtListenerFeed,
  parseCourtListenerWebhook,
} from '../../src/sources/courtlistener.js';
import { fixture } from '../helpers/fixtures.js';

describe('CourtListener', () => {
  it('docket feed: "Entry #N in <case>, <docket>" gives number, caption and docket; the enclosure is the PDF', async () => {
    const s = await parseCourtListenerFeed(fixture('courtlistener/docket_feed_constructed.xml'), {
      court: 'dcd',
    });
    if (s.kind !== 'feed') throw new Error('feed');
    const [entry, minute] = s.items;
    expect(entry).toMatchObject({
      court: 'dcd',
      docket: '1:21-cv-00280',
      caseName: 'Xiaomi Corporation v. Department of Defense',
      documentNumber: '41',
      documentUrl:
        'https://storage.courtlistener.com/recap/gov.uscourts.dcd.226816/gov.uscourts.dcd.226816.41.0.pdf',
      publishedAt: '2021-05-25T07:00:00.000Z',
    });
    expect(entry!.summary).toMatch(/proposed order & vacating the designation/);
    // A minute entry's title names no docket: the feed's title does ("Docket updates for <case>, <docket>").
    expect(minute).toMatchObject({
      title: 'Minute entry from 2021-05-20',
      documentNumber: null,
      docket: '1:21-cv-00280',
      caseName: 'Xiaomi Corporation v. Department of Defense',
    });
  });

  it('webhook body: payload.results entries with court, docket id, caption and document link', () => {
    const body = parseCourtListenerWebhook(
      JSON.parse(fixture('courtlistener/docket_alert_webhook_constructed.json').toString('utf8')),
    );
    expect(body.eventType).toBe(1);
    expect(body.items).toEqual([
      expect.objectContaining({
        guid: 'courtlistener:docket-entry:210763800',
        title: 'Entry #221 in United States v. Hinds County',
        link: 'https://www.courtlistener.com/docket/4302575/',
        court: 'mssd',
        caseName: 'United States v. Hinds County',
        documentNumber: '221',
        documentUrl:
          'https://www.courtlistener.com/docket/4302575/221/united-states-v-hinds-county/',
        publishedAt: '2022-11-02T00:00:00.000Z',
      }),
    ]);
  });

  it('webhook body: the help page dummy (results at the top) reads too; garbage is refused', () => {
    const dummy = JSON.parse(
      fixture('courtlistener/docket_alert_webhook_constructed.json').toString('utf8'),
    );
    expect(
      parseCourtListenerWebhook({ results: dummy.payload.results, webhook: dummy.webhook }).items,
    ).toHaveLength(1);
    expect(() => parseCourtListenerWebhook({ payload: {} })).toThrow(/payload\.results/);
    expect(() => parseCourtListenerWebhook('x')).toThrow(/not a JSON object/);
  });
});
