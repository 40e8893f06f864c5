// Where a list poll's change alerts go when a poll changes more than a channel takes one by one.
// Pure: the router is handed in.
//
// A three-year catch-up (8,467 changes to the SDN) posted one by one is 424 Slack digests and
// 8,467 thread replies, hours of rate-limited posting that bury the one change a team cares
// about. So a channel whose share of one poll's list changes is above the limit gets one
// changeset alert (counts, lists, examples, the source document); every change is still stored
// in the history, and a channel that follows one of the entities (by name or holding) still gets
// that entity's own alert. Below the limit nothing changes: one alert per change.
import type { ChangeAlert, ChangeCounts, ChangeExample, NewAlert } from '../domain.js';
import type { Routes } from '../routing/router.js';
import { changeVerb, totalOf } from './category.js';
import type { SourceRef } from './derive.js';

/** What the router must answer (src/routing/router.ts's Router). */
export interface ChangeRouter {
  broadRoutes(alert: NewAlert): Routes;
  specificRoutes(alert: NewAlert, out?: Routes): Routes;
  /** False when no channel follows a company or holding: specificRoutes would add nothing. */
  readonly followsEntities: boolean;
  /** Told of every alert first, so that what they need is looked up at once. */
  prepare?(alerts: readonly NewAlert[]): void;
}

export interface RoutedAlert {
  alert: NewAlert;
  routes: Routes;
  /** The history row of a change alert; null for a changeset. */
  changeId: number | null;
}

export interface ChangesetOptions {
  /** A channel takes at most this many change alerts from one poll of one source. */
  limit: number;
  ref: SourceRef;
  at: string;
  /** The list file, as published (already redacted of credentials). */
  url: string | null;
  /**
   * Platforms whose channels take every change, whatever the number: a pipeline reading
   * `poll --json` or a webhook must not miss the 548 entities a changeset does not name.
   */
  everyChange?: ReadonlySet<string>;
  /** Platforms that take files: their channels get the changeset's whole change list as a CSV too. */
  withFiles?: ReadonlySet<string>;
}

/** Examples per kind of change in a changeset. */
export const CHANGESET_EXAMPLES = 5;

/**
 * The alerts of one list poll with their routes: one per change, except that a channel whose
 * share is above the limit gets a changeset (first) and, one by one, only the changes it follows
 * specifically. Channels that would see the same changes share one changeset.
 */
