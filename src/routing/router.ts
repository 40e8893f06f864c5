// Which channels an alert goes to. Pure: subscriptions and default channels are handed in.
// Company subscriptions are matched with the lookup's own scorer (nameScore and its threshold),
// so "subscribe Huawai" routes exactly what "lookup Huawai" would show, and a name given with a
// legal form ("subscribe Alphabet Inc.") only that company, as its lookup answers.
import { CL_CASE } from '../sources/courtlistener-ids.js';
import type { FeedItem, NewAlert, Subscription } from '../domain.js';
import { isDesignationAlert } from '../alerts/category.js';
import { parseDocket, sameCase, type Docket } from '../feeds/docket.js';
import { entityNames } from '../names/entity-names.js';
import { hasCompanyForm, isGeneric, isGenericWord, normalizeName } from '../names/normalize.js';
import {
  companyNameHolds,
  explainPrepared,
  MATCH_THRESHOLD,
  prepareName,
  scorePrepared,
  type PreparedName,
} from '../names/similarity.js';
import { TokenIndex } from '../names/token-index.js';
import { identifierQuery, isSpecificIdentifier, routeKey } from '../portfolio/identifier-query.js';

/** One followed company name and every channel following it: scored once per alert name. */
interface FollowedName {
  name: PreparedName;
  channels: string[];
  /** Why each channel follows it, by channel. */
  reasons: Map<string, string>;
  /** The subscription giving each channel's reason: of two to one name, the later. */
  ids: Map<string, number>;
  /** Channels that gave the name with a legal form ("Alphabet Inc."): a company's whole name. */
  companyOnly: Set<string>;
}

/** A held company's name and the channels holding it; prepared for scoring when first reached. */
interface HeldName {
  normalized: string;
  name?: PreparedName;
  reasons: Map<string, string>;
}

/** A followed court case and the channels following it. */
interface FollowedCase {
  docket: Docket;
  court: string | null;
  channel: string;
  reason: string;
}

/** What the router needs of a holding (db/holdings.ts's Holding fits). */
export interface HeldSecurity {
  channel: string;
  name: string | null;
  /** The name normalised, as stored with the holding (re-normalised when the names scheme changes); computed when absent. */
  normalized?: string | null;
  isin: string | null;
  ticker: string | null;
  exchange: string | null;
  lei: string | null;
  uscc: string | null;
}

/** Identifier types by how surely they name one security. */
const RANK = ['ISIN', 'LEI', 'USCC', 'Ticker'];

/** Channel → why it receives the alert. */
export type Routes = Map<string, string>;

export class Router {
  private all = new Map<string, string>();
  private bySource = new Map<string, Map<string, string>>();
  private byList = new Map<string, Map<string, string>>();
  private entities = new TokenIndex<FollowedName>();
  private followed = new Map<string, FollowedName>();
  /**
   * Followed companies typed as identifiers ("IMO 7406784", "SBERRUMM", "CHA US"), by the compact
   * key a record's identifier is compared in ("7406784"), or "Ticker CHA US".
   */
  private followedIds = new Map<string, Map<string, string>>();
  /** Followed cases by the docket number without office. */
  private cases = new Map<string, FollowedCase[]>();
  /** Cases followed by their CourtListener docket id: channel → reason. */
  private courtListenerCases = new Map<string, Map<string, string>>();
  /** Holdings by identifier: "ISIN US16941M1099", "Ticker CHL US", "USCC ...", "LEI ...". */
  private held = new Map<string, Map<string, string>>();
  /** Holdings by name, and by each distinctive word of their names. */
  private heldNames = new Map<string, HeldName>();
  private heldByWord = new Map<string, HeldName[]>();

  constructor(
    subscriptions: Subscription[],
    defaultChannels: string[],
    private threshold = MATCH_THRESHOLD,
    holdings: HeldSecurity[] = [],
  ) {
    for (const c of defaultChannels) this.all.set(c, 'every alert (operator setting)');
    for (const s of subscriptions) this.addSubscription(s);
    for (const h of holdings) this.addHolding(h);
  }

