// An in-memory index from words to the names that contain them, tolerant of one typo per word
// (symmetric delete over the distinct words: "huawei" is also filed under "uawei", "hawei", ...
// "huawe", and a probe word is looked up with its own one-letter deletions). For a name it finds
// every indexed name that nameScore could accept, which needs a shared distinctive word, exact or
// one edit away for words of five letters or more.
import { isGenericWord } from './normalize.js';

const MIN_TYPO_LENGTH = 5;

function deletions(word: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < word.length; i++) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** The deletions an indexed word is filed under (none for words too short to allow a typo). */
export function indexedDeletions(word: string): string[] {
  return word.length >= MIN_TYPO_LENGTH ? deletions(word) : [];
}

/**
 * How a probe word finds the indexed words one edit away (symmetric delete): indexed words equal
 * to one of `direct`, and indexed words filed under one of `near` by indexedDeletions.
 */
export function probeTerms(word: string): { direct: string[]; near: string[] } {
  const direct = [word];
  const near: string[] = [];
  if (word.length >= MIN_TYPO_LENGTH - 1) {
    near.push(word);
    for (const d of word.length >= MIN_TYPO_LENGTH ? deletions(word) : []) {
      if (d.length >= MIN_TYPO_LENGTH) direct.push(d);
      near.push(d);
    }
  }
  return { direct, near };
}

export class TokenIndex<T> {
  /** Word → values of the names holding it. */
  private postings = new Map<string, T[]>();
  /** One-letter deletion of a word → the indexed words it came from (built per distinct word). */
  private near = new Map<string, string[]>();

  add(normalized: string, value: T): void {
    for (const word of new Set(normalized.split(' '))) {
      if (!word || isGenericWord(word)) continue;
      const list = this.postings.get(word);
      if (list) {
        list.push(value);
        continue;
      }
      this.postings.set(word, [value]);
      for (const d of indexedDeletions(word)) {
        const words = this.near.get(d);
        if (words) words.push(word);
        else this.near.set(d, [word]);
      }
    }
  }

  /** Indexed words equal to `word` or one edit away (for words long enough to allow a typo). */
  private wordsNear(word: string): Set<string> {
    const out = new Set<string>();
    const { direct, near } = probeTerms(word);
    for (const w of direct) if (this.postings.has(w)) out.add(w);
    for (const d of near) for (const w of this.near.get(d) ?? []) out.add(w);
    return out;
  }

  /** Values of indexed names sharing a distinctive word, or a word one edit away, with `normalized`. */
  candidates(normalized: string): Set<T> {
    const out = new Set<T>();
    for (const word of new Set(normalized.split(' '))) {
      if (!word) continue;
      for (const w of this.wordsNear(word)) for (const v of this.postings.get(w)!) out.add(v);
    }
    return out;
  }
}
