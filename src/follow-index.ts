// Routing by what changed, not by what is followed. Every followed company and holding is filed
// under keys (db/follow-keys.ts: its name, some of its words, its identifiers); a poll looks up the
// keys of its own alerts' names and identifiers, loads the few follows found, and routes them
// through the same Router as ever. With 100,000 follows and 50,000 holdings, loading all of them
// into a Router cost a cron poll 2.4 s and ~230 MB; the keys are written once, when a follow is added.
//
// A follow is filed under as few of its words as can still find every listed name it could match.
// A followed name scores below the match threshold once two of its distinctive words are missing
// from the listed name (0.14 each, src/names/similarity.ts), so of any two of its words one is
// there: it is filed under its two least common words (all of them when it has two or fewer). A
// held name matches only a listed name holding all its distinctive words: it is filed under one.
// A word counts as there in every form the scorer reads it: as written, one typo away, two
// followed words written as one ("hik vision" for HIKVISION), one written as two.
import type { Db } from '../db/database.js';
import { followKinds, followsIn, followsPending, queuedFollows, storeFollowKeys, wordsNear, type KeyRow, type QueuedFollow } from '../db/follow-keys.js';
import { holdingsWithIds, type Holding } from '../db/holdings.js';
import { trigramCounts } from '../db/name-index.js';
import { broadSubscriptions, subscriptionsWithIds } from '../db/subscriptions.js';
import type { ChangeRouter } from './alerts/changeset.js';
import type { FeedItem, NewAlert, Subscription } from './domain.js';
import { MATCH_THRESHOLD } from './names/similarity.js';
import { indexedDeletions, probeTerms } from './names/token-index.js';
import { routeKey } from './portfolio/identifier-query.js';
import { alertNames, distinctWords, followedForms, heldIdentifiers, heldKeysOf, heldName, Router, type Routes } from './routing.js';

/** Follows keyed per slice: a 50,000-row import is keyed in ~25 short steps. */
const SLICE = 2048;

/** How many listed names a word may stand in, at most: the fewest names holding one of its trigrams. */
type WordFrequency = (word: string) => number;

/**
 * The `count` words least likely to stand in a changed listed name (each alert naming a filed word
 * loads the follow), in the name's order. Which words are chosen changes what a poll loads, never
 * what it routes.
 */
function leastCommon(words: string[], count: number, frequency: WordFrequency): string[] {
  if (words.length <= count) return words;
  const chosen = new Set([...words].sort((a, b) => frequency(a) - frequency(b) || b.length - a.length).slice(0, count));
  return words.filter((w) => chosen.has(w));
}

/** A word's frequency from the name index's trigram counts (words under three letters: every name). */
function trigramFrequency(counts: ReadonlyMap<string, number>): WordFrequency {
  return (word) => {
    if (word.length < 3) return Number.MAX_SAFE_INTEGER;
    let least = Number.MAX_SAFE_INTEGER;
    for (let i = 0; i + 3 <= word.length; i++) least = Math.min(least, counts.get(word.slice(i, i + 3)) ?? 0);
    return least;
  };
}

/** The keys of one queued follow, and its filed words' deletions (for typos). */
function keysOfFollow(f: QueuedFollow, frequency: WordFrequency): { subscriptions: KeyRow[]; holdings: KeyRow[]; near: [string, string][] } {
  const out = { subscriptions: [] as KeyRow[], holdings: [] as KeyRow[], near: [] as [string, string][] };
  if (f.subscriptionId !== null && f.value !== null) {
    const id = f.subscriptionId;
    const { idKeys, normalized } = followedForms(f.value);
    for (const k of idKeys) out.subscriptions.push([`i ${k}`, id]);
    if (!normalized) return out;
    // The name as written, and without its spaces (the scorer takes "hik vision" for HIKVISION).
    out.subscriptions.push([`n ${normalized}`, id], [`c ${normalized.replace(/ /g, '')}`, id]);
    const filed = new Set(leastCommon(distinctWords(normalized), 2, frequency));
    for (const w of filed) {
      out.subscriptions.push([`w ${w}`, id]);
      for (const d of indexedDeletions(w)) out.near.push([d, w]);
    }
    const words = [...new Set(normalized.split(' ').filter(Boolean))];
    for (let i = 0; i + 1 < words.length; i++) {
      if (filed.has(words[i]!) || filed.has(words[i + 1]!)) out.subscriptions.push([`j ${words[i]}${words[i + 1]}`, id]);
    }
  } else if (f.holdingId !== null) {
    for (const [key] of heldIdentifiers(f)) out.holdings.push([`H ${key}`, f.holdingId]);
    for (const w of leastCommon(distinctWords(heldName(f)), 1, frequency)) out.holdings.push([`h ${w}`, f.holdingId]);
  }
  return out;
}

/**
 * Writes the keys of every queued follow (new subscriptions and holdings, or all of them after
 * the names scheme changed); returns how many follows it took. Inside a caller's transaction the
 * work joins it; otherwise each slice is its own write.
 */
export function indexFollows(db: Db): number {
  if (!followsPending(db)) return 0;
  // Read once per call: ~20,000 trigrams for the full lists.
  let frequency: WordFrequency | undefined;
  const slice = () => {
    const taken = queuedFollows(db, SLICE);
    if (taken.length === 0) return 0;
    frequency ??= trigramFrequency(trigramCounts(db));
    const keys = { subscriptions: [] as KeyRow[], holdings: [] as KeyRow[] };
    // A word's deletions once per slice: followed names share their words.
    const near = new Map<string, [string, string]>();
    for (const f of taken) {
      const k = keysOfFollow(f, frequency);
      keys.subscriptions.push(...k.subscriptions);
      keys.holdings.push(...k.holdings);
      for (const pair of k.near) near.set(`${pair[0]} ${pair[1]}`, pair);
    }
    storeFollowKeys(db, taken, keys, [...near.values()]);
    return taken.length;
  };
  const inSlices = db.transaction(slice);
  const step = db.inTransaction ? slice : () => inSlices.immediate();
  let total = 0;
  for (let n = step(); n > 0; n = step()) total += n;
  return total;
}