  /**
   * Of two subscriptions of a channel to the same name, the later gives the reason, in whatever
   * order they are added.
   */
  addSubscription(s: Subscription): void {
    const t = s.target;
    if (t.kind === 'all') this.all.set(s.channel, `subscription #${s.id}: every alert`);
    else if (t.kind === 'source')
      add(this.bySource, t.value, s.channel, `subscription #${s.id}: source ${t.value}`);
    else if (t.kind === 'list')
      add(
        this.byList,
        t.value.toLowerCase(),
        s.channel,
        `subscription #${s.id}: the ${t.value} list`,
      );
    else if (t.kind === 'case' && t.value.startsWith(CL_CASE)) {
      add(
        this.courtListenerCases,
        t.value.slice(CL_CASE.length),
        s.channel,
        `subscription #${s.id}: CourtListener docket ${t.value.slice(CL_CASE.length)}`,
      );
    } else if (t.kind === 'case') {
      const docket = parseDocket(t.value);
      if (!docket) return;
      const f = {
        docket,
        court: t.court,
        channel: s.channel,
        reason: `subscription #${s.id}: case ${docket.number}${t.court ? ` (${t.court})` : ''}`,
      };
      this.cases.set(docket.core, [...(this.cases.get(docket.core) ?? []), f]);
    } else {
      const { idKeys, normalized } = followedForms(t.value);
      for (const k of idKeys)
        add(this.followedIds, k, s.channel, `subscription #${s.id}: "${t.value}"`);
      if (!normalized) return;
      this.follow(
        normalized,
        s.channel,
        s.id,
        `subscription #${s.id}: "${t.value}"`,
        hasCompanyForm(t.value),
      );
    }
  }

  /** A holding routes like a followed company: by its identifiers, then by its name. */
  addHolding(h: HeldSecurity): void {
    const label =
      h.isin ??
      (h.ticker ? `${h.ticker}${h.exchange ? ` ${h.exchange}` : ''}` : null) ??
      h.lei ??
      h.uscc ??
      `"${h.name}"`;
    for (const [key, word] of heldIdentifiers(h))
      add(this.held, key, h.channel, `holding ${label} matched ${word}`);
    const normalized = heldName(h);
    if (!normalized) return;
    // Names as written, like the exposure report: a holding's name matches a listed name that holds
    // all of its distinctive words (thousands of holdings make typo-tolerant matching too costly).
    let held = this.heldNames.get(normalized);
    if (!held) {
      held = { normalized, reasons: new Map() };
      this.heldNames.set(normalized, held);
      for (const w of distinctWords(normalized)) {
        const list = this.heldByWord.get(w);
        if (list) list.push(held);
        else this.heldByWord.set(w, [held]);
      }
    }
    if (!held.reasons.has(h.channel))
      held.reasons.set(h.channel, `holding "${h.name}" matched by name`);
  }

  /** Holdings whose names match a listed name (all their distinctive words in it, and the score). */
  private heldMatching(name: string): HeldName[] {
    const n = prepareName(name);
    const seen = new Set<HeldName>();
    const out: HeldName[] = [];
    for (const w of n.distinctive) {
      for (const held of this.heldByWord.get(w) ?? []) {
        if (seen.has(held)) continue;
        seen.add(held);
        if (heldNameMatches((held.name ??= prepareName(held.normalized)), n, this.threshold))
          out.push(held);
      }
    }
    return out;
  }

  private follow(
    normalized: string,
    channel: string,
    id: number,
    reason: string,
    company: boolean,
  ): void {
    const known = this.followed.get(normalized);
    if (known) {
      // A channel following the name without a legal form too takes every company of that name.
      if (!known.reasons.has(channel)) {
        known.channels.push(channel);
        if (company) known.companyOnly.add(channel);
      } else if (!company) known.companyOnly.delete(channel);
      if ((known.ids.get(channel) ?? -1) < id) {
        known.reasons.set(channel, reason);
        known.ids.set(channel, id);
      }
      return;
    }
    const f = {
      name: prepareName(normalized),
      channels: [channel],
      reasons: new Map([[channel, reason]]),
      ids: new Map([[channel, id]]),
      companyOnly: new Set(company ? [channel] : []),
    };
    this.followed.set(normalized, f);
    this.entities.add(normalized, f);
  }

  /** The followers of the case a court entry belongs to: by its docket number, or its CourtListener docket. */
  private caseFollowers(
    item: Pick<FeedItem, 'court' | 'docket' | 'courtListenerDocket'>,
  ): { channel: string; reason: string }[] {
    const docket = item.docket ? parseDocket(item.docket) : null;
    const byNumber = docket
      ? (this.cases.get(docket.core) ?? []).filter(
          (f) => sameCase(f.docket, docket) && (!f.court || !item.court || f.court === item.court),
        )
      : [];
    const byId = item.courtListenerDocket
      ? [...(this.courtListenerCases.get(item.courtListenerDocket) ?? [])].map(
          ([channel, reason]) => ({ channel, reason }),
        )
      : [];
    return byId.length ? [...byNumber, ...byId] : byNumber;
  }

  /** True when some channel follows the case of this entry. */
  followsCase(item: Pick<FeedItem, 'court' | 'docket' | 'courtListenerDocket'>): boolean {
    return this.caseFollowers(item).length > 0;
  }

  /**
   * Whether some channel follows a company or a holding: without, a list change has no routes but
   * its source's and list's (a catch-up's 8,467 changes need no look each).
   */
  get followsEntities(): boolean {
    return (
      this.followed.size > 0 ||
      this.followedIds.size > 0 ||
      this.held.size > 0 ||
      this.heldNames.size > 0
    );
  }

