// What binds an investor, in words: OFAC's CMIC dates say from when US persons may not buy an
// issuer's securities and until when they may still buy or sell them to divest.
import type { DesignationRecord, Identifier } from '../domain.js';

export function bindingDates(
  r: Pick<DesignationRecord, 'effectiveOn' | 'divestBy'>,
): string | null {
  const parts = [
    r.effectiveOn ? `purchases barred from ${r.effectiveOn}` : '',
    r.divestBy ? `divestment allowed until ${r.divestBy}` : '',
  ].filter(Boolean);
  return parts.length ? parts.join('; ') : null;
}

/** "ISIN US16941M1099, Ticker CHL (US), USCC 9111... (China)": at most `max`, then "+N more". */
/** One identifier as a reader writes it: "ISIN US16941M1099", "Ticker CHL (US)". */
export function describeIdentifier(i: Identifier): string {
  return `${i.type} ${i.value}${i.exchange ? ` (${i.exchange})` : i.country ? ` (${i.country})` : ''}${i.valid === false ? ' [check digit wrong]' : ''}`;
}

export function describeIdentifiers(ids: Identifier[] | undefined, max = 6): string | null {
  if (!ids?.length) return null;
  return (
    ids.slice(0, max).map(describeIdentifier).join(', ') +
    (ids.length > max ? `, +${ids.length - max} more` : '')
  );
}
