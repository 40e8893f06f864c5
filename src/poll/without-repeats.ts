// One designation, one alert: a change another source of the same list already told a channel of.
import type { Db } from '../../db/database.js';
import {
  channelsToldByDocument,
  channelsToldOfChanges,
  recentChangesElsewhere,
  type ListChange,
} from '../../db/twins.js';
import type { RoutedAlert } from '../alerts/changeset.js';
import { SameEntryIndex } from '../alerts/same-entry.js';
import { normalizeName } from '../names/normalize.js';

/** How long another source may take to carry the same designation (the CSL follows OFAC within a day or so). */
const SAME_EVENT_DAYS = 14;

/**
 * One designation, one alert: a channel already told of an addition or removal by another source
 * of the same list (OFAC's SDN file, then the CSL's copy of it) is not told again; the change is
 * still in the history under both sources. The same entry is the same OFAC number (the CSL keys
 * Treasury rows "<list>:<ent_num>") or, for other lists, the same normalised name.
 */
export function withoutRepeats(
  db: Db,
  sourceId: string,
  at: string,
  routed: RoutedAlert[],
): RoutedAlert[] {
  const since = new Date(Date.parse(at) - SAME_EVENT_DAYS * 86_400_000).toISOString();
  // One read per list and type of this poll, then a lookup per change.
  const indexes = new Map<string, SameEntryIndex<ListChange>>();
  const indexOf = (list: string, type: string) => {
    const k = `${type}\u0000${list}`;
    let index = indexes.get(k);
    if (!index)
      indexes.set(
        k,
        (index = new SameEntryIndex(
          list,
          recentChangesElsewhere(db, { list, type, sourceId, since }),
        )),
      );
    return index;
  };
  const out: RoutedAlert[] = [];
  for (const r of routed) {
    const a = r.alert;
    if (a.type !== 'designation.added' && a.type !== 'designation.removed') {
      out.push(r);
      continue;
    }
    const twins = indexOf(a.list, a.type).find({ key: a.entity.key, name: a.entity.name });
    const told = channelsToldOfChanges(
      db,
      twins.map((t) => t.id),
    );
    // A list read from Federal Register notices: the notice's own alert that named the company.
    const notice =
      a.type === 'designation.added'
        ? /\/(\d{4}-\d{5})\//.exec(a.record.url ?? '')?.[1]
        : undefined;
    if (notice && /federalregister\.gov|\/documents\//.test(a.record.url ?? '')) {
      const normalizedNames = [a.record.name, ...a.record.aliases]
        .map(normalizeName)
        .filter(Boolean);
      for (const ch of channelsToldByDocument(db, notice, { key: a.entity.key, normalizedNames }))
        told.add(ch);
    }
    if (told.size === 0) {
      out.push(r);
      continue;
    }
    const routes = new Map([...r.routes].filter(([channel]) => !told.has(channel)));
    if (routes.size) out.push({ ...r, routes });
  }
  return out;
}
