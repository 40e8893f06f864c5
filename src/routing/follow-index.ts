// Routing by what changed, not by what is followed. Every followed company and held name is filed
// once under keys (db/follow-keys.ts: the name, some of its words), however many channels follow
// or hold it, and each subscription and holding under its name and identifiers. A poll looks up
// the keys of its own alerts' names, scores each name found once, and loads only the followers
// of the names that match. With 100,000 follows and 50,000 holdings, loading all of them into a
// Router cost a cron poll 2.4 s and ~230 MB; the keys are written once, when a follow is added.
//
// A followed name is filed under as few of its words as can still find every listed name it could
// match. It scores below the match threshold once two of its distinctive words are missing from
// the listed name (0.14 each, src/names/similarity.ts), so of any two of its words one is there:
// it is filed under its two least common words (all of them when it has two or fewer). A held
// name matches only a listed name holding all its distinctive words: it is filed under one. A
// word counts as there in every form the scorer reads it: as written, one typo away, two followed
// words written as one ("hik vision" for HIKVISION), one written as two.
import type { Db } from '../../db/database.js';
import {
  clearFollowKeys,
  filedNames,
  followedNamesIn,
  followKinds,
  followsIn,
  followsPending,
  heldNamesIn,
  holdingsNamed,
  queuedFollows,
  storeFollowKeys,
  subscriptionsNamed,
  wordsNear,
  type KeyRow,
  type NameKeyRow,
} from '../../db/follow-keys.js';
import { holdingsWithIds, type Holding } from '../../db/holdings.js';
import { trigramCounts } from '../../db/name-index.js';
import { broadSubscriptions, subscriptionsWithIds } from '../../db/subscriptions.js';
import type { ChangeRouter } from '../alerts/changeset.js';
import { anyClearance, clearancesOf, type Clearance } from '../../db/clearances.js';
import type {
  ChangeAlert,
  DesignationRecord,
  FeedItem,
  NewAlert,
  Subscription,
} from '../domain.js';
import { materialChanges, materialOf } from '../review/cleared.js';
import { MATCH_THRESHOLD, prepareName, reachTest, type PreparedName } from '../names/similarity.js';
import { indexedDeletions, probeTerms } from '../names/token-index.js';
import { routeKey } from '../portfolio/identifier-query.js';
import { isDesignationAlert } from '../alerts/category.js';
import {
  alertNames,
  distinctWords,
  followedForms,
  followedNameMatches,
  heldIdentifiers,
  heldKeysOf,
  heldNameMatches,
  heldWordsIn,
  routedByName,
  Router,
  type Routes,
} from './router.js';

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
  const chosen = new Set(
    [...words].sort((a, b) => frequency(a) - frequency(b) || b.length - a.length).slice(0, count),
  );
  return words.filter((w) => chosen.has(w));
}

/** A word's frequency from the name index's trigram counts (words under three letters: every name). */
function trigramFrequency(counts: ReadonlyMap<string, number>): WordFrequency {
  return (word) => {
    if (word.length < 3) return Number.MAX_SAFE_INTEGER;
    let least = Number.MAX_SAFE_INTEGER;
    for (let i = 0; i + 3 <= word.length; i++)
      least = Math.min(least, counts.get(word.slice(i, i + 3)) ?? 0);
    return least;
  };
}

/** The keys a followed name is filed under, and its filed words' deletions (for typos). */
function keysOfName(
  normalized: string,
  frequency: WordFrequency,
): { keys: NameKeyRow[]; near: [string, string][] } {
  // The name as written, and without its spaces (the scorer takes "hik vision" for HIKVISION).
  const keys: NameKeyRow[] = [
    [`n ${normalized}`, normalized],
    [`c ${normalized.replace(/ /g, '')}`, normalized],
  ];
  const near: [string, string][] = [];
  const filed = new Set(leastCommon(distinctWords(normalized), 2, frequency));
  for (const w of filed) {
    keys.push([`w ${w}`, normalized]);
    for (const d of indexedDeletions(w)) near.push([d, w]);
  }
  const words = [...new Set(normalized.split(' ').filter(Boolean))];
  for (let i = 0; i + 1 < words.length; i++) {
    if (filed.has(words[i]!) || filed.has(words[i + 1]!))
      keys.push([`j ${words[i]}${words[i + 1]}`, normalized]);
  }
  return { keys, near };
}

