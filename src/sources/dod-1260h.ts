// The DoD Section 1260H list of "Chinese military companies", built from the Federal Register,
// where the DoD publishes it: each full edition ("Notice of Availability of Designation of
// Chinese Military Companies"), and designation and removal notices between editions. The names
// stand in each notice's SUPPLEMENTARY INFORMATION, one to a paragraph, aliases in parentheses;
// the 2026 edition follows each name with a paragraph of reasons. Pure: the poller fetches the
// search answer and each notice's text (kinds.ts `follow`), this reads them.
import type { DesignationRecord, ListSnapshot } from '../domain.js';
import { normalizeKeyName } from '../names/key.js';
import { readDocumentText } from './fr-full-text.js';
import { listSnapshot } from './list-snapshot.js';
import { frResults } from './fr-answer.js';
import { ParseError } from './parse.js';

export const DOD_1260H_LIST = 'DoD 1260H';

export type NoticeKind = 'edition' | 'additions' | 'removals';

export interface Notice1260h {
  documentNumber: string;
  kind: NoticeKind;
  title: string;
  /** YYYY-MM-DD. */
  publishedOn: string;
  /** "91 FR 35189"; null while on public inspection. */
  citation: string | null;
  url: string;
  /** Where its full text is: raw text first, the XML otherwise. */
  textUrl: string;
}

export interface NamedCompany {
  name: string;
  aliases: string[];
  /** The paragraph that follows the name when it gives the reasons (2026 edition on). */
  reasons: string | null;
}

/** The body name under which the poller hands over a notice's text. */
export const noticeBody = (documentNumber: string): string => `notice:${documentNumber}`;

interface FrDoc {
  document_number?: unknown;
  title?: unknown;
  action?: unknown;
  publication_date?: unknown;
  citation?: unknown;
  html_url?: unknown;
  raw_text_url?: unknown;
  full_text_xml_url?: unknown;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v.trim() : null);

/** What a notice does to the list, from its title and action; null for a document about something else. */
export function noticeKind(title: string, action: string | null): NoticeKind | null {
  const text = `${title} ${action ?? ''}`;
  if (!/chinese military compan/i.test(text)) return null;
  if (/\bremov/i.test(text)) return 'removals';
  // "Notice of Availability ..." (2025, 2026), and the first list of 2021 ("... Under the William M.
  // (Mac) Thornberry NDAA for FY21"), name every company on the list; the rest add to it.
  if (/notice of availability|under the william m\.|thornberry ndaa/i.test(title)) return 'edition';
  if (/designation of chinese military compan|addition/i.test(text)) return 'additions';
  return null;
}

/** The 1260H notices in a documents.json answer, oldest first. */
export function listNotices(body: Uint8Array): Notice1260h[] {
  const out: Notice1260h[] = [];
  for (const d of frResults(body) as FrDoc[]) {
    const number = str(d?.document_number);
    const title = str(d?.title);
    const date = str(d?.publication_date);
    if (!number || !title || !date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) continue;
    const kind = noticeKind(title, str(d.action));
    if (!kind) continue;
    const textUrl = str(d.raw_text_url) ?? str(d.full_text_xml_url);
    if (!textUrl)
      throw new ParseError(
        `notice ${number} comes without raw_text_url or full_text_xml_url: its names cannot be read`,
      );
    out.push({
      documentNumber: number,
      kind,
      title,
      publishedOn: date,
      citation: str(d.citation),
      url: str(d.html_url) ?? `https://www.federalregister.gov/d/${number}`,
      textUrl,
    });
  }
  return out.sort(
    (a, b) =>
      a.publishedOn.localeCompare(b.publishedOn) ||
      a.documentNumber.localeCompare(b.documentNumber),
  );
}

