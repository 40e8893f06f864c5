// The domain types, defined once. Adapters, db/ and the CLI use these; none of them defines its own.

/** One entry on a designation list, as a source publishes it today. */
export interface DesignationRecord {
  /** Stable key within its source (ent_num, uid, list+normalised name, ...). */
  key: string;
  /** The list it is on: "SDN", "NS-CMIC", "Entity List", "DoD 1260H", ... */
  list: string;
  name: string;
  aliases: string[];
  /** "individual", "entity", "vessel", "aircraft", or "" when the source does not say. */
  type: string;
  programs: string[];
  countries: string[];
  addresses: string[];
  /** ISO date (YYYY-MM-DD) when known. */
  listedOn: string | null;
  /** Federal Register citation(s), e.g. "85 FR 83799". */
  citation: string | null;
  /** Where a person can read the listing. */
  url: string | null;
  remarks: string | null;
  /**
   * Parsed from the remarks (OFAC) or the ids column (CSL) where the list gives them. Optional:
   * lists without them leave them out, and records stored before they were parsed lack them.
   */
  identifiers?: Identifier[];
  /** CMIC: purchases of its securities barred from this date (OFAC's "Effective Date (CMIC)"). */
  effectiveOn?: string | null;
  /** CMIC: purchases and sales for divestment allowed until this date. */
  divestBy?: string | null;
  /** Names the entry is "Linked To" (parent, owner). */
  linkedTo?: string[];
}

/** An identifier a list gives for an entry: ISIN, ticker, USCC, LEI, SWIFT/BIC, IMO, tax or registration number. */
export interface Identifier {
  type: string;
  value: string;
  /** Equity tickers: the exchange's country code ("US", "HK"). */
  exchange?: string;
  /** Where the number was issued, when the list says. */
  country?: string;
  /** False for an ISIN whose check digit is wrong (kept, as the list printed it). */
  valid?: false;
}

/** The fields a diff compares; `key` identifies, it never "changes". */
export const DESIGNATION_FIELDS = [
  'list',
  'name',
  'aliases',
  'type',
  'programs',
  'countries',
  'addresses',
  'listedOn',
  'citation',
  'url',
  'remarks',
  'identifiers',
  'effectiveOn',
  'divestBy',
  'linkedTo',
] as const;

/** Fields added after records were first stored: a stored record without one has not been told it, not lost it. */
export const LATER_FIELDS: ReadonlySet<string> = new Set([
  'identifiers',
  'effectiveOn',
  'divestBy',
  'linkedTo',
]);
export type DesignationField = (typeof DESIGNATION_FIELDS)[number];

/** One item of a feed: a court docket entry, a Federal Register document, any RSS/Atom item. */
export interface FeedItem {
  guid: string;
  title: string;
  link: string | null;
  publishedAt: string | null;
  summary: string;
  // Court entries (pacer, courtlistener kinds).
  /** PACER court id: "dcd", "nysd", "cadc". */
  court?: string | null;
  /** Docket number without judge or defendant suffix: "1:21-cv-00280", appellate "22-1406". */
  docket?: string | null;
  caseName?: string | null;
  /** CourtListener's id of the docket (its URL's /docket/<id>/): courtlistener feeds and webhooks. */
  courtListenerDocket?: string | null;
  /** The short event labels of the entry ("Memorandum & Opinion", "Order"), all of them. */
  entryTypes?: string[];
  documentNumber?: string | null;
  documentUrl?: string | null;
  // Federal Register documents.
  /** "Rule", "Proposed Rule", "Notice", "Presidential Document". */
  documentType?: string | null;
  /** "84 FR 22961", null until printed. */
  citation?: string | null;
  agencies?: string[];
  effectiveOn?: string | null;
  /** What the document is, when recognised: "Entity List additions", "DoD 1260H designations". */
  label?: string | null;
  /**
   * The document's full text, as paragraphs, when it was read (labelled Federal Register
   * documents): scanned for names, never stored or sent.
   */
  fullText?: string[];
  /** The sentences of the full text that name the companies found in it (a few, each short). */
  passages?: string[];
  /**
   * A Federal Register document on public inspection, not yet published: the date it is to be
   * published (null when the desk does not say).
   */
  publicInspection?: { publishesOn: string | null };
  /**
   * The published document that was already alerted while on public inspection: the same news,
   * stored as its follow-up (with its citation), not alerted again.
   */
  inspectedFirst?: { source: string; at: string };
}

