// Source URLs may carry credentials (https://user:pass@host/x.csv?key=...): they must never reach
// /healthz, logs or alert text. Pure.

/** Query parameters whose values are secrets by their name. */
const SECRET_PARAM =
  /^(?:key|api[_-]?key|apikey|token|access[_-]?token|auth|secret|password|pass|pwd|sig|signature|subscription-key|client[_-]?secret|code)$/i;

export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return redactText(url);
  }
  if (u.username || u.password) {
    u.username = u.username ? '***' : '';
    u.password = u.password ? '***' : '';
  }
  for (const k of [...u.searchParams.keys()])
    if (SECRET_PARAM.test(k)) u.searchParams.set(k, '***');
  return u.href.replace(/%2A%2A%2A/g, '***');
}

/** A URL inside text (an error, a log line): a scheme, then anything up to a space, quote or bracket. */
export const URL_IN_TEXT = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"'<>()]+/gi;

/** Every URL in a piece of text, redacted. */
export function redactText(text: string): string {
  return text.replace(URL_IN_TEXT, (m) => redactUrl(m));
}
