// Docket numbers as PACER writes them, reduced to one comparable form. Pure.
//   district   "1:21-cv-00280-RC", "1:18-mj-03122-1"  → "1:21-cv-00280", "1:18-mj-03122"
//   appellate  "22-1406"                              → "22-1406"
//   bankruptcy "18-00079"                             → "18-00079"
// The judge initials and defendant numbers that follow a district number are not part of the case.

const DISTRICT = /^(\d{1,2}):(\d{2})-([a-z]{1,4})-(\d{1,7})(?:-[a-z0-9]{1,5})*$/i;
const DISTRICT_NO_OFFICE = /^(\d{2})-([a-z]{1,4})-(\d{1,7})(?:-[a-z0-9]{1,5})*$/i;
const SHORT = /^(\d{2})-(\d{1,7})$/;

export interface Docket {
  /** The canonical docket number: district numbers padded to five digits. */
  number: string;
  /** Divisional office ("1" of "1:21-cv-00280"), null where the number has none. */
  office: string | null;
  /** The number without its office: what two spellings of one case share. */
  core: string;
}

const pad = (n: string) => n.padStart(5, '0');

/** Reads one docket number as typed by a user or printed by a court; null when it is none. */
export function parseDocket(text: string): Docket | null {
  const s = text.trim();
  let m = DISTRICT.exec(s);
  if (m) {
    const core = `${m[2]}-${m[3]!.toLowerCase()}-${pad(m[4]!)}`;
    return { number: `${Number(m[1])}:${core}`, office: String(Number(m[1])), core };
  }
  m = DISTRICT_NO_OFFICE.exec(s);
  if (m) {
    const core = `${m[1]}-${m[2]!.toLowerCase()}-${pad(m[3]!)}`;
    return { number: core, office: null, core };
  }
  m = SHORT.exec(s);
  if (m) return { number: s, office: null, core: s };
  return null;
}

/** The docket number at the start of a PACER title and the caption after it. */
export function splitCaseTitle(title: string): { docket: Docket | null; caseName: string } {
  const t = title.trim();
  const space = t.search(/\s/);
  const head = space < 0 ? t : t.slice(0, space);
  const docket = parseDocket(head);
  if (!docket) return { docket: null, caseName: t };
  return { docket, caseName: space < 0 ? '' : t.slice(space).trim() };
}

/** True when a followed docket (possibly without office) names the same case as an entry's. */
export function sameCase(followed: Docket, entry: Docket): boolean {
  return (
    followed.core === entry.core &&
    (followed.office === null || entry.office === null || followed.office === entry.office)
  );
}
