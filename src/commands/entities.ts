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

/**
 * The entities of a set of hits, best first. Only the first `detailed` groups are read in full
 * (their records parsed); a lookup shows five of fifty and counts the rest, so the rest come
 * back with the best hit only and no listings.
 */
export function groupHits(db: Db, hits: NameHit[], detailed = Infinity): EntityGroup[] {
  const bestByDesignation = new Map<number, NameHit>();
  for (const h of hits)
    if (!bestByDesignation.has(h.designationId)) bestByDesignation.set(h.designationId, h);
  // The same company on other lists may not have matched the query itself (the DoD gives Huawei
  // the alias "Huawei", the CSL does not): bring in every entry that shares a primary name.
  const hitRows = namesOfDesignations(db, [...bestByDesignation.keys()]);
  const hitNames = hitRows.filter((n) => !n.isAlias).map((n) => n.normalized);
  const ids = [
    ...new Set([...bestByDesignation.keys(), ...designationsNamed(db, [...new Set(hitNames)])]),
  ];
  const others = ids.filter((id) => !bestByDesignation.has(id));
  // Designations are one entity when their names are the same once normalised, in any word order
  // (OFAC writes "HANIYA, Ismail Abdul Salah", the CSL "Ismail Abdul Salah HANIYA"). Aliases do
  // not join entities: OFAC lists HUAWEI INVESTMENT & HOLDING as an alias of HUAWEI TECHNOLOGIES.
  const parent = new Map<number, number>(ids.map((id) => [id, id]));
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r)! !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const firstWithName = new Map<string, number>();
  for (const n of [...hitRows, ...namesOfDesignations(db, others)]) {
    if (n.isAlias) continue;
    const same = n.normalized.split(' ').sort().join(' ');
    const other = firstWithName.get(same);
    if (other === undefined) firstWithName.set(same, n.designationId);
    else {
      const a = find(n.designationId);
      const b = find(other);
      if (a !== b) parent.set(a, b);
    }
  }
  const members = new Map<number, { best: NameHit; exact: boolean; ids: number[] }>();
  for (const id of ids) {
    const root = find(id);
    const hit = bestByDesignation.get(id);
    const g = members.get(root);
    if (!g) {
      // A group is created by its first hit; entries that only share its name join it below.
      if (hit) members.set(root, { best: hit, exact: hit.exact, ids: [id] });
      continue;
    }
    g.ids.push(id);
    if (!hit) continue;
    if (hit.exact && !g.exact) g.exact = true;
    if (hit.score > g.best.score || (hit.exact && !g.best.exact)) g.best = hit;
  }
  for (const id of ids) {
    const g = members.get(find(id));
    if (g && !g.ids.includes(id)) g.ids.push(id);
  }
  // Exact names before exact aliases before fuzzy hits; then by score.
  const rank = (g: { exact: boolean; best: NameHit }) => (g.exact ? (g.best.isAlias ? 1 : 2) : 0);
  const ordered = [...members.values()].sort(
    (a, b) => rank(b) - rank(a) || b.best.score - a.best.score,
  );
  const shown = ordered.slice(0, detailed);
  const rows = new Map(
    designationsByIds(
      db,
      shown.flatMap((g) => g.ids),
    ).map((r) => [r.id, r]),
  );
  return ordered.map((g, i) => {
    const listings =
      i < detailed ? g.ids.map((id) => rows.get(id)).filter((r): r is DesignationRow => !!r) : [];
    listings.sort(
      (a, b) =>
        Number(!!a.removedAt) - Number(!!b.removedAt) || a.record.list.localeCompare(b.record.list),
    );
    return { best: g.best, exact: g.exact, listings };
  });
}