  /** The channels of an alert, sorted. */
  route(alert: NewAlert): string[] {
    return [...this.routes(alert).keys()].sort();
  }

  /** Each channel an alert goes to, once, with the first reason found (most general first). */
  routes(alert: NewAlert): Routes {
    return this.specificRoutes(alert, this.broadRoutes(alert));
  }

  /**
   * The channels that take every alert of the alert's source or list (or every alert at all): the
   * routes a changeset stands in for when a poll changes more than a channel takes one by one.
   */
  broadRoutes(alert: NewAlert): Routes {
    const out: Routes = new Map(this.all);
    take(out, this.bySource.get(alert.source));
    if (alert.type === 'designation.changeset')
      for (const l of alert.lists) take(out, this.byList.get(l.list.toLowerCase()));
    else if (isDesignationAlert(alert)) take(out, this.byList.get(alert.list.toLowerCase()));
    return out;
  }

  /**
   * Adds to `out` the channels that follow what the alert names: a held security (by identifier or
   * name), a followed company, a followed case. A channel already in `out` keeps its reason.
   */
  specificRoutes(alert: NewAlert, out: Routes = new Map()): Routes {
    if (!isDesignationAlert(alert) && alert.type !== 'feed.item') return out;
    if (alert.type !== 'feed.item') {
      // Holdings by identifier come before names, so the reason says which identifier.
      for (const key of this.held.size ? heldKeysOf(alert.record) : [])
        take(out, this.held.get(key));
      // A company followed by one of its identifiers, compared as a lookup compares them.
      for (const i of this.followedIds.size ? (alert.record.identifiers ?? []) : []) {
        const key = routeKey(i);
        for (const [c, why] of (key && this.followedIds.get(key)) || [])
          if (!out.has(c))
            out.set(
              c,
              `${why}, matched ${i.type} ${i.value}${i.type === 'Ticker' && i.exchange ? ` ${i.exchange}` : ''}`,
            );
      }
    } else {
      for (const f of this.caseFollowers(alert.item))
        if (!out.has(f.channel)) out.set(f.channel, f.reason);
      // A listing the item names, followed by one of its identifiers.
      for (const m of this.followedIds.size ? alert.mentions : []) {
        for (const key of m.identifierKeys ?? []) {
          for (const [c, why] of this.followedIds.get(key) ?? [])
            if (!out.has(c)) out.set(c, `${why}, names ${m.name} (${m.list})`);
        }
      }
    }
    if (this.followed.size > 0 || this.heldNames.size > 0) {
      const takeVia = (m: Map<string, string> | undefined, alias: string | null) => {
        for (const [c, why] of m ?? [])
          if (!out.has(c)) out.set(c, alias ? `${why}, matched alias "${alias}"` : why);
      };
      for (const [name, alias] of alertNames(alert)) {
        takeVia(this.followed.get(name)?.reasons, alias);
        for (const held of this.heldNames.size ? this.heldMatching(name) : [])
          takeVia(held.reasons, alias);
        let prepared: PreparedName | undefined;
        for (const f of this.entities.candidates(name)) {
          if (f.channels.every((c) => out.has(c))) continue;
          prepared ??= prepareName(name);
          const s = explainPrepared(f.name, prepared, this.threshold);
          if (s.score < this.threshold) continue;
          // As the lookup of a name given with a legal form: the company's whole name only.
          const holds =
            f.companyOnly.size === 0 ||
            companyNameHolds(
              f.name,
              prepared,
              s,
              alert.type === 'feed.item' ? null : alert.record.type,
            );
          takeVia(
            holds ? f.reasons : new Map([...f.reasons].filter(([c]) => !f.companyOnly.has(c))),
            alias,
          );
        }
      }
    }
    return out;
  }
}

/** Whether a held name matches a listed one: all its distinctive words there as written, and the score. */
export function heldNameMatches(
  held: PreparedName,
  listed: PreparedName,
  threshold = MATCH_THRESHOLD,
): boolean {
  return (
    held.distinctive.every((x) => listed.tokenSet.has(x)) &&
    scorePrepared(held, listed, threshold) >= threshold
  );
}

/** The first test of heldNameMatches, on a name not prepared: its distinctive words all in the listed name. */
export function heldWordsIn(normalized: string, listed: PreparedName): boolean {
  return normalized.split(' ').every((w) => !w || isGenericWord(w) || listed.tokenSet.has(w));
}

/** Whether a followed name can route a listed one (the legal-form rule may still narrow its channels). */
export function followedNameMatches(
  followed: PreparedName,
  listed: PreparedName,
  threshold = MATCH_THRESHOLD,
): boolean {
  return explainPrepared(followed, listed, threshold).score >= threshold;
}

