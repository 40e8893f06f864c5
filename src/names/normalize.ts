// Name normalisation for matching. Pure functions; the same code serves lookups, routing and
// mention detection, so a name that matches in one place matches in all of them.
import { distance } from 'fastest-levenshtein';
import { normalizeKeyName } from './key.js';
import { americanSpelling, latinWord } from './spelling.js';

/** Legal forms and boilerplate that say nothing about which company it is. */
export const LEGAL_FORMS = new Set([
  // Not "holding": "Huawei Investment & Holding" is not "Huawei Investment", nor is its alias
  // "Huawei Holding" plain "Huawei" (the name of Huawei Technologies).
  'co',
  'company',
  'corp',
  'corporation',
  'inc',
  'incorporated',
  'ltd',
  'limited',
  'llc',
  'plc',
  'group',
  'sa',
  'ag',
  'gmbh',
  'bv',
  'nv',
  'srl',
  'spa',
  'jsc',
  'pjsc',
  'ojsc',
  'cjsc',
  'ooo',
  'oao',
  'zao',
  'llp',
  'lp',
  'pte',
  'pty',
  'the',
  'sdn',
  'bhd',
  'kg',
  'kft',
  'as',
  'ab',
  'oy',
  'sas',
  'sarl',
  'de',
  'cv',
  'ca',
  'sae',
  'sal',
  'ltda',
  'cia',
  'doo',
  'ad',
  'dd',
  'tov',
  'ao',
  'pao',
  'fze',
  'fzco',
  'fzc',
  'fzllc',
  'pt',
  'tbk',
  'kk',
  'sl',
  'sro',
  'spolka',
  'gmbh',
  'mbh',
  'ug',
  'ohg',
  'eood',
  'ood',
  'ag',
  // Russian and Turkish company-form words, spelled out in OFAC's transliteration.
  'obshchestvo',
  'aktsionernoe',
  'otvetstvennostyu',
  'ogranichennoi',
  'ogranichennoy',
  'publichnoe',
  'zakrytoe',
  'otkrytoe',
  'sirketi',
  'anonim',
  'ticaret',
  'sanayi',
]);

const CONNECTORS = new Set(['and', 'of', 'for', 'the', 've', 'y', 'et', 'und']);

/** Whole phrases that trail Entity List names or court captions. */
const BOILERPLATE =
  /\band any successor,? sub-?unit,? or subsidiary thereof\b|\bet al\b\.?|\b(?:public ?|open ?|closed ?)?joint ?stock ?company\b|\blimited ?liability ?company\b/giu;

const BOILERPLATE_HINT = /et al|successor|stock compan|liability compan/i;

/** "S.A." or "L.L.C.": dotted initials are one word, usually a legal form. */
const DOTTED = /\b(?:[A-Za-z]\.){2,}/g;