export function routeListAlerts(
  alerts: readonly ChangeAlert[],
  changeIds: readonly number[],
  router: ChangeRouter,
  o: ChangesetOptions,
): RoutedAlert[] {
  // The broad routes of a change depend on its source and list alone: one answer per list, shared
  // (read-only) by its changes, instead of a map per change (8,467 in a three-year catch-up).
  const bySource = new Map<string, Map<string, Routes>>();
  router.prepare?.(alerts);
  const broad = alerts.map((a) => {
    let byList = bySource.get(a.source);
    if (!byList) bySource.set(a.source, (byList = new Map<string, Routes>()));
    let routes = byList.get(a.list);
    if (!routes) byList.set(a.list, (routes = router.broadRoutes(a)));
    return routes;
  });
  const share = new Map<string, number>();
  for (const routes of broad)
    for (const ch of routes.keys()) share.set(ch, (share.get(ch) ?? 0) + 1);
  const over = new Set(
    [...share]
      .filter(([ch, n]) => n > o.limit && !o.everyChange?.has(ch.slice(0, ch.indexOf(':'))))
      .map(([ch]) => ch),
  );
  if (over.size === 0)
    return alerts.map((alert, i) => ({
      alert,
      routes: router.specificRoutes(alert, new Map(broad[i])),
      changeId: changeIds[i] ?? null,
    }));

  // The changes each channel over the limit would have had, and why it has them.
  const covered = new Map<string, { indices: number[]; reason: string }>();
  const single: RoutedAlert[] = [];
  const specific = router.followsEntities;
  alerts.forEach((alert, i) => {
    let routes: Routes | null = null;
    for (const [ch, why] of broad[i]!) {
      if (!over.has(ch)) (routes ??= new Map()).set(ch, why);
      else {
        const c = covered.get(ch);
        if (c) c.indices.push(i);
        else covered.set(ch, { indices: [i], reason: why });
      }
    }
    // A channel over the limit comes back here only through what it follows itself.
    if (specific) routes = router.specificRoutes(alert, routes ?? new Map());
    if (routes?.size) single.push({ alert, routes, changeId: changeIds[i] ?? null });
  });

  // Channels of one source or list subscription see the same changes: one changeset for them.
  const groups = new Map<string, { indices: number[]; routes: Routes }>();
  for (const [ch, { indices, reason }] of covered) {
    const key =
      indices.length === alerts.length
        ? '*'
        : [...new Set(indices.map((i) => alerts[i]!.list))].sort().join('\n');
    const g = groups.get(key) ?? { indices, routes: new Map() };
    g.routes.set(ch, `${reason} (${indices.length} changes in one poll, more than ${o.limit})`);
    groups.set(key, g);
  }
  const sets = [...groups.values()].flatMap(({ indices, routes }): RoutedAlert[] => {
    const set = changeset(
      indices.map((i) => alerts[i]!),
      indices.map((i) => changeIds[i]!),
      o,
    );
    const fileRoutes = new Map(
      [...routes].filter(([ch]) => o.withFiles?.has(ch.slice(0, ch.indexOf(':')))),
    );
    if (set.type !== 'designation.changeset' || fileRoutes.size === 0)
      return [{ alert: set, routes, changeId: null }];
    // Right after its changeset: a channel gets the summary first, then the file in its thread.
    const file: NewAlert = {
      type: 'changeset.file',
      source: set.source,
      sourceLabel: set.sourceLabel,
      detectedAt: set.detectedAt,
      changeIds: set.changeIds,
      lists: set.lists.map((l) => l.list),
      rows: indices.length,
      filename: `${set.source}-changes-${set.detectedAt.slice(0, 16).replace(/[:T]/g, '-')}.csv`,
    };
    return [
      { alert: set, routes, changeId: null },
      { alert: file, routes: fileRoutes, changeId: null },
    ];
  });
  return [...sets, ...single];
}

const zero = (): ChangeCounts => ({ added: 0, removed: 0, amended: 0 });

/** The changeset alert of some changes of one poll. */
export function changeset(
  alerts: readonly ChangeAlert[],
  changeIds: readonly number[],
  o: ChangesetOptions,
): NewAlert {
  const counts = zero();
  const lists = new Map<string, ChangeCounts>();
  const examples: ChangeExample[] = [];
  const shown = zero();
  for (const a of alerts) {
    const kind = changeVerb(a.type);
    counts[kind]++;
    const l = lists.get(a.list) ?? zero();
    l[kind]++;
    lists.set(a.list, l);
    if (shown[kind]++ < CHANGESET_EXAMPLES) {
      const e: ChangeExample = {
        type: a.type,
        key: a.entity.key,
        name: a.entity.name,
        list: a.list,
        programs: a.entity.programs,
      };
      if (a.type === 'designation.amended') e.fields = (a.fields ?? []).map((f) => f.field);
      examples.push(e);
    }
  }
  return {
    type: 'designation.changeset',
    source: o.ref.id,
    sourceLabel: o.ref.label,
    detectedAt: o.at,
    url: o.url,
    counts,
    lists: [...lists]
      .map(([list, c]) => ({ list, ...c }))
      .sort((a, b) => totalOf(b) - totalOf(a) || a.list.localeCompare(b.list)),
    examples,
    changeIds: span(changeIds),
    limit: o.limit,
  };
}

/** Smallest and largest id (a loop: a 100,000-change poll is too many arguments for Math.min). */
function span(ids: readonly number[]): { first: number; last: number } {
  let first = Infinity;
  let last = -Infinity;
  for (const id of ids) {
    if (id < first) first = id;
    if (id > last) last = id;
  }
  return { first, last };
}
