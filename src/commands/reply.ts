// The platform-neutral answer of a command. Slack renders it as Block Kit, Discord as embeds,
// the CLI as text or JSON; none of them needs to know which command produced it.

export interface ReplyField {
  label: string;
  value: string;
}

export interface ReplySection {
  title: string;
  /** Link for the title (source document, list page). */
  url?: string | null;
  fields: ReplyField[];
  /** Further lines of plain text (history entries, changes). */
  lines: string[];
}

export interface Reply {
  verb: string;
  /** False for usage errors and refusals: the adapter may style it as an error. */
  ok: boolean;
  /** One line that stands alone (also the notification text). */
  summary: string;
  sections: ReplySection[];
  /** A closing line, e.g. "and 4 more" or the data's freshness. */
  footer?: string;
  /** Lookups and history are private by default; subscription changes are announced. */
  visibility: 'private' | 'channel';
  /** Structured result for --json and for tests. */
  data: unknown;
}

export function usage(verb: string, message: string): Reply {
  return {
    verb,
    ok: false,
    summary: message,
    sections: [],
    visibility: 'private',
    data: { error: message },
  };
}
