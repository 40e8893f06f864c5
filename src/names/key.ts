// Canonical spelling of a name for use as a record key: stable across case, accents, punctuation
// and spacing, but otherwise literal (legal forms are kept, so two firms stay two keys).
export function normalizeKeyName(name: string): string {
  return name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}
