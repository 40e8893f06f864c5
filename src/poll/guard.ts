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
  /** Rows the snapshot lacks at its end compared with the last one (see `rowsCutAtEnd`). */
  cutAtEnd?: number;
}

export type GuardVerdict =
  | { action: 'commit'; confirmedShrink: boolean }
  | { action: 'hold'; reason: string; heldCount: number; firstTime: boolean };

export function judgeSnapshot(g: GuardInput): GuardVerdict {
  if (g.nextCount === 0) {
    // Never believable: an empty list is a broken download, whatever repeats.
    return {
      action: 'hold',
      reason: 'the snapshot has no records',
      heldCount: 0,
      firstTime: g.heldHash !== g.contentHash,
    };
  }
  if (g.previousCount === 0) return { action: 'commit', confirmedShrink: false };
  const lost = (g.previousCount - g.nextCount) / g.previousCount;
  const cut = g.cutAtEnd ?? 0;
  if (lost <= g.maxShrink && cut === 0) return { action: 'commit', confirmedShrink: false };
  if (g.acceptedHash === g.contentHash) return { action: 'commit', confirmedShrink: true };
  const seen = g.heldHash === g.contentHash ? g.heldCount + 1 : 1;
  if (g.confirmPolls > 0 && seen >= g.confirmPolls)
    return { action: 'commit', confirmedShrink: true };
  const until = `held until the same content is seen ${g.confirmPolls} polls in a row or an operator runs "sanctions-radar sources accept <id>"`;
  const pct = Math.round(lost * 1000) / 10;
  const reason =
    lost > g.maxShrink
      ? `the list shrank from ${g.previousCount} to ${g.nextCount} records (-${pct}%, more than the ${Math.round(g.maxShrink * 100)}% allowed); ${until}`
      : `the file ends on a row that the last version followed with ${cut} more, and only those ${cut} are missing: a download cut between two rows looks like this; ${until}`;
  return { action: 'hold', reason, heldCount: seen, firstTime: g.heldHash !== g.contentHash };
}

/** How many trailing keys of a snapshot are kept to recognise a later one cut between rows. */
export const TAIL_KEYS = 2000;

/**
 * The number of rows a snapshot lost at its end and nowhere else, or 0. A file cut exactly
 * between two rows ends on a row that used to be followed by others, all now missing, and holds
 * exactly that many fewer rows. A real edit almost never has that shape; when it does (only the
 * last rows deleted), the hold costs a few polls, never a false "removed".
 */
export function rowsCutAtEnd(
  previousTail: readonly string[] | null,
  previousCount: number,
  nextKeys: readonly string[],
): number {
  if (!previousTail?.length || nextKeys.length === 0) return 0;
  const at = previousTail.lastIndexOf(nextKeys[nextKeys.length - 1]!);
  if (at < 0 || at === previousTail.length - 1) return 0;
  const missing = previousTail.length - 1 - at;
  if (nextKeys.length !== previousCount - missing) return 0;
  const next = new Set(nextKeys);
  return previousTail.slice(at + 1).every((k) => !next.has(k)) ? missing : 0;
}
