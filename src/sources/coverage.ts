// US lists that name Chinese companies and that no built-in source reads as a list, with how to
// add each: the `sources` answer says which of them the configuration does not cover.
import type { SourceConfig } from '../domain.js';

export interface UncoveredList {
  list: string;
  why: string;
  optIn: string;
}

const OPT_IN: UncoveredList[] = [
  {
    list: 'UFLPA Entity List',
    why: 'DHS publishes it as Federal Register notices and a web page, with no machine-readable file; its notices are alerted by fr-dhs and fr-inspection, read in full',
    optIn:
      'opt in to OpenSanctions us_dhs_uflpa (kind opensanctions-csv, list "UFLPA Entity List"; CC BY-NC 4.0, commercial use needs their licence)',
  },
  {
    list: 'FCC Covered List',
    why: 'the FCC publishes it only as a web page',
    optIn:
      'opt in to OpenSanctions us_fcc_covered_list (kind opensanctions-csv, list "FCC Covered List"; CC BY-NC 4.0)',
  },
];

/** The lists above that no configured source carries (by its `list` option or label). */
export function uncoveredLists(sources: SourceConfig[]): UncoveredList[] {
  const carried = sources.flatMap((s) =>
    [s.options.list, s.label]
      .filter((x): x is string => typeof x === 'string')
      .map((x) => x.toLowerCase()),
  );
  return OPT_IN.filter((u) => !carried.some((c) => c.includes(u.list.toLowerCase())));
}
