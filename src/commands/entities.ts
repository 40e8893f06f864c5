// Groups name hits into entities: the same company on several lists (Huawei on NS-CMIC, the
// Entity List and the DoD 1260H list) is one answer with several listings.
import type { Db } from '../../db/database.js';
import { designationsByIds, type DesignationRow } from '../../db/entities.js';
import { designationsNamed, namesOfDesignations } from '../../db/name-index.js';
import type { NameHit } from '../names/matcher.js';

export interface EntityGroup {
  /** The best hit: what matched, and whether through an alias. */
  best: NameHit;
  exact: boolean;
  listings: DesignationRow[];
}

export function groupHits(db: Db, hits: NameHit[]): EntityGroup[] {
  const bestByDesignation = new Map<number, NameHit>();
  for (const h of hits) if (!bestByDesignation.has(h.designationId)) bestByDesignation.set(h.designationId, h);
  // The same company on other lists may not have matched the query itself (the DoD gives Huawei
  // the alias "Huawei", the CSL does not): bring in every entry that shares a primary name.
  const hitNames = namesOfDesignations(db, [...bestByDesignation.keys()]).filter((n) => !n.isAlias).map((n) => n.normalized);
  const ids = [...new Set([...bestByDesignation.keys(), ...designationsNamed(db, [...new Set(hitNames)])])];
  // Designations are one entity when their names are the same once normalised. Aliases do not
  // join entities: OFAC lists HUAWEI INVESTMENT & HOLDING as an alias of HUAWEI TECHNOLOGIES.
  const parent = new Map<number, number>(ids.map((id) => [id, id]));
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r)! !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const firstWithName = new Map<string, number>();
  for (const n of namesOfDesignations(db, ids)) {
    if (n.isAlias) continue;
    const other = firstWithName.get(n.normalized);
    if (other === undefined) firstWithName.set(n.normalized, n.designationId);
    else {
      const a = find(n.designationId);
      const b = find(other);
      if (a !== b) parent.set(a, b);
    }
  }
  const rows = new Map(designationsByIds(db, ids).map((r) => [r.id, r]));
  const groups = new Map<number, EntityGroup>();
  const pending: [number, DesignationRow][] = [];
  for (const id of ids) {
    const root = find(id);
    const row = rows.get(id);
    if (!row) continue;
    const hit = bestByDesignation.get(id);
    if (!hit) {
      const g = groups.get(root);
      if (g) g.listings.push(row);
      else pending.push([root, row]);
      continue;
    }
    const g = groups.get(root);
    if (!g) groups.set(root, { best: hit, exact: hit.exact, listings: [row] });
    else {
      g.listings.push(row);
      if (hit.exact && !g.exact) g.exact = true;
      if (hit.score > g.best.score || (hit.exact && !g.best.exact)) g.best = hit;
    }
  }
  for (const [root, row] of pending) groups.get(root)?.listings.push(row);
  const out = [...groups.values()];
  for (const g of out) g.listings.sort((a, b) => Number(!!a.removedAt) - Number(!!b.removedAt) || a.record.list.localeCompare(b.record.list));
  // Exact names before exact aliases before fuzzy hits; then by score.
  const rank = (g: EntityGroup) => (g.exact ? (g.best.isAlias ? 1 : 2) : 0);
  return out.sort((a, b) => rank(b) - rank(a) || b.best.score - a.best.score);
}
