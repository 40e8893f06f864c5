// Which channels an alert goes to. Pure: subscriptions and default channels are handed in.
// Company subscriptions are matched with the lookup's own scorer (nameScore and its threshold),
// so "subscribe Huawai" routes exactly what "lookup Huawai" would show.
import type { NewAlert, Subscription } from './domain.js';
import { entityNames } from './names/entity-names.js';
import { normalizeName } from './names/normalize.js';
import { MATCH_THRESHOLD, prepareName, scorePrepared, type PreparedName } from './names/similarity.js';
import { TokenIndex } from './names/token-index.js';

/** One followed company name and every channel following it: scored once per alert name. */
interface FollowedName {
  name: PreparedName;
  channels: string[];
}

export class Router {
  private all = new Set<string>();
  private bySource = new Map<string, Set<string>>();
  private byList = new Map<string, Set<string>>();
  private entities = new TokenIndex<FollowedName>();
  private followed = new Map<string, FollowedName>();

  constructor(subscriptions: Subscription[], defaultChannels: string[], private threshold = MATCH_THRESHOLD) {
    for (const c of defaultChannels) this.all.add(c);
    for (const s of subscriptions) {
      const t = s.target;
      if (t.kind === 'all') this.all.add(s.channel);
      else if (t.kind === 'source') add(this.bySource, t.value, s.channel);
      else if (t.kind === 'list') add(this.byList, t.value.toLowerCase(), s.channel);
      else {
        const normalized = normalizeName(t.value);
        if (!normalized) continue;
        const known = this.followed.get(normalized);
        if (known) known.channels.push(s.channel);
        else {
          const f = { name: prepareName(normalized), channels: [s.channel] };
          this.followed.set(normalized, f);
          this.entities.add(normalized, f);
        }
      }
    }
  }

  route(alert: NewAlert): string[] {
    const out = new Set(this.all);
    for (const c of this.bySource.get(alert.source) ?? []) out.add(c);
    if (alert.type === 'source.health') return [...out].sort();
    if (alert.type !== 'feed.item') for (const c of this.byList.get(alert.list.toLowerCase()) ?? []) out.add(c);
    if (this.followed.size > 0) {
      const refs = alert.type === 'feed.item' ? alert.mentions : [alert.entity];
      const names = new Set<string>();
      for (const ref of refs) {
        for (const n of entityNames(ref)) names.add(n.normalized);
      }
      for (const name of names) {
        for (const c of this.followed.get(name)?.channels ?? []) out.add(c);
        let prepared: PreparedName | undefined;
        for (const f of this.entities.candidates(name)) {
          if (f.channels.every((c) => out.has(c))) continue;
          prepared ??= prepareName(name);
          if (scorePrepared(f.name, prepared, this.threshold) >= this.threshold) for (const c of f.channels) out.add(c);
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
