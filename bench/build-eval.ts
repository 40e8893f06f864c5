// Builds the name-matching evaluation set from the real fixture lists: queries users would type
// for listed names (published aliases, legal-form and case variants, typos, reordered personal
// names, British spellings, other spacing, acronyms, short names, Cyrillic look-alikes) and
// negatives (real companies on no tracked list, parties of real court captions, generic phrases).
// Split into a development half (tuned on) and a held-out half (reported, never tuned on) by a
// seeded hash of the query, so a query always lands in the same half.
//   node --import tsx bench/build-eval.ts   (rewrites tests/fixtures/matching/{dev,test}.json)
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { activeListingNames } from '../db/name-index.js';
import { splitCaseTitle } from '../src/feeds/docket.js';
import type { DesignationRecord } from '../src/domain.js';
import { acronymsOf } from '../src/names/acronym.js';
import { isGenericWord, normalizeName } from '../src/names/normalize.js';
import { FIXTURES } from '../tests/helpers/fixtures.js';
import { evalIndex } from '../tests/helpers/matching-eval.js';
import { rng } from '../tests/helpers/rng.js';
import { currentRecords } from '../tests/helpers/stored.js';

interface Positive {
  kind: string;
  query: string;
  expect: string[];
}
interface Negative {
  kind: string;
  query: string;
}

