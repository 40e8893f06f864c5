// Which channels an alert goes to. Pure: subscriptions and default channels are handed in.
// Company subscriptions are matched with the lookup's own scorer (nameScore and its threshold),
// so "subscribe Huawai" routes exactly what "lookup Huawai" would show.
import type { FeedItem, NewAlert, Subscription } from './domain.js';
import { parseDocket, sameCase, type Docket } from './courts/docket.js';
import { entityNames } from './names/entity-names.js';
import { normalizeName } from './names/normalize.js';
import { MATCH_THRESHOLD, prepareName, scorePrepared, type PreparedName } from './names/similarity.js';
import { TokenIndex } from './names/token-index.js';

/** One followed company name and every channel following it: scored once per alert name. */
interface FollowedName {
  name: PreparedName;
  channels: string[];
  /** Why each channel follows it, by channel. */
  reasons: Map<string, string>;
}

/** A followed court case and the channels following it. */
interface FollowedCase {
  docket: Docket;
  court: string | null;
  channel: string;
  reason: string;
}

/** Channel → why it receives the alert. */
export type Routes = Map<string, string>;

export class Router {
  private all = new Map<string, string>();
  private bySource = new Map<string, Map<string, string>>();
  private byList = new Map<string, Map<string, string>>();
  private entities = new TokenIndex<FollowedName>();
  private followed = new Map<string, FollowedName>();
  /** Followed cases by the docket number without office. */
  private cases = new Map<string, FollowedCase[]>();

  constructor(subscriptions: Subscription[], defaultChannels: string[], private threshold = MATCH_THRESHOLD) {
    for (const c of defaultChannels) this.all.set(c, 'every alert (operator setting)');
    for (const s of subscriptions) {
      const t = s.target;
      if (t.kind === 'all') this.all.set(s.channel, `subscription #${s.id}: every alert`);
      else if (t.kind === 'source') add(this.bySource, t.value, s.channel, `subscription #${s.id}: source ${t.value}`);
      else if (t.kind === 'list') add(this.byList, t.value.toLowerCase(), s.channel, `subscription #${s.id}: the ${t.value} list`);
      else if (t.kind === 'case') {
        const docket = parseDocket(t.value);
        if (!docket) continue;
        const f = { docket, court: t.court, channel: s.channel, reason: `subscription #${s.id}: case ${docket.number}${t.court ? ` (${t.court})` : ''}` };
        this.cases.set(docket.core, [...(this.cases.get(docket.core) ?? []), f]);
      } else {
        const normalized = normalizeName(t.value);
        if (!normalized) continue;
        const reason = `subscription #${s.id}: "${t.value}"`;
        const known = this.followed.get(normalized);
        if (known) {
          if (!known.reasons.has(s.channel)) known.channels.push(s.channel);
          known.reasons.set(s.channel, reason);
        } else {
          const f = { name: prepareName(normalized), channels: [s.channel], reasons: new Map([[s.channel, reason]]) };
          this.followed.set(normalized, f);
          this.entities.add(normalized, f);
        }
      }
    }
  }

  /** The followers of the case a court entry belongs to. */
  private caseFollowers(item: Pick<FeedItem, 'court' | 'docket'>): FollowedCase[] {
    const docket = item.docket ? parseDocket(item.docket) : null;
    if (!docket) return [];
    return (this.cases.get(docket.core) ?? []).filter((f) => sameCase(f.docket, docket) && (!f.court || !item.court || f.court === item.court));
  }

  /** True when some channel follows the case of this entry. */
  followsCase(item: Pick<FeedItem, 'court' | 'docket'>): boolean {
    return this.caseFollowers(item).length > 0;
  }

  /** The channels of an alert, sorted. */
  route(alert: NewAlert): string[] {
    return [...this.routes(alert).keys()].sort();
  }

  /** Each channel an alert goes to, once, with the first reason found (most general first). */
  routes(alert: NewAlert): Routes {
    const out: Routes = new Map(this.all);
    const take = (m: Map<string, string> | undefined) => {
      for (const [c, why] of m ?? []) if (!out.has(c)) out.set(c, why);
    };
    take(this.bySource.get(alert.source));
    if (alert.type === 'source.health') return out;
    if (alert.type !== 'feed.item') take(this.byList.get(alert.list.toLowerCase()));
    else for (const f of this.caseFollowers(alert.item)) if (!out.has(f.channel)) out.set(f.channel, f.reason);
    if (this.followed.size > 0) {
      // A mention is found by one of its entity's names: route by that name too.
      const refs = alert.type === 'feed.item' ? alert.mentions.map((m) => ({ name: m.name, aliases: m.matched === m.name ? [] : [m.matched] })) : [alert.entity];
      // Normalised name → the alias it came from, if it is an alias: shown as "matched alias".
      const names = new Map<string, string | null>();
      for (const ref of refs) {
        for (const n of entityNames(ref, false)) if (!names.has(n.normalized) || !n.isAlias) names.set(n.normalized, n.isAlias ? n.name : null);
      }
      const takeVia = (m: Map<string, string> | undefined, alias: string | null) => {
        for (const [c, why] of m ?? []) if (!out.has(c)) out.set(c, alias ? `${why}, matched alias "${alias}"` : why);
      };
      for (const [name, alias] of names) {
        takeVia(this.followed.get(name)?.reasons, alias);
        let prepared: PreparedName | undefined;
        for (const f of this.entities.candidates(name)) {
          if (f.channels.every((c) => out.has(c))) continue;
          prepared ??= prepareName(name);
          if (scorePrepared(f.name, prepared, this.threshold) >= this.threshold) takeVia(f.reasons, alias);
        }
      }
    }
    return out;
  }
}

function add(map: Map<string, Map<string, string>>, key: string, channel: string, reason: string): void {
  const inner = map.get(key);
  if (inner) {
    if (!inner.has(channel)) inner.set(channel, reason);
  } else map.set(key, new Map([[channel, reason]]));
}
