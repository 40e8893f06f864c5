// New feed items → stored items with their mentions, and the alerts the source's policy allows.
// Shared by polled feeds and pushed ones (CourtListener webhooks). What it reads (readItems) may
// come before the caller's transaction; what it writes runs inside it, so items, mentions and
// alerts are committed together.
import type { Db } from '../../db/database.js';
import {
  alertedOnInspection,
  insertFeedItems,
  knownGuids,
  markUnalerted,
  touchFeedItems,
  type StoredItem,
} from '../../db/feed-items.js';
import { activeListingNames, namesVersion } from '../../db/name-index.js';
import { stmt } from '../../db/database.js';
import { alertForItem, healthAlert, type SourceRef } from '../alerts/derive.js';
import type { FeedItem, Mention, NewAlert, SourceConfig } from '../domain.js';
import { parseDocket } from '../feeds/docket.js';
import { feedPolicy, itemText, judgeItem } from '../feeds/policy.js';
import { passagesNaming } from '../feeds/passages.js';
import { indexQueued } from '../store/indexing.js';
import { captionParties, MentionIndex, withFollowed, type MentionName } from '../feeds/mentions.js';
import { normalizeName } from '../names/normalize.js';
import { followsNamed, type IndexedRouter } from '../routing/follow-index.js';
import { KINDS } from '../sources/kinds.js';
import { identifiersOfListings } from '../../db/entities.js';
import { routeKey } from '../portfolio/identifier-query.js';

/**
 * The mention index of a database's current listings. Rebuilt only when names or listings change:
 * building it reads every name. Followed and held names are looked up per poll (followedNames).
 */
const indexes = new WeakMap<Db, { version: string; index: MentionIndex }>();

export function mentionIndexFor(db: Db): MentionIndex {
  indexQueued(db);
  const version = `${namesVersion(db)}:${stmt(db, 'SELECT coalesce(max(id), 0) FROM changes').pluck().get() as number}`;
  const cached = indexes.get(db);
  if (cached?.version === version) return cached.index;
  const names: MentionName[] = activeListingNames(db).map((r) => ({
    normalized: r.normalized,
    mention: { name: r.name, key: r.key, list: r.list },
  }));
  const index = new MentionIndex(names);
  indexes.set(db, { version, index });
  return index;
}

/**
 * An index of the followed company names and held names the texts may hold: those filed under one
 * of their words (a name appears only whole). A held company named in a court entry is news to
 * the team holding it, listed or not.
 */
function followedIndexFor(db: Db, texts: string[]): MentionIndex {
  const words = new Set<string>();
  for (const t of texts) for (const w of normalizeName(t).split(' ')) if (w) words.add(w);
  const { subscriptions, holdings } = followsNamed(db, [...words]);
  const names: MentionName[] = [];
  for (const s of subscriptions)
    if (s.target.kind === 'entity')
      names.push({
        normalized: normalizeName(s.target.value),
        mention: { name: s.target.value, key: 'subscription', list: null },
      });
  for (const h of holdings)
    if (h.name && h.normalized)
      names.push({
        normalized: h.normalized,
        mention: { name: h.name, key: 'holding', list: null },
      });
  return new MentionIndex(names);
}

/** What ingesting asks of the router before it has alerts to route. */
type ItemRouter = Pick<IndexedRouter, 'followsIdentifiers' | 'followsCase'>;

/**
 * Mentions of listings with the listings' identifiers, when some channel follows a company by an
 * identifier ("subscribe IMO 7406784"): the router then sends it an item naming that company.
 */
function withIdentifierKeys(db: Db, mentions: Mention[], router: ItemRouter): Mention[] {
  const listed = mentions.filter((m): m is Mention & { list: string } => m.list !== null);
  if (!router.followsIdentifiers || listed.length === 0) return mentions;
  const ids = identifiersOfListings(db, listed);
  return mentions.map((m) => {
    const keys =
      m.list === null
        ? []
        : (ids.get(`${m.list}\u0000${m.key}`) ?? [])
            .map(routeKey)
            .filter((k): k is string => k !== null);
    return keys.length ? { ...m, identifierKeys: [...new Set(keys)] } : m;
  });
}

export interface IngestResult {
  fresh: FeedItem[];
  alerts: NewAlert[];
}

/** What ingesting items reads before it writes: which are new, what each names, their alerts. */
export interface ItemsRead extends IngestResult {
  known: Set<string>;
  stored: StoredItem[];
}

type IngestOptions = { at: string; ref: SourceRef; router: ItemRouter; announce: boolean };

/**
 * Reads what ingesting `items` writes: the entries not seen before, the names each holds, and,
 * unless `announce` is false (a feed's baseline), the alerts the source's policy lets through.
 * It writes only the name and follow indexes it reads (their queued work).
 */