const rand = rng(20261127);
const pick = <T>(xs: T[]): T => xs[Math.floor(rand() * xs.length)]!;
const shuffle = <T>(xs: T[]): T[] => {
  const a = [...xs];
  for (let i = a.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
};

const h = await evalIndex();
const records = currentRecords(h.db);
// Which entities each normalised name or alias belongs to: a query that names two is ambiguous.
const owners = new Map<string, Set<string>>();
for (const n of activeListingNames(h.db)) {
  const set = owners.get(n.normalized) ?? new Set();
  set.add(normalizeName(n.name));
  owners.set(n.normalized, set);
}
const unambiguous = (query: string) => (owners.get(normalizeName(query))?.size ?? 0) <= 1;
const companies = records.filter(
  (r) => r.type !== 'individual' && normalizeName(r.name).length >= 4,
);
const people = records.filter((r) => r.type === 'individual' && r.name.includes(','));

const positives: Positive[] = [];
const seen = new Set<string>();
const addPositive = (kind: string, query: string, r: DesignationRecord) => {
  const q = query.replace(/\s+/g, ' ').trim();
  if (!q || seen.has(q.toLowerCase()) || !unambiguous(q)) return false;
  seen.add(q.toLowerCase());
  positives.push({ kind, query: q, expect: [r.name] });
  return true;
};
const take = (
  kind: string,
  n: number,
  from: DesignationRecord[],
  make: (r: DesignationRecord) => string | null,
) => {
  let got = 0;
  for (const r of shuffle(from)) {
    if (got >= n) break;
    const q = make(r);
    if (q && q !== r.name && addPositive(kind, q, r)) got++;
  }
};

// The hand-written cases of the first evaluation set stay in.
const first = JSON.parse(readFileSync(join(FIXTURES, 'matching', 'handwritten.json'), 'utf8')) as {
  positives: Positive[];
  negatives: Negative[];
};
for (const p of first.positives) {
  if (seen.has(p.query.toLowerCase())) continue;
  seen.add(p.query.toLowerCase());
  positives.push(p);
}

const distinctiveWords = (name: string) =>
  name.split(/\s+/).filter((w) => /^[A-Za-z]{6,}$/.test(w) && !isGenericWord(w.toLowerCase()));

// Published aliases (OFAC a.k.a.s, CSL alt_names, DoD "also known as"): weak ones and transliterations included.
take(
  'alias',
  90,
  records.filter((r) => r.aliases.length),
  (r) => {
    const a = pick(r.aliases);
    return normalizeName(a) !== normalizeName(r.name) && normalizeName(a).length >= 3 ? a : null;
  },
);
// Case, punctuation and legal-form variants.
const LEGAL: [RegExp, string][] = [
  [/\bCo\.,? Ltd\.?/i, 'Company Limited'],
  [/\bCompany Limited\b/i, 'Co Ltd'],
  [/\bCorporation\b/i, 'Corp'],
  [/\bLimited\b/i, 'Ltd'],
  [/\bLLC\b/, 'L.L.C.'],
  [/\bInc\.?/i, 'Incorporated'],
  [/,? (Co\.,? )?Ltd\.?$/i, ''],
];
take('legal-suffix', 50, companies, (r) => {
  const rule = LEGAL.find(([re]) => re.test(r.name));
  if (!rule) return null;
  const q = r.name.replace(rule[0], rule[1]);
  return rand() < 0.5 ? q.toLowerCase() : q;
});
// One-letter typos in the longest distinctive word.
take('typo', 55, companies, (r) => {
  const words = distinctiveWords(r.name);
  if (!words.length) return null;
  const w = words.sort((a, b) => b.length - a.length)[0]!;
  const i = 1 + Math.floor(rand() * (w.length - 2));
  const edits = [
    w.slice(0, i) + w.slice(i + 1),
    w.slice(0, i) + w[i + 1] + w[i] + w.slice(i + 2),
    w.slice(0, i) + 'aeiou'[Math.floor(rand() * 5)] + w.slice(i + 1),
  ];
  const typo = pick(edits);
  return typo === w ? null : r.name.replace(w, typo);
});
// Personal names as people write them: "Given Family" for OFAC's "FAMILY, Given".
take('reordered', 30, people, (r) => {
  const [family, given] = r.name.split(',', 2).map((s) => s.trim());
  return given ? `${given} ${family}` : null;
});
// British spellings of names OFAC prints in American ones.
const BRITISH: [RegExp, string][] = [
  [/CENTER\b/i, 'Centre'],
  [/IZATION\b/i, 'isation'],
  [/\bDEFENSE\b/i, 'Defence'],
  [/\bLABOR\b/i, 'Labour'],
  [/\bALUMINUM\b/i, 'Aluminium'],
  [/\bPROGRAM\b/i, 'Programme'],
  [/\bHARBOR\b/i, 'Harbour'],
  [/\bTHEATER\b/i, 'Theatre'],
  [/IZED\b/i, 'ised'],
  [/\bFIBER\b/i, 'Fibre'],
];
take(
  'british',
  30,
  records.filter((r) => r.type !== 'individual'),
  (r) => {
    const rule = BRITISH.find(([re]) => re.test(r.name));
    return rule ? r.name.replace(rule[0], rule[1]) : null;
  },
);
// Other spacing: two words joined, or one long word split.
take('spacing', 30, companies, (r) => {
  const words = r.name.split(/\s+/);
  const long = words.findIndex((w) => /^[A-Za-z]{8,}$/.test(w) && !isGenericWord(w.toLowerCase()));
  if (long >= 0 && rand() < 0.5) {
    const w = words[long]!;
    const at = 3 + Math.floor(rand() * (w.length - 6));
    words[long] = `${w.slice(0, at)} ${w.slice(at)}`;
    return words.join(' ');
  }
  const j = words.findIndex(
    (w, k) =>
      k + 1 < words.length &&
      /^[A-Za-z]{3,}$/.test(w) &&
      /^[A-Za-z]{3,}$/.test(words[k + 1]!) &&
      !isGenericWord(w.toLowerCase()),
  );
  if (j < 0) return null;
  words.splice(j, 2, words[j]! + words[j + 1]!.toLowerCase());
  return words.join(' ');
});
// Acronyms: the ones published in parentheses, and a name's initials where a list gives them as an alias.
take('acronym', 25, companies, (r) => {
  const paren = r.name.match(/\(([A-Z][A-Z0-9-]{2,7})\)/)?.[1];
  if (paren && !isGenericWord(paren.toLowerCase())) return paren;
  const inits = acronymsOf(r.name).filter((a) => a.length >= 4);
  const published = r.aliases.find((a) => inits.includes(normalizeName(a)));
  return published ?? null;
});
// Short names: published aliases of three letters.
take('short', 15, companies, (r) => r.aliases.find((a) => /^[A-Za-z]{3}$/.test(a.trim())) ?? null);
// Cyrillic look-alikes typed into a Latin name.
const LOOK: Record<string, string> = {
  a: 'а',
  e: 'е',
  o: 'о',
  c: 'с',
  p: 'р',
  x: 'х',
  A: 'А',
  E: 'Е',
  O: 'О',
  C: 'С',
  P: 'Р',
  X: 'Х',
};
take('lookalike', 25, companies, (r) => {
  const chars = [...r.name];
  const at = chars.map((ch, i) => (LOOK[ch] ? i : -1)).filter((i) => i >= 0);
  if (!at.length) return null;
  for (const i of shuffle(at).slice(0, 2)) chars[i] = LOOK[chars[i]!]!;
  return chars.join('');
});

// Negatives: real companies on none of the indexed lists, many sharing words with listed ones.
const COMPANIES = [
  'Apple Inc.',
  'Microsoft Corporation',
  'Alphabet Inc.',
  'Amazon.com, Inc.',
  'Meta Platforms, Inc.',
  'Toyota Motor Corporation',
  'Siemens AG',
  'Nestle S.A.',
  'Samsung Electronics Co., Ltd.',
  'Sony Group Corporation',
  'BASF SE',
  'Volkswagen AG',
  'Unilever PLC',
  'HSBC Holdings plc',
  'Deutsche Bank AG',
  'BNP Paribas SA',
  'Banco Santander, S.A.',
  'JPMorgan Chase & Co.',
  'Goldman Sachs Group, Inc.',
  'Morgan Stanley',
  'Royal Dutch Shell',
  'BP p.l.c.',
  'TotalEnergies SE',
  'Exxon Mobil Corporation',
  'Chevron Corporation',
  'ConocoPhillips',
  'Petroleo Brasileiro S.A.',
  'Saudi Arabian Oil Company',
  'Equinor ASA',
  'Eni S.p.A.',
  'Repsol S.A.',
  'Maersk Line',
  'CMA CGM',
  'Mediterranean Shipping Company',
  'Hapag-Lloyd AG',
  'Evergreen Marine Corporation',
  'Boeing Company',
  'Airbus SE',
  'Lockheed Martin',
  'Raytheon Technologies',
  'General Dynamics',
  'Northrop Grumman',
  'BAE Systems plc',
  'Thales Group',
  'Leonardo S.p.A.',
  'Rheinmetall AG',
  'Intel Corporation',
  'Advanced Micro Devices',
  'NVIDIA Corporation',
  'Qualcomm Incorporated',
  'Broadcom Inc.',
  'Texas Instruments',
  'Taiwan Semiconductor Manufacturing Company',
  'ASML Holding N.V.',
  'Applied Materials',
  'Lam Research',
  'Tokyo Electron Limited',
  'Infineon Technologies AG',
  'STMicroelectronics',
  'NXP Semiconductors',
  'Micron Technology',
  'SK Hynix',
  'Foxconn Technology Group',
  'Lenovo Group Limited',
  'Xiaomi Corporation',
  'Tencent Holdings Limited',
  'Alibaba Group Holding Limited',
  'Baidu, Inc.',
  'JD.com, Inc.',
  'NetEase, Inc.',
  'Meituan',
  'Pinduoduo Inc.',
  'ByteDance Ltd.',
  'BYD Company Limited',
  'Geely Automobile Holdings',
  'NIO Inc.',
  'XPeng Inc.',
  'Li Auto Inc.',
  'Contemporary Amperex Technology',
  'Ping An Insurance',
  'China Merchants Bank',
  'Industrial Bank Co., Ltd.',
  'Bank of Communications',
  'Agricultural Bank of China',
  'Industrial and Commercial Bank of China',
  'China Life Insurance Company',
  'China Southern Airlines Company Limited',
  'Air China Limited',
  'China Eastern Airlines',
  'Hainan Airlines Holding',
  'Cathay Pacific Airways',
  'Sinopec Shanghai Petrochemical',
  'PetroChina Company Limited',
  'China Shenhua Energy',
  'Midea Group',
  'Haier Smart Home',
  'Gree Electric Appliances',
  'Anta Sports',
  'Li Ning Company',
  'Kweichow Moutai',
  'Wuliangye Yibin',
  'Yili Group',
  'Mengniu Dairy',
  'WH Group',
  'Fosun International',
  'Country Garden Holdings',
  'Evergrande Group',
  'Vanke',
  'Sunac China Holdings',
  'Longfor Group',
  'Anbang Insurance',
  'Dalian Wanda Group',
  'Yandex N.V.',
  'Kaspersky Lab',
  'Magnit PJSC',
  'X5 Retail Group',
  'Lukoil',
  'Novatek',
  'Severstal',
  'Norilsk Nickel',
  'Polyus',
  'MTS PJSC',
  'Tinkoff Bank',
  'Ozon Holdings',
  'Aeroflot',
  'Turkish Airlines',
  'Emirates Airline',
  'Qatar Airways',
  'Etihad Airways',
  'Saudi Aramco',
  'Reliance Industries',
  'Tata Consultancy Services',
  'Infosys Limited',
  'Wipro Limited',
  'HDFC Bank',
  'ICICI Bank',
  'State Bank of India',
  'Petronas',
  'Pertamina',
  'Singapore Airlines',
  'DBS Bank',
  'Keppel Corporation',
  'Sembcorp Industries',
  'Hyundai Motor Company',
  'Kia Corporation',
  'LG Electronics',
  'POSCO Holdings',
  'Hanwha Aerospace',
  'Nintendo Co., Ltd.',
  'Panasonic Holdings',
  'Hitachi, Ltd.',
  'Toshiba Corporation',
  'Mitsubishi Heavy Industries',
  'Fujitsu Limited',
  'Nokia Corporation',
  'Ericsson',
  'Vodafone Group',
  'Deutsche Telekom',
  'Orange S.A.',
  'Telefonica S.A.',
  'Verizon Communications',
  'AT&T Inc.',
  'T-Mobile US',
  'Comcast Corporation',
  'Walt Disney Company',
  'Netflix, Inc.',
  'Panda Express',
  'Banco de Chile',
  'Mobile Telesystems',
  'Pacific Gas and Electric',
  'Global Mobile Logistics',
  'Eastern Trading Company',
];
const GENERIC = [
  'China',
  'Technology',
  'Corp',
  'Group',
  'Holdings',
  'International Trading',
  'Bank',
  'Limited',
  'Co., Ltd.',
  'Import Export',
  'Trading Company',
  'Global Logistics',
  'Shipping Line',
  'Industrial Group',
  'Investment Holding',
  'Engineering Services',
  'National Bank',
  'Research Institute',
  'Electronics Co',
  'Petroleum Company',
  'Science and Technology',
  'General Trading LLC',
  'Marine Services',
  'Aviation Industry',
  'State Corporation',
  'United States of America',
  'Department of Justice',
  'Federal Government',
  'Central Bank',
  'Energy Resources',
];
const negatives: Negative[] = [];
const seenNeg = new Set<string>();
const listed = (q: string) => owners.has(normalizeName(q));
const addNegative = (kind: string, query: string) => {
  const q = query.replace(/\s+/g, ' ').trim();
  if (q.length < 2 || seenNeg.has(q.toLowerCase()) || listed(q)) return;
  seenNeg.add(q.toLowerCase());
  negatives.push({ kind, query: q });
};
for (const n of first.negatives) addNegative(n.kind, n.query);
for (const c of COMPANIES) addNegative('unlisted-company', c);
for (const g of GENERIC) addNegative('generic', g);
// Parties of the real court captions in the PACER fixtures (none of them is on a list).
for (const f of ['pacer_rss/cadc.xml', 'pacer_rss/mdb_1.xml', 'pacer_rss/sdny_1_excerpt.xml']) {
  const xml = readFileSync(join(FIXTURES, f), 'utf8');
  for (const m of xml.matchAll(/<title>([^<]+)<\/title>/g)) {
    const { caseName } = splitCaseTitle(m[1]!.replace(/&amp;/g, '&'));
    for (const party of caseName.split(/\s+v\.?\s+|\s+vs\.?\s+/i)) {
      const p = party
        .replace(/\bet al\.?$/i, '')
        .replace(/^In re:?\s*/i, '')
        .trim();
      if (p.split(/\s+/).length >= 2 && p.length <= 80) addNegative('court-party', p);
    }
  }
}

// The split: a seeded FNV-1a hash of the query puts it in the same half every time.
const half = (q: string) => {
  let x = 0x811c9dc5 ^ 0x5eed;
  for (const ch of q) x = Math.imul(x ^ ch.codePointAt(0)!, 0x01000193) >>> 0;
  return x % 2 === 0 ? 'dev' : 'test';
};
const about =
  'Name-matching evaluation. Index: the real fixture lists loaded by tests/helpers/matching-eval.ts. Built by bench/build-eval.ts (seeded) from those lists and from real unlisted company names and the parties of the real PACER captions; split into dev (tuned on) and test (held out) by a seeded hash of the query. Each positive expects the published name of the entity its query was made from.';
for (const which of ['dev', 'test'] as const) {
  const set = {
    about: `${about} This is the ${which === 'dev' ? 'development' : 'held-out test'} half.`,
    positives: positives.filter((p) => half(p.query) === which),
    negatives: negatives.filter((n) => half(n.query) === which),
  };
  writeFileSync(join(FIXTURES, 'matching', `${which}.json`), `${JSON.stringify(set, null, 1)}\n`);
  console.log(which, set.positives.length, 'positives', set.negatives.length, 'negatives');
}
const count = (xs: { kind: string }[]) =>
  Object.entries(
    xs.reduce<Record<string, number>>((a, x) => ((a[x.kind] = (a[x.kind] ?? 0) + 1), a), {}),
  );
console.log('positives by kind', count(positives), 'negatives by kind', count(negatives));
h.close();
