// How recognition is counted. Designed so breadth beats volume: the person
// who does five different things is seen at least as well as the person who
// does one thing fifty times, and a thanks from the same person again and
// again counts less each time. These texts are shown in `help contributions`.
import type { CountedAction } from "../../db/actions.ts";

export const POINTS_RULE =
  "Points: each verified action is worth its job's weight. Breadth beats volume: in a period, your 2nd action of the same job counts half, the 3rd a quarter, and so on, so one job never earns more than twice its weight in a period, and trying a different job always counts in full. Actions in your own words count as one job of weight 1 (unless a driver files them under a job when verifying).";

export const THANKS_RULE =
  "Thanks: everyone can give a monthly allowance of thanks (each person named uses one; unused thanks don't roll over). The n-th thanks from the same person to the same person in a calendar month counts 1/n: the first counts 1, the second ½, the third ⅓.";

/** The key an action is counted under: its job, or one shared bucket for free text. */
const jobKey = (a: CountedAction) => (a.jobId === null ? "free" : `job:${a.jobId}`);

export interface ScoredAction {
  action: CountedAction;
  /** This is the member's n-th verified action of this job in the period (1-based). */
  nth: number;
  weight: number;
  /** 1, ½, ¼, ... */
  factor: number;
  points: number;
}

/** Scores actions of one period (any members); order by when they were done decides which is 1st, 2nd, .... */
export function scoreActions(actions: readonly CountedAction[], freeTextWeight: number): ScoredAction[] {
  const seen = new Map<string, number>();
  const ordered = [...actions].sort((a, b) => a.doneAt - b.doneAt || a.id - b.id);
  return ordered.map((action) => {
    const key = `${action.memberId}|${jobKey(action)}`;
    const nth = (seen.get(key) ?? 0) + 1;
    seen.set(key, nth);
    const weight = action.weight ?? freeTextWeight;
    const factor = 0.5 ** (nth - 1);
    return { action, nth, weight, factor, points: weight * factor };
  });
}

/** Total points per member. */
export function pointsByMember(scored: readonly ScoredAction[]): Map<number, number> {
  const totals = new Map<number, number>();
  for (const s of scored) totals.set(s.action.memberId, (totals.get(s.action.memberId) ?? 0) + s.points);
  return totals;
}

/** The weight of the n-th thanks from one giver to one recipient in a month. */
export const thanksWeight = (nth: number): number => 1 / nth;

/** `2`, `1.5`, `0.25`, `0.33`: no trailing zeros. */
export function formatPoints(n: number): string {
  return String(Math.round(n * 100) / 100);
}

const VULGAR: Record<number, string> = { 2: "½", 3: "⅓", 4: "¼", 5: "⅕", 6: "⅙", 8: "⅛" };

/** 1/n as people read it: `1`, `½`, `⅓`, `1/7`. */
export function oneIn(n: number): string {
  return n === 1 ? "1" : (VULGAR[n] ?? `1/${n}`);
}

/** The factor of the n-th action of the same job in a period: `1`, `½`, `¼`, `⅛`, `1/16`. */
export const halvingFactor = (nth: number): string => oneIn(2 ** (nth - 1));

export const ordinal = (n: number): string => {
  const suffix = n % 100 >= 11 && n % 100 <= 13 ? "th" : ({ 1: "st", 2: "nd", 3: "rd" } as Record<number, string>)[n % 10] ?? "th";
  return `${n}${suffix}`;
};