// Words of a sentence, not of a company's name: a paragraph with one of them (outside its
// parentheses) is prose (the statute, the determination, the reasons), not a listed name.
const PROSE =
  /\b(?:is|are|was|were|be|been|has|have|had|shall|should|may|will|must|requires?|determined|qualif(?:y|ies)|pursuant|accordance|section|publish(?:es|ed)?|identified|designated|removed|contact|notice|reconsideration|following|directly|indirectly)\b/i;
const ORGANISATION =
  /\b(?:co|company|companies|corp|corporation|ltd|limited|inc|incorporated|llc|group|holdings?|institute|academy|university|technolog(?:y|ies)|industr(?:y|ies)|bureau|administration|center|centre|factory|enterprises?|partners|international|electronics|shipping|semiconductors?|aviation|aerospace|networks?|systems|communications|energy)\b/i;
const LEGAL_FORM = /^(?:limited|ltd\.?|inc\.?|co\.?,? ?ltd\.?|corporation|company)$/i;
const ALIAS_LEAD = /^(?:also known as|a\.?k\.?a\.?|formerly(?: known as)?|f\/k\/a|previously)\s+/i;

/** A listed company from one paragraph, or null when the paragraph is prose or a heading. */
export function companyOf(paragraph: string): NamedCompany | null {
  let p = paragraph
    .replace(/^(?:\(?\d{1,3}[.)]|[•·*–-])\s+/, '')
    .replace(/[\s*;,]+$/, '')
    .replace(/\s+and$/, '')
    .trim();
  if (
    p.length < 3 ||
    p.length > 250 ||
    /[:]$/.test(p) ||
    !/^[A-Z0-9]/.test(p) ||
    /https?:|@|\(\d{3}\)/.test(p)
  )
    return null;
  const aliases: string[] = [];
  // Trailing parentheses are aliases: "(Qihoo 360)", "(also known as Hesai Technology Co., Ltd.)".
  let kept = '';
  for (let m = /\s*\(([^()]+)\)\s*\*?$/.exec(p); m; m = /\s*\(([^()]+)\)\s*\*?$/.exec(p)) {
    const inner = m[1]!.trim();
    p = p.slice(0, m.index).trim();
    // "China Communications Construction Group (Limited) (CCCG)": a legal form in parentheses is
    // part of the name as DoD prints it, not another name.
    if (LEGAL_FORM.test(inner)) {
      kept = ` (${inner})${kept}`;
      break;
    }
    const alias = inner.replace(ALIAS_LEAD, '').trim();
    if (alias) aliases.unshift(alias);
  }
  p += kept;
  p = p.replace(/\*+$/, '').trim();
  if (
    !p ||
    PROSE.test(p) ||
    p.split(/\s+/).length > 25 ||
    /\.$/.test(p.replace(/\b(?:Co|Ltd|Inc|Corp|L\.L\.C|S\.A|Pte|N\.V|B\.V)\.$/i, ''))
  )
    return null;
  if (!ORGANISATION.test(p) && aliases.length === 0) return null;
  return { name: p, aliases, reasons: null };
}

