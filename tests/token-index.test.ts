import { describe, expect, it } from 'vitest';
import { TokenIndex } from '../src/names/token-index.js';

describe('TokenIndex', () => {
  const ix = new TokenIndex<string>();
  for (const n of [
    'huawei technologies',
    'hesai',
    'peretyatko ruslan aleksandrovich',
    'china mobile',
    'zte',
  ])
    ix.add(n, n);
  const find = (q: string) => [...ix.candidates(q)].sort();

  it.each([
    ['huawei', ['huawei technologies']],
    ['huawai', ['huawei technologies']], // substitution
    ['huawe', ['huawei technologies']], // deletion
    ['huaweii', ['huawei technologies']], // insertion
    ['peretyatco', ['peretyatko ruslan aleksandrovich']],
    ['mobile', ['china mobile']],
    ['china', []], // generic words are not indexed
    ['zte', ['zte']],
    ['zta', []], // short words: exact only
    ['hesia', ['hesai']], // a transposition is a candidate (nameScore then refuses it: two edits)
  ])('%s → %j', (q, want) => expect(find(q)).toEqual(want));
});
