// An in-memory index from words to the names that contain them, tolerant of one typo per word
// (symmetric delete: "huawei" is also filed under "uawei", "hawei", ... "huawe", and a probe
// word is looked up with its own one-letter deletions). For a name it finds every indexed name
// that nameScore could accept, which needs a shared distinctive word, exact or one edit away for
// words of five letters or more.
import { GENERIC_WORDS } from './normalize.js';

const MIN_TYPO_LENGTH = 5;

function keysOf(word: string): string[] {
  const keys = [word];
  if (word.length >= MIN_TYPO_LENGTH) for (let i = 0; i < word.length; i++) keys.push(word.slice(0, i) + word.slice(i + 1));
  return keys;
}

export class TokenIndex<T> {
  private postings = new Map<string, T[]>();

  add(normalized: string, value: T): void {
    const keys = new Set<string>();
    for (const word of normalized.split(' ')) if (word && !GENERIC_WORDS.has(word)) for (const k of keysOf(word)) keys.add(k);
    for (const key of keys) {
      const list = this.postings.get(key);
      if (list) list.push(value);
      else this.postings.set(key, [value]);
    }
  }

  /** Values of indexed names sharing a distinctive word, or a word one edit away, with `normalized`. */
  candidates(normalized: string): Set<T> {
    const out = new Set<T>();
    for (const word of new Set(normalized.split(' '))) {
      if (!word) continue;
      for (const key of keysOf(word)) for (const v of this.postings.get(key) ?? []) out.add(v);
    }
    return out;
  }
}
