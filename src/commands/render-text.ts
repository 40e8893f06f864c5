// A Reply as plain text, for the CLI and the console.
import { cleanText } from '../text/clean.js';
import type { Reply } from './reply.js';

export function renderReplyText(r: Reply): string {
  const out = [r.summary];
  for (const s of r.sections) {
    out.push('', `${s.title}${s.url ? `  <${s.url}>` : ''}`);
    for (const f of s.fields) {
      const [first, ...rest] = f.value.split('\n');
      out.push(`  ${f.label}: ${first}`);
      for (const line of rest) out.push(`  ${' '.repeat(f.label.length + 2)}${line}`);
    }
    for (const l of s.lines) out.push(`  ${l}`);
  }
  if (r.footer) out.push('', r.footer);
  return cleanText(out.join('\n'));
}
