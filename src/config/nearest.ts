// "agencise" → did you mean "agencies"? A key no one reads is a typo, and a typo kept silently
// changes what a source does (a Federal Register source with "agencise" alerts on every document).
import { distance } from 'fastest-levenshtein';

/** The known name closest to a typed one, if it is close enough to be what was meant. */
export function nearest(typed: string, known: readonly string[]): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = distance(typed.toLowerCase(), k.toLowerCase());
    if (d < bestDistance) {
      best = k;
      bestDistance = d;
    }
  }
  return best !== null && bestDistance <= Math.max(2, Math.floor(typed.length / 3)) ? best : null;
}

/** A problem line for an unknown key: names it, and the nearest known one, or them all. */
export function unknownKey(shown: string, typed: string, known: readonly string[]): string {
  const near = nearest(typed, known);
  return `unknown option "${shown}"${near ? `: did you mean "${near}"?` : `; known: ${known.join(', ')}`}`;
}