export function normalizeName(name: string): string {
  // Apostrophes join, they do not split: XI'AN is "xian", BARA'A is "baraa".
  // Look-alike letters first, so "Joint Stoсk Company" (a Cyrillic с) is still boilerplate.
  const latin = NON_LATIN.test(name)
    ? name.replace(/\S+/g, (w) => latinWord(w.toLowerCase()))
    : name;
  let s = latin.replace(/&/g, ' and ').replace(DOTTED, (m) => m.replace(/\./g, ''));
  // The costlier patterns run only where they can match (court feeds scan thousands of captions).
  if (/['’`]/.test(s)) s = s.replace(/(\p{L})['’`](\p{L})/gu, '$1$2');
  if (BOILERPLATE_HINT.test(s)) s = s.replace(BOILERPLATE, ' ');
  // Parenthesised acronyms are aliases, not part of the name: "(AVIC)", "(Huawei)".
  s = s.replace(/\([^)]*\)/g, ' ');
  // One pass, no intermediate arrays: court feeds normalise tens of thousands of names a poll.
  const tokens: string[] = [];
  const kept: string[] = [];
  for (const raw of normalizeKeyName(s).split(' ')) {
    if (!raw) continue;
    const word = canonicalWord(raw);
    const glued = word.length >= 8 ? GLUED.exec(word) : null;
    for (const t of glued ? [glued[1]!, glued[2]!] : [word]) {
      tokens.push(t);
      if (!LEGAL_FORMS.has(t) && !misspeltLegalForm(t)) kept.push(t);
    }
  }
  // "X & Holding Co." leaves a dangling "and" once the legal forms are gone.
  while (kept.length > 1 && CONNECTORS.has(kept[kept.length - 1]!)) kept.pop();
  while (kept.length > 1 && CONNECTORS.has(kept[0]!)) kept.shift();
  // A name made only of legal forms ("The Company") keeps its words rather than vanish.
  return (kept.length > 0 ? kept : tokens).join(' ');
}

/** The legal forms that make a name a company's (not "group", "the", Spanish "de"). */
const COMPANY_FORMS = new Set([
  'co',
  'company',
  'corp',
  'corporation',
  'inc',
  'incorporated',
  'ltd',
  'limited',
  'llc',
  'plc',
  'sa',
  'ag',
  'gmbh',
  'bv',
  'nv',
  'srl',
  'spa',
  'jsc',
  'pjsc',
  'ojsc',
  'cjsc',
  'ooo',
  'oao',
  'zao',
  'llp',
  'pte',
  'pty',
  'bhd',
  'kft',
  'oy',
  'sas',
  'sarl',
  'ltda',
  'doo',
  'tov',
  'pao',
  'fze',
  'fzco',
  'fzc',
  'fzllc',
  'tbk',
  'kk',
  'sro',
  'mbh',
]);

/** Whether a name carries a company's legal form ("Alphabet Inc.", "Leonardo S.p.A.", "PJSC X"). */
export function hasCompanyForm(name: string): boolean {
  const s = name.replace(DOTTED, (m) => m.replace(/\./g, ''));
  if (/joint\s*stock\s*company|limited\s*liability\s*company/i.test(s)) return true;
  return normalizeKeyName(s)
    .split(' ')
    .some((t) => COMPANY_FORMS.has(t));
}

const LONG_FORMS = ['group', 'limited', 'company', 'corporation', 'incorporated'];
const NON_LATIN = /[\u0370-\u03ff\u0400-\u04ff]/;
/** "INSPURgroup", "TELECOMcorporation": a legal form glued to the name by a lost space. */
const GLUED = /^([a-z]{3,}?)(group|limited|company|corporation|incorporated)$/;

/** "Grop", "Limted", "Compnay": a legal form with a typo is still a legal form. */
function misspeltLegalForm(t: string): boolean {
  if (t.length < 4 || t.length > 13) return false;
  const c = t.charCodeAt(0);
  // g, l, c, i: the first letters of the long forms.
  if (c !== 103 && c !== 108 && c !== 99 && c !== 105) return false;
  for (const f of LONG_FORMS)
    if (f.charCodeAt(0) === c && Math.abs(f.length - t.length) <= 1 && distance(f, t) === 1)
      return true;
  return false;
}

/** Abbreviations written out, so "Intl Tech Corp" and "International Technology Corporation" are one name. */
const ABBREVIATIONS: Record<string, string> = {
  intl: 'international',
  tech: 'technology',
  techs: 'technologies',
  technol: 'technology',
  mfg: 'manufacturing',
  mfr: 'manufacturer',
  ind: 'industry',
  inds: 'industries',
  indus: 'industries',
  engg: 'engineering',
  elec: 'electronics',
  electr: 'electronics',
  natl: 'national',
  univ: 'university',
  devt: 'development',
  svc: 'service',
  svcs: 'services',
  comms: 'communications',
  pharm: 'pharmaceutical',
  pharma: 'pharmaceutical',
  chem: 'chemical',
  chems: 'chemicals',
  equip: 'equipment',
  mach: 'machinery',
  mgmt: 'management',
  mgt: 'management',
  assoc: 'association',
  bros: 'brothers',
  ctr: 'center',
  dept: 'department',
  govt: 'government',
  hldg: 'holding',
  hldgs: 'holding',
  holdings: 'holding',
  mkt: 'market',
  trdg: 'trading',
  petrochem: 'petrochemical',
  shpg: 'shipping',
  transp: 'transport',
};

const ABBREV = new Map(Object.entries(ABBREVIATIONS));

/** One spelling per word: American spelling, abbreviations written out. */
function canonicalWord(word: string): string {
  const w = americanSpelling(word);
  return ABBREV.get(w) ?? w;
}

/** Acronyms and short names given in parentheses count as aliases. */
export function parentheticalAliases(name: string): string[] {
  const out: string[] = [];
  for (const m of name.matchAll(/\(([^)]{2,60})\)/g)) {
    const inner = m[1]!.trim();
    // "(China)" or "(formerly ...)" are not aliases; a short proper name or acronym is.
    if (/^(formerly|a\.?k\.?a\.?|f\.?k\.?a\.?|see|also)\b/i.test(inner)) continue;
    if (/^[A-Z0-9][\w .&'-]*$/.test(inner) && inner.split(/\s+/).length <= 4) out.push(inner);
  }
  return out;
}

/**
 * Countries, regions and cities, and the adjectives of countries: where a company is, not which
 * one it is. Two names placed in different ones name different companies.
 */
export const PLACES = new Set([
  'china',
  'chinese',
  'beijing',
  'shanghai',
  'shenzhen',
  'hong',
  'kong',
  'russia',
  'russian',
  'iran',
  'iranian',
  'korea',
  'korean',
  'america',
  'american',
  'saudi',
  'arabia',
  'arabian',
  'syria',
  'syrian',
  'iraq',
  'iraqi',
  'lebanon',
  'lebanese',
  'cuba',
  'cuban',
  'venezuela',
  'venezuelan',
  'belarus',
  'belarusian',
  'turkey',
  'turkish',
  'ukraine',
  'ukrainian',
  'pakistan',
  'pakistani',
  'afghanistan',
  'afghan',
  'yemen',
  'yemeni',
  'libya',
  'libyan',
  'sudan',
  'sudanese',
  'emirates',
  'uae',
  'india',
  'indian',
  'japan',
  'japanese',
  'germany',
  'german',
  'france',
  'french',
  'italy',
  'italian',
  'spain',
  'spanish',
  'britain',
  'british',
  'singapore',
  'malaysia',
  'malaysian',
  'thailand',
  'vietnam',
  'vietnamese',
  'indonesia',
  'indonesian',
  'mexico',
  'mexican',
  'colombia',
  'colombian',
  'panama',
  'nicaragua',
  'burma',
  'myanmar',
  'cyprus',
  'egypt',
  'egyptian',
  'qatar',
  'kuwait',
  'oman',
  'bahrain',
  'jordan',
  'israel',
  'kazakhstan',
  'uzbekistan',
  'armenia',
  'georgia',
  'azerbaijan',
  'serbia',
  'latvia',
  'estonia',
  'lithuania',
  'finland',
  'switzerland',
  'swiss',
  'netherlands',
  'dutch',
  'europe',
  'european',
  'asia',
  'asian',
  'africa',
  'african',
  'sichuan',
  'hubei',
  'hunan',
  'guangdong',
  'jiangsu',
  'zhejiang',
  'shandong',
  'henan',
  'hebei',
  'fujian',
  'anhui',
  'jiangxi',
  'liaoning',
  'shaanxi',
  'shanxi',
  'yunnan',
  'guizhou',
  'gansu',
  'hainan',
  'jilin',
  'heilongjiang',
  'tianjin',
  'chongqing',
  'wuhan',
  'chengdu',
  'xian',
  'nanjing',
  'hangzhou',
  'guangzhou',
  'harbin',
  'dalian',
  'qingdao',
  'xiamen',
  'suzhou',
  'macau',
  'taiwan',
  'moscow',
  'petersburg',
  'tehran',
  'dubai',
  'istanbul',
  'pyongyang',
  'caracas',
  'havana',
  'damascus',
  'minsk',
]);

/** Words too common to identify a company when they stand alone. */
export const GENERIC_WORDS = new Set([
  ...PLACES,
  'technology',
  'technologies',
  'tech',
  'international',
  'industrial',
  'industries',
  'industry',
  'trading',
  'bank',
  'national',
  'state',
  'electronics',
  'electronic',
  'science',
  'research',
  'institute',
  'university',
  'engineering',
  'development',
  'investment',
  'import',
  'export',
  'energy',
  'services',
  'service',
  'global',
  'shipping',
  'aviation',
  'general',
  'united',
  'states',
  'department',
  'defense',
  'government',
  'ministry',
  'new',
  'city',
  'central',
  'and',
  'of',
  'for',
  'in',
  'on',
  'v',
  'vs',
  'us',
  'usa',
  'federal',
  'court',
  'order',
  'motion',
  'line',
  'lines',
  'plant',
  'factory',
  'works',
  'management',
  'center',
  'centre',
  'scientific',
  'production',
  'enterprise',
  'enterprises',
  'organization',
  'trade',
  'bureau',
  'commercial',
  'association',
  'capital',
  'exchange',
  'design',
  'construction',
  'marine',
  'oil',
  'gas',
  'petroleum',
  'chemical',
  'chemicals',
  'petrochemical',
  'logistics',
  'consulting',
  'solutions',
  'resources',
  'mining',
  'metals',
  'steel',
  'airlines',
  'airline',
  'airways',
  'transport',
  'media',
  'network',
  'networks',
  'software',
  'equipment',
  'materials',
  'machinery',
  'products',
  'medical',
  'pharmaceutical',
  'finance',
  'financial',
  'securities',
  'insurance',
  'partners',
  'ventures',
  'agency',
  'office',
  'foundation',
  'academy',
  'school',
  'hospital',
  'laboratory',
  'company',
  'corporation',
  'limited',
  'holding',
  'holdings',
  'group',
  'power',
  'electric',
  'micro',
  'digital',
  'information',
  'communication',
  'telecommunications',
  'east',
  'west',
  'north',
  'south',
  'middle',
  'eastern',
  'western',
  'northern',
  'southern',
  'northwest',
  'southwest',
  // Name particles: "AL-" opens half the Arabic names on the SDN list and tells none of them apart.
  'al',
  'el',
  'bin',
  'bint',
  'ibn',
  'abu',
  'abd',
  'del',
  'la',
  'le',
  'da',
  'di',
  'du',
  'van',
  'von',
  'der',
  'y',
]);

/** True when every word is generic, a legal form or a number: "china technology group". */
export function isGeneric(normalized: string): boolean {
  const tokens = normalized.split(' ').filter(Boolean);
  return tokens.every(isGenericWord);
}

/** A word that identifies nothing alone: generic, a legal form, a connector, a number, a letter. */
export function isGenericWord(t: string): boolean {
  if (
    t.length < 2 ||
    GENERIC_WORDS.has(t) ||
    LEGAL_FORMS.has(t) ||
    CONNECTORS.has(t) ||
    /^\d+$/.test(t)
  )
    return true;
  // Plurals of generic words are generic too: "investments", "holdings", "systems".
  return t.length > 4 && t.endsWith('s') && GENERIC_WORDS.has(t.slice(0, -1));
}

/**
 * True when a normalised name is specific enough to be matched fuzzily or inside free text.
 * Short acronyms ("DJI", "VEB") are not: they match only exactly.
 */
export function isDistinctive(normalized: string): boolean {
  if (isGeneric(normalized)) return false;
  const tokens = normalized.split(' ').filter(Boolean);
  if (tokens.length === 1) return tokens[0]!.length >= 4;
  return normalized.length >= 5;
}