/** A company a feed item names: a tracked listing, or a name a channel follows (list null). */
export interface Mention {
  name: string;
  /** Designation key, or "subscription" for a followed name that is on no list. */
  key: string;
  list: string | null;
  /** The name or alias as found in the item's text (normalised). */
  matched: string;
  /**
   * The listing's identifiers as the router compares them ("7406784", "Ticker CHL US"): set only
   * while some channel follows a company by an identifier, so the item reaches that channel too.
   */
  identifierKeys?: string[];
}

/**
 * A list as a source published it: its entries in source order, each built into a record when
 * asked, so a poll that finds 20 entries changed among 15,000 builds 20 records, not 15,000.
 */
export interface ListSnapshot {
  kind: 'list';
  /** Entry keys in source order, each once. */
  keys: string[];
  /**
   * Per entry, a fingerprint of the source text it is built from and of the build that reads it
   * (`RECORDS_SCHEME`): an entry whose fingerprint is the one stored for its key is unchanged.
   * Absent when the parser gives none: then every entry is built and compared.
   */
  prints?: number[];
  /** The entry at `i` as a record (built on first call, then kept). */
  record(i: number): DesignationRecord;
  /** Every entry as a record. */
  readonly records: DesignationRecord[];
  warnings: string[];
  /**
   * The format carries a completeness mark that was checked (OFAC's 0x1A, an XML root, a JSON
   * total), so a file cut between two rows cannot get this far.
   */
  endMarked?: boolean;
}

export type Snapshot = ListSnapshot | { kind: 'feed'; items: FeedItem[]; warnings: string[] };

export interface FieldChange {
  field: DesignationField;
  before: unknown;
  after: unknown;
}

export type Change =
  | { type: 'designation.added'; record: DesignationRecord }
  | { type: 'designation.removed'; record: DesignationRecord }
  | {
      type: 'designation.amended';
      record: DesignationRecord;
      before: DesignationRecord;
      fields: FieldChange[];
    };

/** `capped`: a feed answered more new entries than one poll takes; the rest were skipped. */
export type HealthStatus = 'failing' | 'held' | 'recovered' | 'capped';

export interface EntityRef {
  key: string;
  name: string;
  aliases: string[];
  programs: string[];
}

