// Everything one dashboard page shows, for one viewer, as plain figures
// (page.ts turns them into HTML and charts). The targets are counted by
// the same function as `progress`, for this month and since the start, so
// the page and chat always agree.
import { DateTime } from "luxon";
import type { BaseContext } from "../../bot/context.ts";
import { listGroups, type Group } from "../../db/groups.ts";
import { firstMemberAt } from "../../db/reports.ts";
import { parsePeriod, type Period } from "../actions/periods.ts";
import { sinceStartAt, targetRows, type TargetRow } from "../actions/targets.ts";
import { clinicFunnel, type Funnel } from "./clinic-funnel.ts";
import { groupFigures, peoplePerMonth, type GroupFigures } from "./group-figures.ts";
import { lastMonths, monthsToShow, type Month } from "./months.ts";
import { leaderboardRows, recognitionBlock, type RecognitionBlock } from "./recognition-data.ts";
import { reportsConfig } from "./config.ts";
import type { Viewer } from "./viewer.ts";

export interface DashboardData {
  federation: string;
  viewer: Viewer;
  /** `17 Aug 2026, 09:00` in the federation's zone. */
  asOf: string;
  expiresAt: string;
  period: Period;
  months: Month[];
  targets: TargetRow[];
  /** Each tracked target's figure since the start at the end of each month (the last is now). */
  history: { row: TargetRow; values: number[] }[];
  /** Groups the viewer may see, peer networks first. */
  groups: GroupFigures[];
  /** Different people at peer network meetings per month (the networks shown). */
  networkPeople: number[];
  /** Admins only. */
  clinic?: Funnel;
  recognition: RecognitionBlock[];
  leaderboard?: { name: string; points: number }[];
}

const when = (ctx: BaseContext, at: number) => DateTime.fromMillis(at, { zone: ctx.config.timezone }).toFormat("d LLL yyyy, HH:mm");

/** Groups the viewer sees: every active one for an admin, the ones they drive for a driver; networks first, then by name. */
function visibleGroups(ctx: BaseContext, viewer: Viewer): Group[] {
  const all = viewer.admin ? listGroups(ctx.db) : viewer.groups.filter((g) => g.status !== "archived");
  return [...all].sort((a, b) => (a.kind === b.kind ? a.name.localeCompare(b.name) : a.kind === "network" ? -1 : 1));
}

export function dashboardData(ctx: BaseContext, viewer: Viewer, expiresAt: number): DashboardData {
  const count = monthsToShow(ctx.now, ctx.config.timezone, firstMemberAt(ctx.db), reportsConfig(ctx.config).months);
  const months = lastMonths(ctx.now, ctx.config.timezone, count);
  const period = parsePeriod(undefined, ctx.now, ctx.config.timezone)!;
  const targets = targetRows(ctx, period);
  const ends = months.map((m) => m.to);
  const history = targets.flatMap((row) => {
    const values = row.target === undefined ? undefined : sinceStartAt(ctx, row.key, ends);
    return values ? [{ row, values }] : [];
  });
  const groups = groupFigures(ctx, visibleGroups(ctx, viewer), months);
  const networks = new Set(groups.filter((g) => g.group.kind === "network").map((g) => g.group.id));
  const recent = months.slice(-6);
  const recognition = viewer.admin ? [recognitionBlock(ctx, recent, period)] : viewer.groups.map((g) => recognitionBlock(ctx, recent, period, g));
  return {
    federation: ctx.config.federation.name,
    viewer,
    asOf: when(ctx, ctx.now),
    expiresAt: when(ctx, expiresAt),
    period,
    months,
    targets,
    history,
    groups,
    networkPeople: peoplePerMonth(ctx, networks, months),
    clinic: viewer.admin ? clinicFunnel(ctx, months) : undefined,
    recognition,
    leaderboard: leaderboardRows(ctx, period),
  };
}