/**
 * Writes the keys of every queued follow (new subscriptions and holdings, or all of them after
 * the names scheme changed); returns how many follows it took. A subscription is filed under its
 * name and identifiers, its name (once for all its followers) under its words; a holding under
 * its identifiers and one word. Inside a caller's transaction the work joins it; otherwise each
 * slice is its own write.
 */
export function indexFollows(db: Db): number {
  if (!followsPending(db)) return 0;
  // Read once per call: ~20,000 trigrams for the full lists.
  let frequency: WordFrequency | undefined;
  const slice = () => {
    const taken = queuedFollows(db, SLICE);
    if (taken.length === 0) return 0;
    frequency ??= trigramFrequency(trigramCounts(db));
    clearFollowKeys(db, taken);
    const keys = {
      subscriptions: [] as KeyRow[],
      holdings: [] as KeyRow[],
      names: [] as NameKeyRow[],
      heldNames: [] as NameKeyRow[],
    };
    const names = new Set<string>();
    const held = new Set<string>();
    for (const f of taken) {
      if (f.subscriptionId !== null && f.value !== null) {
        const { idKeys, normalized } = followedForms(f.value);
        for (const k of idKeys) keys.subscriptions.push([`i ${k}`, f.subscriptionId]);
        if (normalized) {
          keys.subscriptions.push([`n ${normalized}`, f.subscriptionId]);
          names.add(normalized);
        }
      } else if (f.holdingId !== null) {
        for (const [key] of heldIdentifiers(f)) keys.holdings.push([`H ${key}`, f.holdingId]);
        if (f.normalized) held.add(f.normalized);
      }
    }
    const filed = filedNames(db, [...names], [...held]);
    for (const name of held) {
      if (!filed.held.has(name))
        for (const w of leastCommon(distinctWords(name), 1, frequency))
          keys.heldNames.push([`h ${w}`, name]);
    }
    // A word's deletions once per slice: followed names share their words.
    const near = new Map<string, [string, string]>();
    for (const name of names) {
      if (filed.followed.has(name)) continue;
      const k = keysOfName(name, frequency);
      keys.names.push(...k.keys);
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
export function followsNamed(
  db: Db,
  words: string[],
): { subscriptions: Subscription[]; holdings: Holding[] } {
  indexFollows(db);
  const names = followedNamesIn(
    db,
    words.map((w) => `w ${w}`),
  );
  const held = heldNamesIn(
    db,
    words.map((w) => `h ${w}`),
  );
  return {
    subscriptions: subscriptionsWithIds(db, subscriptionsNamed(db, names)),
    holdings: holdingsWithIds(db, holdingsNamed(db, held)),
  };
}

/**
 * A channel that cleared this entry as "not us" is not told of it again while the entry is the
 * same entry (names, identifiers, addresses, programs), unless it follows the whole list or source
 * or matched it by an identifier; when the entry changed, it is told, and what changed since.
 */
function cleared(
  out: Routes,
  broad: ReadonlySet<string>,
  c: Clearance,
  record: DesignationRecord,
): void {
  const why = out.get(c.channel);
  if (why === undefined || broad.has(c.channel) || !routedByName(why)) return;
  const changed = materialChanges(c.material, materialOf(record));
  if (changed.length === 0) out.delete(c.channel);
  else
    out.set(
      c.channel,
      `${why}; cleared as not us on ${c.clearedAt.slice(0, 10)} by ${c.clearedBy}, since then ${changed.join('; ')}`,
    );
}

/** What an alert's follows can be filed under: exact keys, keys of followed names and held names, typo probes. */
interface Probes {
  /** Identifier keys ("i ..." followed, "H ..." held): the follows under them are loaded as they are. */
  identifiers: string[];
  /** Keys of followed names ("n", "c", "w", "j"). */
  names: string[];
  /** Keys of held names ("h"). */
  held: string[];
  /** One-letter deletions of its words, asked of the followed words. */
  near: string[];
}

function probesOf(alert: NewAlert): Probes {
  const identifiers = new Set<string>();
  const names = new Set<string>();
  const held = new Set<string>();
  const near = new Set<string>();
  if (alert.type === 'feed.item') {
    for (const m of alert.mentions)
      for (const k of m.identifierKeys ?? []) identifiers.add(`i ${k}`);
  } else if (isDesignationAlert(alert)) {
    for (const k of heldKeysOf(alert.record)) identifiers.add(`H ${k}`);
    for (const i of alert.record.identifiers ?? []) {
      const k = routeKey(i);
      if (k) identifiers.add(`i ${k}`);
    }
  }
  for (const name of alertNames(alert).keys()) {
    names.add(`n ${name}`);
    names.add(`c ${name.replace(/ /g, '')}`);
    const words = [...new Set(name.split(' ').filter(Boolean))];
    for (const [i, w] of words.entries()) {
      held.add(`h ${w}`);
      // Two followed words written as one here, and one followed word written as two here.
      names.add(`j ${w}`);
      if (i + 1 < words.length) names.add(`w ${w}${words[i + 1]}`);
      const terms = probeTerms(w);
      for (const d of terms.direct) names.add(`w ${d}`);
      for (const d of terms.near) near.add(d);
    }
  }
  return { identifiers: [...identifiers], names: [...names], held: [...held], near: [...near] };
}

/**
 * A Router holding the broad subscriptions (every alert, sources, lists, cases) and, as alerts
 * are routed, the followed companies and holdings that match them. The keys of an alert find the
 * names that could match it; each name is scored against the alert once, and only the followers
 * of the names that match are loaded (a name followed by a hundred channels is scored once, and a
 * name sharing one rare word with a listing costs a score, not a hundred loads). A follow reached
 * by none of an alert's keys could not have matched it, so the routes are those of a Router
 * holding everything.
 */
export class IndexedRouter implements ChangeRouter {
  private readonly router: Router;
  private readonly kinds: { companies: boolean; holdings: boolean; identifiers: boolean };
  private readonly askedIdentifiers = new Set<string>();
  /** Followed and held names found to match some alert: their followers and holdings are loaded. */
  private readonly matchedNames = new Set<string>();
  private readonly matchedHeldNames = new Set<string>();
  private readonly loadedSubscriptions = new Set<number>();
  private readonly loadedHoldings = new Set<number>();
  /** Alerts whose follows are loaded: a list poll prepares them all, then routes each. */
  private readonly prepared = new WeakSet<NewAlert>();
  /** Listed entries cleared as "not us" by some channel, by "list\0key" (read for the entries a poll changes). */
  private readonly clearances = new Map<string, Clearance[]>();
  private readonly anyCleared: boolean;

  constructor(
    private readonly db: Db,
    defaultChannels: string[],
    private readonly threshold = MATCH_THRESHOLD,
  ) {
    indexFollows(db);
    this.router = new Router(broadSubscriptions(db), defaultChannels, threshold);
    this.kinds = followKinds(db);
    this.anyCleared = anyClearance(db);
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

  /** Loads the follows matching the alerts: a list poll's changes all at once, then routed each. */
  prepare(alerts: readonly NewAlert[]): void {
    if (!this.followsEntities) return;
    if (this.anyCleared) {
      const entries = alerts
        .filter((a) => 'record' in a && !this.clearances.has(`${a.list}\u0000${a.record.key}`))
        .map((a) => ({ list: (a as ChangeAlert).list, key: (a as ChangeAlert).record.key }));
      for (const e of entries) this.clearances.set(`${e.list}\u0000${e.key}`, []);
      for (const [k, cs] of clearancesOf(this.db, entries)) this.clearances.set(k, cs);
    }
    const identifiers = new Set<string>();
    const names = new Set<string>();
    const heldNames = new Set<string>();
    // Names recur across a poll's alerts (common words): each prepared once.
    const preparedNames = new Map<string, PreparedName>();
    const prepared = (n: string) => {
      let p = preparedNames.get(n);
      if (!p) preparedNames.set(n, (p = prepareName(n)));
      return p;
    };
    for (const alert of alerts) {
      if (this.prepared.has(alert)) continue;
      this.prepared.add(alert);
      const probes = probesOf(alert);
      for (const k of probes.identifiers) if (!this.askedIdentifiers.has(k)) identifiers.add(k);
      const listed = [...alertNames(alert).keys()].map(prepared);
      if (listed.length === 0) continue;
      // Every word of every name the alert gives, as one: a name missing from all of them at once
      // is decided in one look, not one per alias.
      const anyName =
        listed.length === 1
          ? () => true
          : reachTest(prepareName(listed.map((l) => l.text).join(' ')), this.threshold, false);
      const reaches = listed.map((l) => ({ l, reaches: reachTest(l, this.threshold) }));
      const keys = [...probes.names, ...wordsNear(this.db, probes.near).map((w) => `w ${w}`)];
      // Most names reached share a word or two with the listing and are told apart without preparing.
      for (const n of followedNamesIn(this.db, [...new Set(keys)])) {
        if (this.matchedNames.has(n) || names.has(n)) continue;
        if (!anyName(n)) continue;
        if (
          reaches.some(
            ({ l, reaches }) => reaches(n) && followedNameMatches(prepared(n), l, this.threshold),
          )
        )
          names.add(n);
      }
      for (const n of heldNamesIn(this.db, probes.held)) {
        if (this.matchedHeldNames.has(n) || heldNames.has(n)) continue;
        if (
          reaches.some(
            ({ l, reaches }) =>
              heldWordsIn(n, l) && reaches(n) && heldNameMatches(prepared(n), l, this.threshold),
          )
        )
          heldNames.add(n);
      }
    }
    for (const k of identifiers) this.askedIdentifiers.add(k);
    for (const n of names) this.matchedNames.add(n);
    for (const n of heldNames) this.matchedHeldNames.add(n);
    const byIdentifier = followsIn(this.db, [...identifiers]);
    // In id order, as a Router built from every subscription adds them (of two subscriptions of a
    // channel to one name, the later gives the reason).
    const subscriptionIds = [
      ...new Set([...subscriptionsNamed(this.db, [...names]), ...byIdentifier.subscriptions]),
    ].filter((id) => !this.loadedSubscriptions.has(id));
    for (const s of subscriptionsWithIds(
      this.db,
      subscriptionIds.sort((a, b) => a - b),
    )) {
      this.loadedSubscriptions.add(s.id);
      this.router.addSubscription(s);
    }
    const holdingIds = [
      ...new Set([...holdingsNamed(this.db, [...heldNames]), ...byIdentifier.holdings]),
    ].filter((id) => !this.loadedHoldings.has(id));
    for (const h of holdingsWithIds(
      this.db,
      holdingIds.sort((a, b) => a - b),
    )) {
      this.loadedHoldings.add(h.id);
      this.router.addHolding(h);
    }
  }

  broadRoutes(alert: NewAlert): Routes {
    return this.router.broadRoutes(alert);
  }

  specificRoutes(alert: NewAlert, out: Routes = new Map()): Routes {
    this.prepare([alert]);
    const broad = new Set(out.keys());
    this.router.specificRoutes(alert, out);
    if ('record' in alert)
      for (const c of this.clearances.get(`${alert.list}\u0000${alert.record.key}`) ?? [])
        cleared(out, broad, c, alert.record);
    return out;
  }

  routes(alert: NewAlert): Routes {
    return this.specificRoutes(alert, this.broadRoutes(alert));
  }
}
