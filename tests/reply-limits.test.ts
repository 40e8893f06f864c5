// A long answer in chat: a channel that follows 200 companies asks for its subscriptions. Slack
// takes 50 blocks of 3,000 characters, a Discord embed's description 4,096: each shows as many
// whole lines as fit, each with its id for unsubscribe, and counts the rest.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { embedSize } from '../adapters/discord/embeds.js';
import { replyData } from '../adapters/discord/reply-embeds.js';
import { replyMessage } from '../adapters/slack/reply-blocks.js';
import { addSubscription } from '../db/subscriptions.js';
import { runCommand } from '../src/commands/run.js';
import type { Reply } from '../src/commands/reply.js';
import { NameMatcher } from '../src/names/matcher.js';
import { packLines } from '../src/text/limits.js';
import { evalIndex } from './helpers/matching-eval.js';
import type { Harness } from './helpers/poll-harness.js';

/** The subscription lines shown, and the count of those not shown. */
function shownAndMore(texts: string[]): { shown: number; more: number } {
  const lines = texts.flatMap((t) => t.split('\n'));
  const more = lines.map((l) => /^… and (\d+) more$/.exec(l)).find(Boolean);
  return {
    shown: lines.filter((l) => /^\\?#\d+ /.test(l)).length,
    more: more ? Number(more[1]) : 0,
  };
}

describe("a channel's 200 subscriptions in chat", () => {
  let h: Harness;
  let reply: Reply;
  beforeAll(async () => {
    h = await evalIndex();
    const names = h.db
      .prepare(
        "SELECT DISTINCT json_extract(record, '$.name') FROM designations ORDER BY id LIMIT 200",
      )
      .pluck()
      .all() as string[];
    expect(names).toHaveLength(200);
    for (const [i, name] of names.entries())
      addSubscription(
        h.db,
        'slack:C0888',
        { kind: 'entity', value: name },
        `2026-11-${String(1 + (i % 28)).padStart(2, '0')}T00:00:00Z`,
      );
    reply = runCommand('subscriptions', {
      db: h.db,
      matcher: new NameMatcher(h.db),
      sources: [],
      channel: 'slack:C0888',
    });
  });
  afterAll(() => h.close());

  it('says how many are looked up', () => {
    expect(reply.summary).toMatch(
      /^This channel follows 200 things\. Listed now: \d+ of 100 followed companies \(the first 100 of 200; lookup tells the rest\)/,
    );
  });

  it('Slack: as many 3,000-character sections as 50 blocks allow, whole lines, the rest counted', () => {
    const { blocks } = replyMessage(reply);
    expect(blocks.length).toBeLessThanOrEqual(50);
    const texts = blocks.flatMap((b) => (b.type === 'section' && b.text ? [b.text.text] : []));
    for (const t of texts) expect(t.length).toBeLessThanOrEqual(3000);
    const { shown, more } = shownAndMore(texts);
    expect(shown + more).toBe(200);
    // More than one section's worth: the old single clipped section showed 22.
    expect(shown).toBeGreaterThan(60);
  });

  it('Discord: one description of at most 4,096 characters, whole lines, the rest counted', () => {
    const { embeds } = replyData(reply);
    const description = embeds.find((e) => e.title === 'Subscriptions')!.description!;
    expect(description.length).toBeLessThanOrEqual(4096);
    const { shown, more } = shownAndMore([description]);
    expect(shown).toBeGreaterThan(10);
    expect(shown + more).toBe(200);
  });
});

describe('a Discord answer larger than one message', () => {
  it('stays within 6,000 characters across its embeds, cutting the longest fields first, and counts what it leaves out', () => {
    // Twelve entities with long fields (a lookup of a name on many lists, with many addresses).
    const sections = Array.from({ length: 12 }, (_, i) => ({
      title: `Entity ${i + 1}`,
      url: null,
      fields: [
        { label: 'Matched', value: 'similar name, score 0.91' },
        { label: 'Addresses', value: 'Street 1, City\n'.repeat(90) },
        { label: 'On now', value: 'SDN · listed 2024-04-12' },
      ],
      lines: [],
    }));
    const r: Reply = {
      verb: 'lookup',
      ok: true,
      visibility: 'private',
      summary: '12 matches for "x"',
      sections,
      data: {},
    };
    const { embeds, content } = replyData(r);
    const size = embeds.reduce((n, e) => n + embedSize(e), 0);
    expect(size).toBeLessThanOrEqual(6000);
    expect(embeds.length).toBeGreaterThanOrEqual(4);
    expect(embeds[0]!.fields!.map((f) => f.name)).toEqual(['Matched', 'Addresses', 'On now']);
    expect(embeds[0]!.fields![2]!.value).toBe('SDN · listed 2024\\-04\\-12'); // escaped Markdown
    expect(content).toBe(
      `12 matches for "x"\n(${12 - embeds.length} more sections not shown: a Discord message holds 10, and 6,000 characters)`,
    );
  });
});

describe('packLines', () => {
  it('packs whole lines, clips only a line longer than a part, and counts what is left', () => {
    expect(packLines(['a', 'b', 'c'], 10, 1)).toEqual(['a\nb\nc']);
    expect(packLines(['aaaa', 'bbbb', 'cccc'], 9, 2)).toEqual(['aaaa\nbbbb', 'cccc']);
    expect(packLines(['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee'], 22, 1)).toEqual([
      'aaaa\nbbbb\n… and 3 more',
    ]);
    expect(packLines(['aaaa', 'bbbb', 'cccc', 'dddd', 'eeee'], 21, 1)).toEqual([
      'aaaa\n… and 4 more',
    ]);
    expect(packLines(['x'.repeat(30)], 10, 1)).toEqual([`${'x'.repeat(9)}…`]);
    expect(packLines([], 10, 3)).toEqual([]);
  });
});