/**
 * How a followed company is compared: by its identifier keys, and by its name normalised (null
 * for a bare number such as "9187629", followed as the identifier it is, not as a name).
 */
export function followedForms(value: string): { idKeys: string[]; normalized: string | null } {
  const ids = identifierQuery(value);
  const idKeys = [...ids.keys, ...ids.tickers.map((x) => `Ticker ${x}`)];
  const normalized = normalizeName(value);
  return {
    idKeys,
    normalized:
      !normalized || (isGeneric(normalized) && isSpecificIdentifier(ids)) ? null : normalized,
  };
}

/** A holding's identifiers as the router files them ("ISIN US16941M1099"), with the word for each. */
export function heldIdentifiers(
  h: Pick<HeldSecurity, 'isin' | 'ticker' | 'exchange' | 'uscc' | 'lei'>,
): [key: string, word: string][] {
  const ids: [string, string | null, string][] = [
    ['ISIN', h.isin, 'ISIN'],
    ['Ticker', h.ticker && h.exchange ? `${h.ticker} ${h.exchange}` : null, 'ticker'],
    ['USCC', h.uscc, 'USCC'],
    ['LEI', h.lei, 'LEI'],
  ];
  return ids
    .filter(([, value]) => value)
    .map(([type, value, word]) => [`${type} ${value!.toUpperCase()}`, word]);
}

export function heldName(h: Pick<HeldSecurity, 'name' | 'normalized'>): string {
  return h.normalized ?? (h.name ? normalizeName(h.name) : '');
}

/** The distinctive words of a normalised name, once each. */
export function distinctWords(normalized: string): string[] {
  return [...new Set(normalized.split(' '))].filter((w) => w && !isGenericWord(w));
}

/** A listing's identifiers in the holdings' form, the strongest first (it names the reason when several match). */
export function heldKeysOf(record: {
  identifiers?: { type: string; value: string; exchange?: string | null }[];
}): string[] {
  const ids = [...(record.identifiers ?? [])].sort(
    (a, b) => RANK.indexOf(a.type) - RANK.indexOf(b.type),
  );
  const out: string[] = [];
  for (const i of ids) {
    const value = i.type === 'Ticker' ? (i.exchange ? `${i.value} ${i.exchange}` : null) : i.value;
    if (value) out.push(`${i.type} ${value.toUpperCase()}`);
  }
  return out;
}

/** Normalising every name and alias is most of an alert's routing: once per alert, for the
 * look-up of its follows and for its routes. */
const namesOfAlerts = new WeakMap<NewAlert, Map<string, string | null>>();

/**
 * The names an alert routes by, normalised, each with the alias it came from (null for a main
 * name; shown as "matched alias"). A court entry's mention is found by one of its entity's names:
 * it routes by that name too.
 */
export function alertNames(alert: NewAlert): Map<string, string | null> {
  const known = namesOfAlerts.get(alert);
  if (known) return known;
  const names = new Map<string, string | null>();
  namesOfAlerts.set(alert, names);
  if (!isDesignationAlert(alert) && alert.type !== 'feed.item') return names;
  const refs =
    alert.type === 'feed.item'
      ? alert.mentions.map((m) => ({
          name: m.name,
          aliases: m.matched === m.name ? [] : [m.matched],
        }))
      : [alert.entity];
  for (const ref of refs) {
    for (const n of entityNames(ref, false))
      if (!names.has(n.normalized) || !n.isAlias)
        names.set(n.normalized, n.isAlias ? n.name : null);
  }
  return names;
}

/**
 * Whether a route's reason (made above) says it came from an identifier, an exact match, rather
 * than a name: a followed identifier ("..., matched IMO 9187629") or a held one ("holding
 * US16941M1099 matched ISIN"). A name's match says "matched alias" or "matched by name", or nothing.
 */
export function routedByIdentifier(reason: string): boolean {
  return (
    /, matched (?!alias ")\S+ \S/.test(reason) ||
    /^holding .* matched (?:ISIN|ticker|USCC|LEI)$/.test(reason)
  );
}

/** Whether a route's reason says it came from a followed company's name or a holding's, not an identifier or a whole list. */
export function routedByName(reason: string): boolean {
  return (
    (/^subscription #\d+: "/.test(reason) || /^holding ".*" matched by name/.test(reason)) &&
    !routedByIdentifier(reason)
  );
}

/** Adds each channel of `m` not routed yet, with its reason. */
function take(out: Routes, m: Map<string, string> | undefined): void {
  for (const [c, why] of m ?? []) if (!out.has(c)) out.set(c, why);
}

function add(
  map: Map<string, Map<string, string>>,
  key: string,
  channel: string,
  reason: string,
): void {
  const inner = map.get(key);
  if (inner) {
    if (!inner.has(channel)) inner.set(channel, reason);
  } else map.set(key, new Map([[channel, reason]]));
}
