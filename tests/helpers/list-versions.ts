// Two real SDN versions far enough apart that a poll has dozens of changes: the 2024-04-12 excerpt,
// and the same with every third entry gone and every fifth remark amended.
import { fixture } from './fixtures.js';

export function sdnVersions(): [Buffer, Buffer] {
  const text = fixture('ofac/sdn_2024-04-12_trimmed.csv').toString('latin1');
  const rows = text.split('\r\n').filter((l) => /^\d/.test(l));
  const a = `${rows.join('\r\n')}\r\n\x1a`;
  const b = `${rows
    .filter((_, i) => i % 3 !== 1)
    .map((r, i) =>
      i % 5 === 0
        ? r.replace(/"([^"]*)"$/, (_m, remark: string) => `"${remark} (crash round)"`)
        : r,
    )
    .join('\r\n')}\r\n\x1a`;
  return [Buffer.from(a, 'latin1'), Buffer.from(b, 'latin1')];
}