/** What the outbox holds and adapters render. */
export type Alert =
  | {
      id: number;
      type: 'designation.added' | 'designation.removed' | 'designation.amended';
      source: string;
      sourceLabel: string;
      detectedAt: string;
      list: string;
      entity: EntityRef;
      record: DesignationRecord;
      /** Only for amended. */
      fields?: FieldChange[];
      channels: string[];
    }
  | {
      id: number;
      type: 'feed.item';
      source: string;
      sourceLabel: string;
      detectedAt: string;
      item: FeedItem;
      mentions: Mention[];
      /** Why the item became an alert: it names a company, belongs to a followed case, or the source sends all. */
      because: FeedAlertReason[];
      channels: string[];
    }
  | {
      id: number;
      /**
       * More list changes in one poll than a channel takes one by one (a catch-up after downtime, a
       * list reissued): one alert with the counts and a few examples instead. Each change is still
       * in the history, and a channel that follows one of the entities gets that entity's own alert.
       */
      type: 'designation.changeset';
      source: string;
      sourceLabel: string;
      detectedAt: string;
      /** The list file as published (the poll's source document). */
      url: string | null;
      counts: ChangeCounts;
      /** Per list, largest first. */
      lists: ({ list: string } & ChangeCounts)[];
      /** The first few changes of each kind, in the source's order. */
      examples: ChangeExample[];
      /** The history rows it stands for: `changes.id` from `first` to `last` (of the lists named). */
      changeIds: { first: number; last: number };
      /** The per-poll number of list alerts above which a channel gets this instead. */
      limit: number;
      channels: string[];
    }
  | {
      id: number;
      type: 'source.health';
      source: string;
      sourceLabel: string;
      detectedAt: string;
      status: HealthStatus;
      reason: string;
      channels: string[];
    }
  | {
      id: number;
      /**
       * The whole change list of a changeset, as a file (CSV) for the chat platforms that take
       * files: in the changeset message's thread (Slack), as a reply carrying it (Discord). Its own
       * delivery: a failed upload is retried without holding back or repeating the summary.
       */
      type: 'changeset.file';
      source: string;
      sourceLabel: string;
      detectedAt: string;
      /** The changeset's history rows (of the lists named). */
      changeIds: { first: number; last: number };
      lists: string[];
      /** Rows the file has. */
      rows: number;
      filename: string;
      channels: string[];
    }
  | {
      id: number;
      /**
       * The alerts a channel left undecided for longer than SANCTIONS_RADAR_REVIEW_REMINDER_HOURS,
       * oldest first; one a day per channel at most, never during quiet hours.
       */
      type: 'review.reminder';
      source: 'review';
      sourceLabel: string;
      detectedAt: string;
      /** Undecided this long at least. */
      hours: number;
      /** How many are undecided in all (more than those listed, when many). */
      open: number;
      alerts: ReminderEntry[];
      channels: string[];
    };

/** One undecided alert a reminder lists, with where its message is (for a link to it). */
export interface ReminderEntry {
  id: number;
  headline: string;
  subject: string;
  deliveredAt: string;
  /** The platform's message id (a Slack ts, a Discord message id); null when not known. */
  messageId: string | null;
  /** "open", "escalated", "awaiting a second reviewer". */
  state: string;
}

export interface ChangeCounts {
  added: number;
  removed: number;
  amended: number;
}

export interface ChangeExample {
  type: Change['type'];
  key: string;
  name: string;
  list: string;
  programs: string[];
  /** Amended: the fields that changed. */
  fields?: DesignationField[];
}

/** `label`: a document about the lists (Entity List, 1260H, ...), which alerts even where only mentions do. */
export type FeedAlertReason = 'mention' | 'case' | 'all' | 'include' | 'label';

/** An alert before it has an id and a route. */
export type NewAlert = Alert extends infer A
  ? A extends Alert
    ? Omit<A, 'id' | 'channels'>
    : never
  : never;
/** A new alert of one list change. */
export type ChangeAlert = Extract<NewAlert, { type: Change['type'] }>;

export type SubscriptionTarget =
  | { kind: 'all' }
  | { kind: 'source'; value: string }
  | { kind: 'list'; value: string }
  | { kind: 'entity'; value: string }
  /** A court case: every new entry of it. `court` null = that docket number in any court. */
  | { kind: 'case'; value: string; court: string | null };

export interface Subscription {
  id: number;
  channel: string;
  target: SubscriptionTarget;
  createdAt: string;
  pausedReason: string | null;
}

/** A source entry from the sources file. */
export interface SourceConfig {
  id: string;
  kind: SourceKind;
  url: string;
  label?: string;
  schedule: string;
  /** Kind-specific options (altUrl, addUrl, columns, list, ...). */
  options: Record<string, unknown>;
  /** Share of records a snapshot may lose before it is held back (0..1). */
  maxShrink?: number;
  /** Identical shrunk snapshots seen this many polls in a row are accepted. */
  confirmPolls?: number;
}

export const SOURCE_KINDS = [
  'ofac-csv',
  'ofac-xml',
  'csl',
  'opensanctions-csv',
  'csv',
  'rss',
  'pacer',
  'courtlistener',
  'federal-register',
  'federal-register-inspection',
  'dod-1260h',
] as const;
export type SourceKind = (typeof SOURCE_KINDS)[number];
