// Finds the companies a feed item names: tracked listings ("1:24-cv-02003 HESAI GROUP v.
// DEPARTMENT OF DEFENSE" → Hesai) and names channels follow that are on no list ("XIAOMI
// CORPORATION et al v. DEPARTMENT OF DEFENSE et al" → Xiaomi). Pure: names are handed in.
import type { Mention } from '../domain.js';
import { isDistinctive, isGenericWord, normalizeName } from '../names/normalize.js';

const MAX_PHRASE_TOKENS = 10;

export interface MentionName {
  /** Normalised name or alias, matched as whole words. */
  normalized: string;
  mention: Omit<Mention, 'matched'>;
}

/**
 * Where a one-word listed name may be found. Lists carry one-word aliases that are ordinary
 * words ("CASTLE", "CRYSTAL", "FOREST", "PHOENIX"): inside a court caption such a word names a
 * party only when it is the whole party ("HESAI GROUP et al v. ..."), and in prose only when it is
 * written as a proper name ("BIS adds Megvii"). Names of two words or more, and names a channel
 * follows, count wherever they appear.
 */
export interface FindContext {
  /** The parties of a court caption ("XIAOMI CORPORATION", "U.S. DEPARTMENT OF DEFENSE et al"). */
  parties?: string[];
}

/** The parties of a caption: "A et al v. B" → ["A et al", "B"]. */
export function captionParties(caseName: string | null | undefined): string[] | undefined {
  if (!caseName) return undefined;
  return caseName
    .split(/\s+(?:v|vs)\.?\s+|;|\s+and\s+(?=[A-Z])/i)
    .map((p) => p.trim())
    .filter(Boolean);
}

/** A party's distinctive core: "Hikvision USA, Inc." → "hikvision". */
function partyCore(party: string): string[] {
  const n = normalizeName(party);
  const core = n
    .split(' ')
    .filter((t) => t && !isGenericWord(t))
    .join(' ');
  return core && core !== n ? [n, core] : [n];
}

export class MentionIndex {
  private byPhrase = new Map<string, Omit<Mention, 'matched'>[]>();
  /** Every leading part of every phrase: a scan stops extending a phrase as soon as none fits. */
  private prefixes = new Set<string>();

  constructor(names: Iterable<MentionName>) {
    for (const { normalized: n, mention } of names) {
      // Generic words alone ("asia pacific trading") never make a mention.
      if (!isDistinctive(n) || n.split(' ').length > MAX_PHRASE_TOKENS) continue;
      const list = this.byPhrase.get(n);
      if (!list) {
        this.byPhrase.set(n, [mention]);
        const words = n.split(' ');
        for (let i = 1; i < words.length; i++) this.prefixes.add(words.slice(0, i).join(' '));
      } else if (
        !list.some(
          (e) => e.key === mention.key && e.list === mention.list && e.name === mention.name,
        )
      )
        list.push(mention);
    }
  }

  get size(): number {
    return this.byPhrase.size;
  }

  /** Companies whose name or alias appears as whole words in the text, listed ones first. */
  find(text: string, ctx: FindContext = {}): Mention[] {
    const tokens = normalizeName(text).split(' ').filter(Boolean);
    const found: { m: Mention; from: number; to: number }[] = [];
    let oneWordOk: ((w: string) => boolean) | undefined;
    const mayStand = (w: string): boolean => {
      if (!oneWordOk) {
        const allowed = new Set<string>(
          ctx.parties
            ? ctx.parties.flatMap(partyCore)
            : (text.match(/\p{Lu}[\p{L}\p{N}'’]*/gu) ?? []).map((word) => normalizeName(word)),
        );
        oneWordOk = (x) => allowed.has(x);
      }
      return oneWordOk(w);
    };
    for (let i = 0; i < tokens.length; i++) {
      let phrase = '';
      for (let j = i; j < Math.min(tokens.length, i + MAX_PHRASE_TOKENS); j++) {
        phrase = phrase ? `${phrase} ${tokens[j]}` : tokens[j]!;
        const hits = this.byPhrase.get(phrase);
        if (hits) {
          for (const m of hits) {
            if (m.list !== null && i === j && !mayStand(phrase)) continue;
            found.push({ m: { ...m, matched: phrase }, from: i, to: j });
          }
        }
        if (!this.prefixes.has(phrase)) break;
      }
    }
    // The longest name wins its words: "HUAWEI TECHNOLOGIES CO." names Huawei Technologies, not
    // every listing that has "Huawei" as an alias. A followed name is never dropped this way.
    const kept = found.filter(
      (f) =>
        f.m.list === null ||
        !found.some(
          (g) =>
            g.m.list !== null && g.from <= f.from && g.to >= f.to && g.to - g.from > f.to - f.from,
        ),
    );
    // One company on three lists is one mention per list, not one per alias; a followed name
    // that is also a listed company's name adds nothing.
    const seen = new Set<string>();
    const out: Mention[] = [];
    for (const { m } of kept.sort(
      (a, b) =>
        Number(a.m.list === null) - Number(b.m.list === null) ||
        b.m.matched.length - a.m.matched.length,
    )) {
      const id = m.list === null ? `sub\u0000${m.matched}` : `${m.list}\u0000${m.key}`;
      if (seen.has(id)) continue;
      if (m.list === null && out.some((o) => o.list !== null && o.matched === m.matched)) continue;
      seen.add(id);
      out.push(m);
    }
    return out;
  }
}

/**
 * Listed mentions with the followed names found in the same text by a second index: listed ones
 * first, and a followed name that is also a listed company's name adds nothing.
 */
export function withFollowed(listed: Mention[], followed: Mention[]): Mention[] {
  return [...listed, ...followed.filter((m) => !listed.some((o) => o.matched === m.matched))];
}