/** The companies a notice names, in its order; a paragraph of reasons after a name goes with it. */
export function namesInNotice(body: Uint8Array, what: string): NamedCompany[] {
  const { supplementary } = readDocumentText(body, what);
  const out: NamedCompany[] = [];
  for (const p of supplementary) {
    const company = companyOf(p);
    if (company) {
      out.push(company);
      continue;
    }
    const last = out[out.length - 1];
    // Reasons cite the statute ("(Section 1260H(g)(2)(B)(i)(I))"); the closing prose does not.
    if (last && !last.reasons && /Section 1260H\(/.test(p)) last.reasons = p;
  }
  return out;
}

/** One listing while the notices are read in order. */
interface Listing {
  key: string;
  company: NamedCompany;
  since: Notice1260h;
}

/** The names by which a listing is found again in a later notice: its name, and aliases long enough to be its own. */
function namesOf(c: NamedCompany): string[] {
  return [c.name, ...c.aliases].map(normalizeKeyName).filter((n) => n.length >= 3);
}

/**
 * The list as the notices make it: each edition replaces the list (a company it no longer names
 * is removed), designation notices add, removal notices remove. A company named again under a
 * new name or with new aliases keeps its listing, found by any name it shares with it.
 */
export function replayNotices(notices: { notice: Notice1260h; companies: NamedCompany[] }[]): {
  records: DesignationRecord[];
  warnings: string[];
} {
  let listings = new Map<string, Listing>();
  const warnings: string[] = [];
  // By its printed name first, then by any alias: two companies of one notice never become one.
  const find = (
    c: NamedCompany,
    pool: Map<string, Listing>,
    taken?: Map<string, Listing>,
  ): Listing | undefined => {
    const free = [...pool.values()].filter((l) => !taken?.has(l.key));
    const name = normalizeKeyName(c.name);
    const names = new Set(namesOf(c));
    return (
      free.find((l) => normalizeKeyName(l.company.name) === name) ??
      free.find((l) => namesOf(l.company).some((n) => names.has(n)))
    );
  };
  for (const { notice, companies } of notices) {
    const where = `${notice.documentNumber} (${notice.title}, ${notice.publishedOn})`;
    if (companies.length === 0) {
      // A notice of changes that names no one is a text we could not read: the poll fails with why.
      if (notice.kind !== 'edition')
        throw new ParseError(`${where} names no company that could be read from its text`);
      // An edition that names no one empties the list, which the shrink guard holds back: the
      // previous list stands until the edition is read, or an operator accepts it.
      warnings.push(`${where} names no company that could be read`);
    }
    if (notice.kind === 'removals') {
      for (const c of companies) {
        const l = find(c, listings);
        if (l) listings.delete(l.key);
        else warnings.push(`${where} removes "${c.name}", which is not on the list as read`);
      }
      continue;
    }
    const next = notice.kind === 'edition' ? new Map<string, Listing>() : listings;
    for (const c of companies) {
      const before = find(c, listings, next === listings ? undefined : next);
      const key = before?.key ?? `1260h:${normalizeKeyName(c.name)}`;
      if (next.has(key) && next !== listings) {
        warnings.push(`${where} names "${c.name}" twice; the first is kept`);
        continue;
      }
      next.set(key, {
        key,
        company:
          before && !c.reasons && before.company.reasons
            ? { ...c, reasons: before.company.reasons }
            : c,
        since: before?.since ?? notice,
      });
    }
    listings = next;
  }
  const records = [...listings.values()].map(({ key, company, since }): DesignationRecord => ({
    key,
    list: DOD_1260H_LIST,
    name: company.name,
    aliases: company.aliases,
    type: 'entity',
    programs: [],
    countries: ['CN'],
    addresses: [],
    listedOn: since.publishedOn,
    citation: since.citation,
    url: since.url,
    remarks: company.reasons,
  }));
  return { records, warnings };
}

/**
 * The list from the search answer (`main`) and the text of each notice (`notice:<number>`). A
 * notice whose text is missing or unreadable fails the whole poll: a list read without one of its
 * notices would be wrong in ways no guard can see.
 */
export function parseDod1260h(bodies: Record<string, Uint8Array | undefined>): ListSnapshot {
  const notices = listNotices(bodies.main!);
  if (notices.length === 0)
    throw new ParseError(
      'the Federal Register answer lists no Section 1260H notice (is the query right?)',
    );
  const read = notices.map((notice) => {
    const body = bodies[noticeBody(notice.documentNumber)];
    if (!body) throw new ParseError(`the full text of ${notice.documentNumber} was not fetched`);
    return { notice, companies: namesInNotice(body, `the full text of ${notice.documentNumber}`) };
  });
  if (!read.some((r) => r.notice.kind === 'edition' && r.companies.length > 0)) {
    throw new ParseError(
      'no full edition of the list could be read from the notices found: the list cannot be built from additions and removals alone',
    );
  }
  const { records, warnings } = replayNotices(read);
  return listSnapshot(records, warnings);
}
