// A fast 53-bit fingerprint of strings (cyrb53, public domain): the diff compares one number per
// list entry instead of building and serialising 15,000 records. Not cryptographic: it only has to
// tell an entry's source text from that same entry's next version, where a 2^-53 chance of a miss
// is far below the chance of the source itself misprinting.
export class Fingerprint {
  private h1: number;
  private h2: number;

  constructor(seed = 0) {
    this.h1 = 0xdeadbeef ^ seed;
    this.h2 = 0x41c6ce57 ^ seed;
  }

  /** Adds a string and a separator after it, so ["ab", "c"] and ["a", "bc"] differ. */
  add(text: string): this {
    let { h1, h2 } = this;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    // U+001F (unit separator) never appears in the text of a list.
    this.h1 = Math.imul(h1 ^ 0x1f, 2654435761);
    this.h2 = Math.imul(h2 ^ 0x1f, 1597334677);
    return this;
  }

  /**
   * Adds bytes start..end and a separator: ~3× faster per character than `add` on the same text
   * read as a string (8 against 23 ms for the 3.9 MB SDN file).
   */
  addBytes(bytes: Uint8Array, start: number, end: number): this {
    let { h1, h2 } = this;
    for (let i = start; i < end; i++) {
      const c = bytes[i]!;
      h1 = Math.imul(h1 ^ c, 2654435761);
      h2 = Math.imul(h2 ^ c, 1597334677);
    }
    this.h1 = Math.imul(h1 ^ 0x1f, 2654435761);
    this.h2 = Math.imul(h2 ^ 0x1f, 1597334677);
    return this;
  }

  /** Adds each string of a list, then an end mark, so a value moved between two lists counts. */
  addAll(texts: readonly string[] | undefined): this {
    if (texts) for (const t of texts) this.add(t);
    return this.add('\x1e');
  }

  value(): number {
    let { h1, h2 } = this;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return 4294967296 * (2097151 & h2) + (h1 >>> 0);
  }
}

export function fingerprint(text: string, seed = 0): number {
  return new Fingerprint(seed).add(text).value();
}
