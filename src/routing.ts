// Which channels an alert goes to. Pure: subscriptions and default channels are handed in.
import type { NewAlert, Subscription } from './domain.js';
import { normalizeName } from './names/normalize.js';

export class Router {
  private all = new Set<string>();
  private bySource = new Map<string, Set<string>>();
  private byList = new Map<string, Set<string>>();
  private byEntity = new Map<string, Set<string>>();

  constructor(subscriptions: Subscription[], defaultChannels: string[]) {
    for (const c of defaultChannels) this.all.add(c);
    for (const s of subscriptions) {
      const t = s.target;
      if (t.kind === 'all') this.all.add(s.channel);
      else if (t.kind === 'source') add(this.bySource, t.value, s.channel);
      else if (t.kind === 'list') add(this.byList, t.value.toLowerCase(), s.channel);
      else add(this.byEntity, normalizeName(t.value), s.channel);
    }
  }

  route(alert: NewAlert): string[] {
    const out = new Set(this.all);
    for (const c of this.bySource.get(alert.source) ?? []) out.add(c);
    const names: string[] = [];
    if (alert.type === 'feed.item') for (const m of alert.mentions) names.push(m.name, ...m.aliases);
    else if (alert.type !== 'source.health') {
      for (const c of this.byList.get(alert.list.toLowerCase()) ?? []) out.add(c);
      names.push(alert.entity.name, ...alert.entity.aliases);
    }
    if (this.byEntity.size > 0) {
      for (const n of names) for (const c of this.byEntity.get(normalizeName(n)) ?? []) out.add(c);
    }
    return [...out].sort();
  }
}

function add(map: Map<string, Set<string>>, key: string, channel: string): void {
  const set = map.get(key);
  if (set) set.add(channel);
  else map.set(key, new Set([channel]));
}