/**
 * The followed companies and holdings filed under one of the words: every one whose whole name
 * is made of words among them (a court entry's words name only such follows).
 */
export function followsNamed(db: Db, words: string[]): { subscriptions: Subscription[]; holdings: Holding[] } {
  indexFollows(db);
  const found = followsIn(db, words.flatMap((w) => [`w ${w}`, `h ${w}`]));
  return { subscriptions: subscriptionsWithIds(db, found.subscriptions), holdings: holdingsWithIds(db, found.holdings) };
}

/** The keys an alert's follows can be filed under, and the words whose typo forms are asked. */
function probesOf(alert: NewAlert, keys: Set<string>, near: Set<string>): void {
  if (alert.type === 'source.health' || alert.type === 'designation.changeset') return;
  if (alert.type === 'feed.item') {
    for (const m of alert.mentions) for (const k of m.identifierKeys ?? []) keys.add(`i ${k}`);
  } else {
    for (const k of heldKeysOf(alert.record)) keys.add(`H ${k}`);
    for (const i of alert.record.identifiers ?? []) {
      const k = routeKey(i);
      if (k) keys.add(`i ${k}`);
    }
  }
  for (const name of alertNames(alert).keys()) {
    keys.add(`n ${name}`);
    keys.add(`c ${name.replace(/ /g, '')}`);
    const words = [...new Set(name.split(' ').filter(Boolean))];
    for (const [i, w] of words.entries()) {
      keys.add(`h ${w}`);
      // Two followed words written as one here, and one followed word written as two here.
      keys.add(`j ${w}`);
      if (i + 1 < words.length) keys.add(`w ${w}${words[i + 1]}`);
      const terms = probeTerms(w);
      for (const d of terms.direct) keys.add(`w ${d}`);
      for (const d of terms.near) near.add(d);
    }
  }
}

/**
 * A Router holding the broad subscriptions (every alert, sources, lists, cases) and, as alerts
 * are routed, the followed companies and holdings their keys reach. A follow reached by none of an
 * alert's keys could not have matched it, so the routes are those of a Router holding everything.
 */
export class IndexedRouter implements ChangeRouter {
  private readonly router: Router;
  private readonly kinds: { companies: boolean; holdings: boolean; identifiers: boolean };
  private readonly askedKeys = new Set<string>();
  private readonly askedNear = new Set<string>();
  private readonly loadedSubscriptions = new Set<number>();
  private readonly loadedHoldings = new Set<number>();
  /** Alerts whose follows are loaded: a list poll prepares them all, then routes each. */
  private readonly prepared = new WeakSet<NewAlert>();

  constructor(private readonly db: Db, defaultChannels: string[], threshold = MATCH_THRESHOLD) {
    indexFollows(db);
    this.router = new Router(broadSubscriptions(db), defaultChannels, threshold);
    this.kinds = followKinds(db);
  }

  /** How many followed companies and holdings it has loaded (what a poll's routing cost). */
  get loaded(): number {
    return this.loadedSubscriptions.size + this.loadedHoldings.size;
  }

  get followsEntities(): boolean {
    return this.kinds.companies || this.kinds.holdings;
  }

  get followsIdentifiers(): boolean {
    return this.kinds.identifiers;
  }

  followsCase(item: Pick<FeedItem, 'court' | 'docket' | 'courtListenerDocket'>): boolean {
    return this.router.followsCase(item);
  }

  /** Loads the follows the alerts can reach: one look-up for many alerts (a list poll's changes). */
  prepare(alerts: readonly NewAlert[]): void {
    if (!this.followsEntities) return;
    const keys = new Set<string>();
    const near = new Set<string>();
    for (const a of alerts) {
      if (this.prepared.has(a)) continue;
      this.prepared.add(a);
      probesOf(a, keys, near);
    }
    const newNear = [...near].filter((d) => !this.askedNear.has(d));
    for (const d of newNear) this.askedNear.add(d);
    for (const w of wordsNear(this.db, newNear)) keys.add(`w ${w}`);
    const newKeys = [...keys].filter((k) => !this.askedKeys.has(k));
    if (newKeys.length === 0) return;
    for (const k of newKeys) this.askedKeys.add(k);
    const found = followsIn(this.db, newKeys);
    // In id order, as a Router built from every subscription adds them. Subscriptions to one name
    // share its keys, so they arrive in the same load.
    for (const s of subscriptionsWithIds(this.db, found.subscriptions.filter((id) => !this.loadedSubscriptions.has(id)))) {
      this.loadedSubscriptions.add(s.id);
      this.router.addSubscription(s);
    }
    for (const h of holdingsWithIds(this.db, found.holdings.filter((id) => !this.loadedHoldings.has(id)))) {
      this.loadedHoldings.add(h.id);
      this.router.addHolding(h);
    }
  }

  broadRoutes(alert: NewAlert): Routes {
    return this.router.broadRoutes(alert);
  }

  specificRoutes(alert: NewAlert, out: Routes = new Map()): Routes {
    this.prepare([alert]);
    return this.router.specificRoutes(alert, out);
  }

  routes(alert: NewAlert): Routes {
    return this.specificRoutes(alert, this.broadRoutes(alert));
  }
}
