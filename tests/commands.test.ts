// The command core on the real fixture lists: what Slack, Discord and the CLI all call.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCommand } from '../src/commands/run.js';
import { renderReplyText } from '../src/commands/render-text.js';
import type { CommandContext } from '../src/commands/context.js';
import { NameMatcher } from '../src/names/matcher.js';
import { evalIndex } from './helpers/matching-eval.js';
import type { Harness } from './helpers/poll-harness.js';

describe('commands', () => {
  let h: Harness;
  let ctx: CommandContext;
  const run = (text: string, channel = 'slack:C1') => runCommand(text, { ...ctx, channel });
  beforeAll(async () => {
    h = await evalIndex();
    ctx = {
      db: h.db,
      matcher: new NameMatcher(h.db),
      sources: [{ id: 'csl', kind: 'csl', url: 'x', schedule: '0 * * * *', options: {} }],
      channel: 'slack:C1',
    };
  });
  afterAll(() => h.close());

  describe('lookup', () => {
    it('groups one company across lists, with dates, programs and links', () => {
      const r = run('lookup Huawei Technologies');
      expect(r.ok).toBe(true);
      const data = r.data as {
        results: {
          name: string;
          listings: {
            list: string;
            listedOn: string | null;
            current: boolean;
            url: string | null;
          }[];
        }[];
      };
      const huawei = data.results[0]!;
      expect(new Set(huawei.listings.map((l) => l.list))).toEqual(
        new Set(['NS-CMIC', 'DoD 1260H']),
      );
      expect(huawei.listings.every((l) => l.current)).toBe(true);
      expect(huawei.listings.find((l) => l.list === 'NS-CMIC')!.listedOn).toBe('2021-06-03');
      const text = renderReplyText(r);
      expect(text).toMatch(/On now: DoD 1260H · listed 2021-06-03/);
      expect(text).toMatch(/NS-CMIC · listed 2021-06-03 · CMIC-EO13959 \(2 sources\)/);
      expect(text).toContain('https://sanctionssearch.ofac.treas.gov/Details.aspx?id=30947');
      expect(r.visibility).toBe('private');
    });

    it('puts exact names before exact aliases before fuzzy matches, and says which alias matched', () => {
      const r = run('lookup Huawei');
      const sections = r.sections.map((s) => [s.title, s.fields[0]!.value]);
      expect(sections[0]).toEqual([
        'Huawei Technologies Co., Ltd.',
        'Huawei (alias) — exact alias, score 1.00',
      ]);
      expect(sections[1]).toEqual([
        'Huawei Investment & Holding Co., Ltd.',
        'Huawei Holding (alias) — the name with generic words more, score 0.89',
      ]);
    });

    it('caps the results and says how many more', () => {
      const r = runCommand('lookup China Aerospace Science and Technology', {
        ...ctx,
        maxResults: 1,
      });
      expect(r.sections).toHaveLength(1);
      expect(r.footer).toMatch(/^and \d+ more$/);
    });

    it('answers "not listed" with its scope', () => {
      const r = run('lookup Xiaomi Corporation');
      expect(r.ok).toBe(true);
      expect(r.summary).toMatch(
        /^"Xiaomi Corporation" is not on any of the 14 tracked lists \(as of \d{4}-\d\d-\d\d \d\d:\d\d UTC\)\.$/,
      );
    });

    it('refuses a generic word instead of matching every Chinese company', () => {
      const r = run('lookup china');
      expect(r.ok).toBe(false);
      expect(r.summary).toMatch(/too generic/);
    });

    it('drops the invisible characters a copied name brings, and answers as if typed', () => {
      const typed = run('lookup Huawei Technologies');
      for (const q of [
        'Hua\u200bwei Tech\u00adnologies',
        '\ufeffHuawei\u200d Technologies\u200e',
        'Hua\u2060wei Technologies',
      ]) {
        const r = run(`lookup ${q}`);
        expect(r.ok, q).toBe(true);
        expect(r.data, q).toEqual(typed.data);
      }
    });

    it('treats FTS syntax in the query as text', () => {
      for (const q of [
        '"huawei" OR *',
        'NEAR(huawei tech)',
        'huawei AND -tech',
        "huawei'; DROP TABLE designations; --",
      ]) {
        const r = run(`lookup ${q}`);
        expect(r.summary).not.toMatch(/wrong on our side/);
      }
      expect(h.db.prepare('SELECT count(*) FROM designations').pluck().get()).toBeGreaterThan(0);
    });
  });

  describe('bad input gets a short usage message', () => {
    it.each([
      ['lookup', /Usage: \/sanctions lookup <company name \| identifier> \(give a company name\)/],
      [`lookup ${'x'.repeat(201)}`, /201 characters long; 200 at most/],
      ['lookup huawei\u0007', /control characters/],
      ['lookup huawei\u202e', /control characters/],
      ['frobnicate', /Unknown command "frobnicate"/],
      ['subscribe --list "Nonexistent List"', /unknown list "Nonexistent List"/],
      ['subscribe --source nope', /unknown source "nope"/],
      ['subscribe technology', /too generic to follow/],
      ['subscribe --all huawei', /give one of/],
      ['unsubscribe 999', /no such subscription/],
    ])('%s', (text, message) => {
      const r = run(text);
      expect(r.ok).toBe(false);
      expect(r.summary).toMatch(message);
      expect(r.summary.length).toBeLessThan(400);
      expect(r.summary).not.toMatch(/\n\s+at /);
    });
  });

  describe('subscriptions', () => {
    it('subscribes, lists with ids, refuses duplicates, unsubscribes by id and by name', () => {
      const ch = 'discord:42';
      const a = run('subscribe Hesai', ch);
      expect(a.summary).toMatch(
        /^This channel now follows "Hesai" \(subscription #\d+\)\. It matches 1 entity now \(1 currently listed\): Hesai Technology Co\., Ltd\.\.$/,
      );
      expect(a.visibility).toBe('channel');
      const b = run('subscribe --list "entity list"', ch);
      expect(b.summary).toMatch(/now follows the Entity List list/);
      const c = run('subscribe --source csl', ch);
      expect(c.summary).toMatch(/now follows source csl/);
      expect(run('subscribe HESAI', ch).summary).toMatch(
        /^This channel already follows "Hesai" \(subscription #\d+\)/,
      );
      const list = run('subscriptions', ch);
      expect(list.sections[0]!.lines).toEqual([
        expect.stringMatching(
          /^#\d+ "Hesai" \(since \d{4}-\d\d-\d\d\) — listed now: Hesai Technology Co\., Ltd\. \(DoD 1260H\)$/,
        ),
        expect.stringMatching(/^#\d+ the Entity List list/),
        expect.stringMatching(/^#\d+ source csl/),
      ]);
      const id = /#(\d+)/.exec(list.sections[0]!.lines[1]!)![1];
      expect(run(`unsubscribe ${id}`, ch).summary).toMatch(
        /no longer follows the Entity List list/,
      );
      expect(run('unsubscribe Hesai', ch).summary).toMatch(/no longer follows "Hesai"/);
      expect(run('subscriptions', 'slack:OTHER').summary).toMatch(/follows nothing yet/);
    });

    it('follows a bare identifier number, and ends it by that number or by its id', () => {
      const ch = 'slack:IDS';
      expect(run('subscribe 2024', ch).summary).toMatch(/too generic to follow/);
      // Eight letters have a SWIFT/BIC code's shape; a generic word is still refused.
      expect(run('subscribe SERVICES', ch).summary).toMatch(/too generic to follow/);
      const a = run('subscribe 9187629', ch);
      expect(a.summary).toMatch(/^This channel now follows "9187629" \(subscription #\d+\)/);
      const b = run('subscribe IMO 7406784', ch);
      expect(run('unsubscribe 9187629', ch).summary).toBe(
        `This channel no longer follows "9187629" (#${(a.data as { subscription: { id: number } }).subscription.id}).`,
      );
      const id = (b.data as { subscription: { id: number } }).subscription.id;
      expect(run(`unsubscribe ${id}`, ch).summary).toBe(
        `This channel no longer follows "IMO 7406784" (#${id}).`,
      );
      expect(run('subscriptions', ch).summary).toMatch(/follows nothing yet/);
      // Typed another way than it was followed: the same identifier.
      const c = run('subscribe Tax ID No. 111 601 632 100', ch);
      expect(run('subscribe 111601632100', ch).summary).toMatch(
        /^This channel already follows "Tax ID No\. 111 601 632 100"/,
      );
      expect(run('unsubscribe imo 111601632101', ch).summary).toMatch(/no such subscription/);
      expect(run('unsubscribe 111601632100', ch).summary).toBe(
        `This channel no longer follows "Tax ID No. 111 601 632 100" (#${(c.data as { subscription: { id: number } }).subscription.id}).`,
      );
    });

    it('allows following a company that is not listed yet, and says so', () => {
      const r = run('subscribe "Xiaomi Corporation"', 'slack:C9');
      expect(r.ok).toBe(true);
      expect(r.summary).toMatch(
        /Nothing on the tracked lists matches it yet: this channel will hear if it is listed\./,
      );
    });

    it('says where each followed company stands today, by name or identifier', () => {
      const ch = 'slack:STAND';
      for (const t of [
        'subscribe Xiaomi Corporation',
        'subscribe Huawei',
        'subscribe --list NS-CMIC',
      ])
        expect(run(t, ch).ok).toBe(true);
      const r = run('subscriptions', ch);
      expect(r.summary).toMatch(
        /^This channel follows 3 things\. Listed now: 1 of 2 followed companies \(as of \d{4}-\d\d-\d\d \d\d:\d\d UTC\)\.$/,
      );
      const lines = r.sections.find((s) => s.title === 'Subscriptions')!.lines;
      expect(lines[0]).toMatch(/^#\d+ "Xiaomi Corporation" \(since .+\) — on no tracked list$/);
      expect(lines[1]).toMatch(
        /^#\d+ "Huawei" \(since .+\) — listed now: Huawei Technologies Co\., Ltd\. \(DoD 1260H, NS-CMIC\); Huawei Investment & Holding Co\., Ltd\. \(DoD 1260H, NS-CMIC\)$/,
      );
      expect(lines[2]).toMatch(/^#\d+ the NS-CMIC list \(since .+\)$/);
      const data = r.data as {
        subscriptions: {
          target: { value: string };
          standing?: { listed: { name: string; lists: string[] }[] };
        }[];
      };
      expect(data.subscriptions[0]!.standing).toEqual({ listed: [], formerly: [] });
      expect(data.subscriptions[1]!.standing!.listed[0]).toEqual({
        name: 'Huawei Technologies Co., Ltd.',
        lists: ['DoD 1260H', 'NS-CMIC'],
      });
      expect(data.subscriptions[2]).not.toHaveProperty('standing');
    });
  });

  describe('history and sources', () => {
    it('gives the timeline of one entity across lists', () => {
      const r = run('history AVIC');
      expect(r.summary).toMatch(
        /^History of .*AVIATION INDUSTRY CORPORATION OF CHINA|^History of Aviation Industry/i,
      );
      expect(r.sections[0]!.lines.join('\n')).toMatch(
        /2021-06-03 {2}on (NS-CMIC|DoD 1260H) \(listed 2021-06-03/,
      );
    });

    it('shows the health of each configured source', () => {
      const r = run('sources');
      expect(r.sections[0]!.fields).toContainEqual({ label: 'Status', value: 'ok' });
      expect(r.sections[0]!.fields).toContainEqual({ label: 'Records', value: '92' });
      // The lists no source carries, each with how to add it.
      expect(r.sections.at(-1)).toMatchObject({ title: 'Not covered by these sources' });
      expect(r.sections.at(-1)!.lines).toEqual([
        expect.stringMatching(
          /^UFLPA Entity List: .* opt in to OpenSanctions us_dhs_uflpa .*CC BY-NC/,
        ),
        expect.stringMatching(/^FCC Covered List: /),
      ]);
      const withUflpa = runCommand('sources', {
        ...ctx,
        sources: [
          ...ctx.sources,
          {
            id: 'uflpa',
            kind: 'opensanctions-csv',
            url: 'x',
            schedule: '0 * * * *',
            options: { list: 'UFLPA Entity List' },
          },
        ],
      });
      expect(
        (withUflpa.data as { notCovered: { list: string }[] }).notCovered.map((u) => u.list),
      ).toEqual(['FCC Covered List']);
    });

    it('help lists the verbs', () => {
      expect(run('help').sections[0]!.lines.map((l) => l.split(' ')[0])).toEqual([
        'lookup',
        'subscribe',
        'unsubscribe',
        'subscriptions',
        'history',
        'portfolio',
        'sources',
        'review',
        'cleared',
        'test',
        'doctor',
      ]);
    });
  });
});