export function readItems(
  db: Db,
  cfg: SourceConfig,
  items: FeedItem[],
  o: IngestOptions,
): ItemsRead {
  const known = knownGuids(
    db,
    cfg.id,
    items.map((i) => i.guid),
  );
  const fresh = items.filter((i) => !known.has(i.guid));
  const stored: StoredItem[] = [];
  const alerts: NewAlert[] = [];
  if (fresh.length === 0) return { known, fresh, stored, alerts };
  const policy = feedPolicy(cfg, KINDS[cfg.kind].court === true || KINDS[cfg.kind].quiet === true);
  const index = mentionIndexFor(db);
  const read = fresh.map(({ fullText, ...kept }) => ({
    kept,
    text: fullText?.length ? `${itemText(kept)} | ${fullText.join(' | ')}` : itemText(kept),
    fullText,
  }));
  const followed = followedIndexFor(
    db,
    read.map((r) => r.text),
  );
  // A published Federal Register document already alerted from the public inspection desk.
  const inspected =
    cfg.kind === 'federal-register'
      ? alertedOnInspection(
          db,
          cfg.id,
          fresh.map((i) => i.guid),
        )
      : new Map<string, { source: string; at: string }>();
  // A document read in full is scanned whole for names; the text itself is neither stored nor sent.
  for (const { kept, text, fullText } of read) {
    const ctx = { parties: captionParties(kept.caseName) };
    const mentions = withIdentifierKeys(
      db,
      withFollowed(index.find(text, ctx), followed.find(text, ctx)),
      o.router,
    );
    const passages = fullText?.length ? passagesNaming(fullText, mentions) : [];
    const first = inspected.get(kept.guid);
    const item: FeedItem = {
      ...kept,
      ...(passages.length ? { passages } : {}),
      ...(first ? { inspectedFirst: first } : {}),
    };
    const because =
      o.announce && !first ? judgeItem(item, mentions, o.router.followsCase(item), policy) : [];
    stored.push({
      item,
      mentions,
      alerted: because.length > 0,
      docketCore: item.docket ? (parseDocket(item.docket)?.core ?? item.docket) : null,
    });
    if (because.length) alerts.push(alertForItem(item, mentions, because, o.ref, o.at));
  }
  return { known, fresh, stored, alerts };
}

/** Stores the items not seen before (what readItems read of them) and gives their alerts. */
export function ingestFeedItems(
  db: Db,
  cfg: SourceConfig,
  items: FeedItem[],
  o: IngestOptions,
  read: ItemsRead = readItems(db, cfg, items, o),
): IngestResult {
  touchFeedItems(db, cfg.id, [...read.known], o.at);
  if (read.stored.length) insertFeedItems(db, cfg.id, read.stored, o.at);
  return { fresh: read.fresh, alerts: read.alerts };
}

export interface FeedCaps {
  /** Entries taken from one answer (the first ones); the rest are skipped. */
  maxItems: number;
  /** Alerts one answer may raise; new entries past it are stored without one. */
  maxAlerts: number;
}

/** The entries of one answer a poll takes (the first ones). */
export const takenItems = (items: FeedItem[], caps: FeedCaps): FeedItem[] =>
  items.length > caps.maxItems ? items.slice(0, caps.maxItems) : items;

/**
 * ingestFeedItems within caps, for a polled feed and a pushed webhook alike: a flood (a broken or
 * hostile feed answering 200,000 entries, a webhook body of 10,000) costs a bounded amount of work
 * and storage, and the operator hears of it once, as a `capped` health alert.
 */
export function ingestCapped(
  db: Db,
  cfg: SourceConfig,
  items: FeedItem[],
  caps: FeedCaps,
  o: IngestOptions,
  read?: ItemsRead,
): IngestResult {
  const taken = takenItems(items, caps);
  const { fresh, alerts: all } = ingestFeedItems(db, cfg, taken, o, read);
  const alerts = all.slice(0, caps.maxAlerts);
  const skippedItems = items.length - taken.length;
  const unalerted = all.length - alerts.length;
  if (unalerted)
    markUnalerted(
      db,
      cfg.id,
      all.slice(caps.maxAlerts).map((a) => (a.type === 'feed.item' ? a.item.guid : '')),
    );
  if (skippedItems || unalerted) {
    const parts = [
      skippedItems
        ? `${skippedItems} of its ${items.length} entries were skipped (at most ${caps.maxItems} a poll)`
        : '',
      unalerted
        ? `${unalerted} new entries were stored without an alert (at most ${caps.maxAlerts} alerts a poll)`
        : '',
    ];
    alerts.push(
      healthAlert(
        'capped',
        `the feed answered more than one poll takes: ${parts.filter(Boolean).join('; ')}. Check the feed, or raise maxItems / maxAlerts on the source.`,
        o.ref,
        o.at,
      ),
    );
  }
  return { fresh, alerts };
}
