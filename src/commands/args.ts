// Splits and checks what a user typed after /sanctions. Quotes group words
// (`subscribe --list "Entity List"`); nothing a user types reaches SQL or FTS unescaped.

export const MAX_QUERY = 200;

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

export type ArgsResult = { ok: true; args: ParsedArgs } | { ok: false; error: string };

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028-\u202e\u2066-\u2069]/;
/**
 * Invisible characters that come with a name copied from a web page or a PDF: soft hyphen,
 * zero-width space and joiners, word joiner, byte-order mark, left-to-right and right-to-left
 * marks. They change nothing a reader sees, so they are dropped rather than refused.
 */
const INVISIBLE = /[\u00ad\u200b-\u200f\u2060\ufeff]/g;

export function tokenize(typed: string): ArgsResult {
  const text = typed.replace(INVISIBLE, '');
  if (CONTROL.test(text))
    return { ok: false, error: 'the command contains control characters; type plain text' };
  const words: string[] = [];
  const re = /"([^"]*)"|“([^”]*)”|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) words.push(m[1] ?? m[2] ?? m[3] ?? m[4]!);
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < words.length; i++) {
    const w = words[i]!;
    if (/^--[a-z-]+$/.test(w)) {
      const next = words[i + 1];
      const takesValue = w !== '--all';
      if (takesValue && next !== undefined && !next.startsWith('--')) {
        flags.set(w.slice(2), next);
        i++;
      } else flags.set(w.slice(2), true);
    } else positional.push(w);
  }
  return { ok: true, args: { positional, flags } };
}

/** The free-text query of a command, checked. */
export function queryOf(
  args: ParsedArgs,
): { ok: true; query: string } | { ok: false; error: string } {
  const query = args.positional.join(' ').replace(/\s+/g, ' ').trim();
  if (!query) return { ok: false, error: 'give a company name' };
  if (query.length > MAX_QUERY)
    return {
      ok: false,
      error: `the name is ${query.length} characters long; ${MAX_QUERY} at most`,
    };
  return { ok: true, query };
}
