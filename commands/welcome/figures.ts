// How welcoming goes, for `progress` and `recognition`: newcomers welcomed,
// how many joined a group within 14 days, and how long it took them to do
// something the federation verified. Counts and a median: nobody is named
// or ranked.
import type { BaseContext } from "../../bot/context.ts";
import type { MetricSpec } from "../../bot/domain.ts";
import { groupWelcomeFigures, newcomerFigures } from "../../db/welcome.ts";

const DAY = 86_400_000;
const SOON = 14 * DAY;

type Range = { from?: number; to: number; groupId?: number };

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Days, to one decimal place (a half day reads 0.5). */
const days = (ms: number) => Math.round((Math.max(0, ms) / DAY) * 10) / 10;

/** For one group: the members welcomed into it; for the federation: newcomers. */
function welcomed(ctx: BaseContext, range: Range): number {
  if (range.groupId !== undefined) return groupWelcomeFigures(ctx.db, range.groupId, range).length;
  return newcomerFigures(ctx.db, range).length;
}

/** Newcomers welcomed in the period who joined a group (this group, for one) within 14 days of their welcome. */
function joinedSoon(ctx: BaseContext, range: Range): number {
  const newcomers = newcomerFigures(ctx.db, range);
  if (range.groupId === undefined) return newcomers.filter((n) => n.joinedGroupSoon).length;
  const intoGroup = new Map(groupWelcomeFigures(ctx.db, range.groupId, { to: range.to + SOON }).map((w) => [w.memberId, w.at]));
  return newcomers.filter((n) => {
    const at = intoGroup.get(n.memberId);
    return at !== undefined && at >= n.welcomedAt && at - n.welcomedAt <= SOON;
  }).length;
}

/** The median, in days, from a welcome to the first verified action after it, among those who have one. */
function daysToFirstAction(ctx: BaseContext, range: Range): number {
  const rows =
    range.groupId !== undefined
      ? groupWelcomeFigures(ctx.db, range.groupId, range).map((w) => ({ from: w.at, first: w.firstVerifiedAt }))
      : newcomerFigures(ctx.db, range).map((n) => ({ from: n.welcomedAt, first: n.firstVerifiedAt }));
  return median(rows.filter((r) => r.first !== null).map((r) => days(r.first! - r.from)));
}

export const welcomeMetrics: readonly MetricSpec[] = [
  { key: "welcome.newcomers", label: "Newcomers welcomed", compute: welcomed, inRecognition: true },
  { key: "welcome.joined-within-14-days", label: "Newcomers who joined a group within 14 days", compute: joinedSoon, inRecognition: true },
  {
    key: "welcome.days-to-first-action",
    label: "Days from welcome to first verified action (median)",
    compute: daysToFirstAction,
    format: (value) => (Number.isNaN(value) ? "none yet" : String(value)),
    inRecognition: true,
  },
];
