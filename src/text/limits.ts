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
