// Canonical spelling of a name for use as a record key: stable across case, accents, punctuation
// and spacing, but otherwise literal (legal forms are kept, so two firms stay two keys).
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

export function normalizeKeyName(name: string): string {
  // Most names are plain ASCII: no Unicode normalisation to do, and a cheaper character class.
  if (PRINTABLE_ASCII.test(name))
    return name
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
