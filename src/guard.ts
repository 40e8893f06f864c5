// Decides whether a parsed list snapshot may replace the stored state. Pure: the caller supplies
// the stored counts and the operator's acceptance; the guard only judges.
export interface GuardInput {
  previousCount: number;
  nextCount: number;
  contentHash: string;
  /** Share of records a snapshot may lose (0.1 = 10%). */
  maxShrink: number;
  /** How many polls in a row the same shrunk content must be seen before it is believed. */
  confirmPolls: number;
  heldHash: string | null;
  heldCount: number;
  acceptedHash: string | null;
}

export type GuardVerdict =
  | { action: 'commit'; confirmedShrink: boolean }
  | { action: 'hold'; reason: string; heldCount: number; firstTime: boolean };

export function judgeSnapshot(g: GuardInput): GuardVerdict {
  if (g.nextCount === 0) {
    // Never believable: an empty list is a broken download, whatever repeats.
    return { action: 'hold', reason: 'the snapshot has no records', heldCount: 0, firstTime: g.heldHash !== g.contentHash };
  }
  if (g.previousCount === 0) return { action: 'commit', confirmedShrink: false };
  const lost = (g.previousCount - g.nextCount) / g.previousCount;
  if (lost <= g.maxShrink) return { action: 'commit', confirmedShrink: false };
  if (g.acceptedHash === g.contentHash) return { action: 'commit', confirmedShrink: true };
  const seen = g.heldHash === g.contentHash ? g.heldCount + 1 : 1;
  if (g.confirmPolls > 0 && seen >= g.confirmPolls) return { action: 'commit', confirmedShrink: true };
  const pct = Math.round(lost * 1000) / 10;
  return {
    action: 'hold',
    reason: `the list shrank from ${g.previousCount} to ${g.nextCount} records (-${pct}%, more than the ${Math.round(g.maxShrink * 100)}% allowed); held until the same content is seen ${g.confirmPolls} polls in a row or an operator runs "sanctions-radar sources accept <id>"`,
    heldCount: seen,
    firstTime: g.heldHash !== g.contentHash,
  };
}
