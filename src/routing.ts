// Which channels an alert goes to. Pure: subscriptions and default channels are handed in.
// Company subscriptions are matched with the lookup's own scorer (nameScore and its threshold),
// so "subscribe Huawai" routes exactly what "lookup Huawai" would show.
import type { NewAlert, Subscription } from './domain.js';
import { entityNames } from './names/entity-names.js';
import { normalizeName } from './names/normalize.js';
import { MATCH_THRESHOLD, nameScore } from './names/similarity.js';
import { TokenIndex } from './names/token-index.js';

interface EntitySub {
  channel: string;
  normalized: string;
}

export class Router {
  private all = new Set<string>();
  private bySource = new Map<string, Set<string>>();
  private byList = new Map<string, Set<string>>();
  private entities = new TokenIndex<EntitySub>();
  private exact = new Map<string, EntitySub[]>();
  private hasEntities = false;

  constructor(subscriptions: Subscription[], defaultChannels: string[], private threshold = MATCH_THRESHOLD) {
    for (const c of defaultChannels) this.all.add(c);
    for (const s of subscriptions) {
      const t = s.target;
      if (t.kind === 'all') this.all.add(s.channel);
      else if (t.kind === 'source') add(this.bySource, t.value, s.channel);
      else if (t.kind === 'list') add(this.byList, t.value.toLowerCase(), s.channel);
      else {
        const sub = { channel: s.channel, normalized: normalizeName(t.value) };
        if (!sub.normalized) continue;
        this.entities.add(sub.normalized, sub);
        this.exact.set(sub.normalized, [...(this.exact.get(sub.normalized) ?? []), sub]);
        this.hasEntities = true;
      }
    }
  }

  route(alert: NewAlert): string[] {
    const out = new Set(this.all);
    for (const c of this.bySource.get(alert.source) ?? []) out.add(c);
    if (alert.type === 'source.health') return [...out].sort();
    if (alert.type !== 'feed.item') for (const c of this.byList.get(alert.list.toLowerCase()) ?? []) out.add(c);
    if (this.hasEntities) {
      const refs = alert.type === 'feed.item' ? alert.mentions : [alert.entity];
      const names = new Set<string>();
      for (const ref of refs) {
        for (const n of entityNames(ref)) names.add(n.normalized);
      }
      for (const name of names) {
        for (const sub of this.exact.get(name) ?? []) out.add(sub.channel);
        for (const sub of this.entities.candidates(name)) {
          if (!out.has(sub.channel) && nameScore(sub.normalized, name) >= this.threshold) out.add(sub.channel);
        }
      }
    }
    return [...out].sort();
  }
}

function add(map: Map<string, Set<string>>, key: string, channel: string): void {
  const set = map.get(key);
  if (set) set.add(channel);
  else map.set(key, new Set([channel]));
}
