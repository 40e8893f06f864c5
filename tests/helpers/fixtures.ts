import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OfacCsvFiles } from '../../src/sources/ofac-csv.js';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures');

export function fixture(path: string): Buffer {
  return readFileSync(join(FIXTURES, path));
}

/**
 * The real OFAC CSV files a poll downloads together: the SDN list's trio and comments (July 2021
 * excerpt), or the consolidated non-SDN list's (its NS-CMIC rows among them).
 */
export function ofacCsvFiles(list: 'sdn' | 'consolidated'): OfacCsvFiles {
  const [primary, alt, add, comments] =
    list === 'sdn'
      ? ['sdn.csv', 'alt.csv', 'add.csv', 'sdn_comments.csv']
      : ['cons_prim.csv', 'cons_alt.csv', 'cons_add.csv', 'cons_comments.csv'];
  return {
    primary: fixture(`ofac/${primary}`),
    alt: fixture(`ofac/${alt}`),
    add: fixture(`ofac/${add}`),
    comments: fixture(`ofac/${comments}`),
  };
}
