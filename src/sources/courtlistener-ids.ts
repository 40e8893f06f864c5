// CourtListener's docket ids, read from its URLs: in its own module so the command core (which
// takes a docket URL in `subscribe --case`) does not load the feed parsers.

/** CourtListener's docket id in one of its URLs (".../docket/29225390/xiaomi-..."). */
export function docketIdOf(url: string | null | undefined): string | null {
  return url ? (/courtlistener\.com\/docket\/(\d+)(?:[/?#]|$)/.exec(url)?.[1] ?? null) : null;
}

/** A case followed by its CourtListener docket is stored as `courtlistener:<docket id>`. */
export const CL_CASE = 'courtlistener:';
