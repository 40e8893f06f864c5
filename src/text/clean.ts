// Characters no reader should be sent: C0 and C1 controls (ESC starts terminal sequences, BEL
// rings), DEL, and the bidirectional overrides and isolates that make "gpj.exe" read as
// "exe.jpg". Tab and line feed are text. Removed where text comes in (a holdings file, a channel
// name) and again where it goes out, since alerts stored by older versions may still carry them.

const UNSAFE =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_TEST =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

/** A terminal's escape sequences whole (colours, cursor moves, titles), so no "[31m" is left behind. */
// eslint-disable-next-line no-control-regex
const SEQUENCE = /\u001b(?:\[[0-?]*[ -/]*[@-~]|\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|[@-Z\\-_])/g;

export function cleanText(text: string): string {
  return UNSAFE_TEST.test(text) ? text.replace(SEQUENCE, '').replace(UNSAFE, '') : text;
}

/**
 * A parsed value (JSON, XML, CSV) as text: strings, numbers and booleans as they read; anything
 * else empty, never "[object Object]".
 */
export function scalarText(v: unknown): string {
  if (typeof v === 'string') return v;
  return typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint' ? String(v) : '';
}

/** Every string inside a message about to be sent (Block Kit, an embed), cleaned; the rest as it is. */
export function cleanDeep<T>(value: T): T {
  if (typeof value === 'string') return cleanText(value) as T;
  if (Array.isArray(value)) return value.map(cleanDeep) as T;
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = cleanDeep(v);
    return out as T;
  }
  return value;
}
