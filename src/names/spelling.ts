// Spelling classes that make one name look like two: British and American spellings, and
// Cyrillic letters that look Latin (or whole Cyrillic words, romanised as OFAC romanises them).
// Pure and applied to both sides of every comparison, so it only has to be consistent, not
// correct English: "centre" and "center" become one word, whichever is printed.

/** Whole-word pairs that no suffix rule covers. */
const WORDS: Record<string, string> = {
  defence: 'defense',
  offence: 'offense',
  licence: 'license',
  licences: 'licenses',
  pretence: 'pretense',
  aluminium: 'aluminum',
  programme: 'program',
  programmes: 'programs',
  catalogue: 'catalog',
  dialogue: 'dialog',
  analogue: 'analog',
  jewellery: 'jewelry',
  tyre: 'tire',
  tyres: 'tires',
  grey: 'gray',
  plough: 'plow',
  manoeuvre: 'maneuver',
  sulphur: 'sulfur',
  cheque: 'check',
  storey: 'story',
  mould: 'mold',
  moulding: 'molding',
  kerb: 'curb',
  draught: 'draft',
  artefact: 'artifact',
};

const WORD_MAP = new Map(Object.entries(WORDS));

const RULES: [RegExp, string][] = [
  // -isation, and -ise in the verbs company names use (not "enterprise", "merchandise").
  [/^(\w{3,})isation(s?)$/, '$1ization$2'],
  [
    /^(organ|modern|mobil|special|util|optim|standard|real|author|recogn|subsid|custom|synchron|steril|neutral|local|global|industrial|commercial|capital|privat|computer|digit|econom|harmon|memor|minim|maxim|normal|motor|energ|central|nation|fertil|stabil|vapor|miniatur|modul)is(e|ed|es|er|ers|ing)$/,
    '$1iz$2',
  ],
  [/^(anal|catal|paral|electrol|hydrol)ys(e|ed|es|er|ers|ing)$/, '$1yz$2'],
  // -our (colour, harbour, labour, behaviour) in words long enough not to be "four" or "tour".
  [/^(\w{3,})our(s|ed|ing|ite|ites|able)?$/, '$1or$2'],
  // -tre / -bre (centre, theatre, metre, fibre, calibre).
  [/^(\w{2,})([tb])re(s?)$/, '$1$2er$3'],
  // Doubled l before a suffix (modelling, travelled, labelled, signalling).
  [
    /^(travel|model|label|cancel|fuel|signal|channel|tunnel|level|counsel|jewel|dial|marshal|total|equal|pedal|shovel)l(ed|ing|er|ers)$/,
    '$1$2',
  ],
  // ae / oe in Greek-derived words (paediatric, haematology, anaesthesia, oesophagus).
  [/^(p|h|anesth|orthop|encyclop|gyn)ae/, '$1e'],
  [/^an(ae)s/, 'anes'],
  [/^oe(soph|strog|dem)/, 'e$1'],
];

/** Every rule's shape in one test: most words match none, and are decided by it alone. */
const ANY_RULE =
  /(?:is(?:e|ed|es|er|ers|ing|ation|ations)|ys(?:e|ed|es|er|ers|ing)|our(?:s|ed|ing|ite|ites|able)?|[tb]res?|ll(?:ed|ing|er|ers))$|^(?:p|h|anesth|orthop|encyclop|gyn|an)ae|^oe/;

/** The American spelling of a lower-case word, or the word. */
export function americanSpelling(word: string): string {
  if (word.length < 4) return word;
  const w = WORD_MAP.get(word);
  if (w) return w;
  if (!ANY_RULE.test(word)) return word;
  for (const [re, to] of RULES) if (re.test(word)) return word.replace(re, to);
  return word;
}

// Cyrillic and Greek letters that print like Latin ones: a name typed with one of them
// ("Sberbаnk" with a Cyrillic а) must not hide from a lookup.
const LOOKALIKE: Record<string, string> = {
  а: 'a',
  в: 'b',
  е: 'e',
  ё: 'e',
  к: 'k',
  м: 'm',
  н: 'h',
  о: 'o',
  р: 'p',
  с: 'c',
  т: 't',
  у: 'y',
  х: 'x',
  і: 'i',
  ј: 'j',
  ѕ: 's',
  α: 'a',
  β: 'b',
  ε: 'e',
  η: 'n',
  ι: 'i',
  κ: 'k',
  μ: 'm',
  ν: 'v',
  ο: 'o',
  ρ: 'p',
  τ: 't',
  υ: 'u',
  χ: 'x',
  ζ: 'z',
};

// Romanisation of whole Cyrillic words, close to the BGN/PCGN system OFAC's names follow.
const ROMAN: Record<string, string> = {
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  і: 'i',
  ї: 'yi',
  є: 'ye',
  ґ: 'g',
  ў: 'u',
};

const CYRILLIC = /\p{Script=Cyrillic}/u;
const GREEK = /\p{Script=Greek}/u;
const LATIN = /[a-z]/;

/** A lower-case word in Latin letters where it was written in Cyrillic or with look-alikes. */
export function latinWord(word: string): string {
  const cyr = CYRILLIC.test(word);
  if (!cyr && !GREEK.test(word)) return word;
  if (LATIN.test(word) || !cyr) return [...word].map((ch) => LOOKALIKE[ch] ?? ch).join('');
  return [...word].map((ch) => ROMAN[ch] ?? ch).join('');
}
