// "Completing a journey": verified actions of at least N distinct jobs of
// one journey (N from the config, default 3). A member is a supporter taken
// through the programme from the moment their first journey completes.
import type { CountedAction } from "../../db/actions.ts";

export interface JourneyProgress {
  /** Distinct jobs done in this journey, each with when it was first done. */
  jobs: Map<number, number>;
  /** When the N-th distinct job was first done, if it has been. */
  completedAt?: number;
}

/** Per member, per journey, from verified actions (any period: pass all of them for "ever"). */
export function journeyProgress(actions: readonly CountedAction[], n: number): Map<number, Map<string, JourneyProgress>> {
  const byMember = new Map<number, Map<string, JourneyProgress>>();
  for (const a of actions) {
    if (a.jobId === null || a.journey === null) continue;
    const journeys = byMember.get(a.memberId) ?? new Map<string, JourneyProgress>();
    byMember.set(a.memberId, journeys);
    const p = journeys.get(a.journey) ?? { jobs: new Map<number, number>() };
    journeys.set(a.journey, p);
    p.jobs.set(a.jobId, Math.min(p.jobs.get(a.jobId) ?? Infinity, a.doneAt));
  }
  for (const journeys of byMember.values()) {
    for (const p of journeys.values()) {
      const firsts = [...p.jobs.values()].sort((x, y) => x - y);
      if (firsts.length >= n) p.completedAt = firsts[n - 1];
    }
  }
  return byMember;
}

/** When each member first completed any journey. */
export function completions(actions: readonly CountedAction[], n: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const [memberId, journeys] of journeyProgress(actions, n)) {
    const times = [...journeys.values()].map((p) => p.completedAt).filter((t): t is number => t !== undefined);
    if (times.length) out.set(memberId, Math.min(...times));
  }
  return out;
}
