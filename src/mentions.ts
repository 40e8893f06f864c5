// Finds the tracked entities a feed item names ("1:24-cv-02003 HESAI GROUP v. DEPARTMENT OF
// DEFENSE" → Hesai). Pure: the index is built from names handed in.
import type { DesignationRecord, EntityRef } from './domain.js';
import { entityRef } from './alerts/derive.js';
import { entityNames } from './names/entity-names.js';
import { isDistinctive, normalizeName } from './names/normalize.js';

const MAX_PHRASE_TOKENS = 10;

export class MentionIndex {
  private byPhrase = new Map<string, EntityRef[]>();

  constructor(records: Iterable<DesignationRecord>) {
    for (const r of records) {
      const ref = entityRef(r);
      for (const { normalized: n } of entityNames(r)) {
        if (!isDistinctive(n) || n.split(' ').length > MAX_PHRASE_TOKENS) continue;
        const list = this.byPhrase.get(n);
        if (!list) this.byPhrase.set(n, [ref]);
        else if (!list.some((e) => e.name === ref.name)) list.push(ref);
      }
    }
  }

  get size(): number {
    return this.byPhrase.size;
  }

  /** Entities whose full name or alias appears as whole words in the text. */
  find(text: string): EntityRef[] {
    const tokens = normalizeName(text).split(' ').filter(Boolean);
    const found = new Map<string, EntityRef>();
    for (let i = 0; i < tokens.length; i++) {
      let phrase = '';
      for (let j = i; j < Math.min(tokens.length, i + MAX_PHRASE_TOKENS); j++) {
        phrase = phrase ? `${phrase} ${tokens[j]}` : tokens[j]!;
        for (const ref of this.byPhrase.get(phrase) ?? []) found.set(`${ref.name}\u0000${ref.key}`, ref);
      }
    }
    // One company listed on three lists is one mention.
    const byName = new Map<string, EntityRef>();
    for (const ref of found.values()) if (!byName.has(ref.name.toLowerCase())) byName.set(ref.name.toLowerCase(), ref);
    return [...byName.values()];
  }
}
