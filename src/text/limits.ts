// Text that goes out to a terminal or a chat platform: cut to a platform's limit, and links only
// when they are plain http(s) URLs. One definition for the console and every adapter.

/** At most `max` characters, an ellipsis marking a cut. */
export function clip(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** The URL when it is an absolute http(s) URL without whitespace (safe to link), else undefined. */
export function httpUrl(u: string | null | undefined): string | undefined {
  return u && /^https?:\/\/\S+$/i.test(u) ? u : undefined;
}

/**
 * Lines packed into at most `parts` texts of at most `max` characters, whole lines each (a line
 * longer than `max` is clipped); what does not fit is counted at the end of the last ("… and 12
 * more"), so a long list says how much of it is not shown instead of stopping mid-line.
 */
export function packLines(lines: readonly string[], max: number, parts: number): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < lines.length && out.length < parts) {
    let text = clip(lines[i++]!, max);
    while (i < lines.length && text.length + 1 + lines[i]!.length <= max) text += `\n${lines[i++]}`;
    out.push(text);
  }
  if (i < lines.length && out.length) {
    let last = out.pop()!;
    while (last.length + `\n… and ${lines.length - i} more`.length > max && last.includes('\n')) {
      last = last.slice(0, last.lastIndexOf('\n'));
      i--;
    }
    out.push(clip(`${last}\n… and ${lines.length - i} more`, max));
  }
  return out;
}
