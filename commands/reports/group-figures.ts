// Each group's figures over the months: members now, the people who came
// to its meetings and how often, and the meetings it held (occurrences that
// have ended, not skipped, before any cancellation, as `progress` counts
// webinars).
import type { BaseContext } from "../../bot/context.ts";
import type { Group } from "../../db/groups.ts";
import { memberCount } from "../../db/groups.ts";
import { attendanceBetween, meetingsOfGroups } from "../../db/reports.ts";
import { seriesOf } from "../meetings/lookup.ts";
import { monthIndex, type Month } from "./months.ts";

export interface GroupFigures {
  group: Group;
  members: number;
  /** Per month: different people at its meetings, and attendances in all. */
  people: number[];
  attendances: number[];
  /** Per month: meetings held. */
  held: number[];
}

export function groupFigures(ctx: BaseContext, shown: readonly Group[], months: readonly Month[]): GroupFigures[] {
  const from = months[0]?.from ?? ctx.now;
  const to = months.at(-1)?.to ?? ctx.now;
  const attendance = attendanceBetween(ctx.db, from, to);
  const held = meetingsHeld(ctx, shown, months);
  return shown.map((group) => {
    const people = months.map(() => new Set<number>());
    const attendances = months.map(() => 0);
    for (const a of attendance) {
      const i = a.groupId === group.id ? monthIndex(months, a.occurrenceAt) : -1;
      if (i < 0) continue;
      people[i]!.add(a.memberId);
      attendances[i]!++;
    }
    return { group, members: memberCount(ctx.db, group.id), people: people.map((s) => s.size), attendances, held: held.get(group.id) ?? months.map(() => 0) };
  });
}

/** Meetings held per group per month; expansion is bounded by the months shown. */
function meetingsHeld(ctx: BaseContext, shown: readonly Group[], months: readonly Month[]): Map<number, number[]> {
  const out = new Map<number, number[]>(shown.map((g) => [g.id, months.map(() => 0)]));
  const from = months[0]?.from ?? ctx.now;
  for (const meeting of meetingsOfGroups(ctx.db, shown.map((g) => g.id))) {
    const until = Math.min(ctx.now, meeting.cancelledAt ?? Infinity);
    const counts = out.get(meeting.groupId)!;
    for (const o of seriesOf(ctx, meeting).between(from, until)) {
      const i = o.end <= until ? monthIndex(months, o.start) : -1;
      if (i >= 0) counts[i]!++;
    }
  }
  return out;
}

/** Different people at any of these groups' meetings, per month (someone in two networks counts once). */
export function peoplePerMonth(ctx: BaseContext, groupIds: ReadonlySet<number>, months: readonly Month[]): number[] {
  const from = months[0]?.from ?? ctx.now;
  const to = months.at(-1)?.to ?? ctx.now;
  const people = months.map(() => new Set<number>());
  for (const a of attendanceBetween(ctx.db, from, to)) {
    const i = groupIds.has(a.groupId) ? monthIndex(months, a.occurrenceAt) : -1;
    if (i >= 0) people[i]!.add(a.memberId);
  }
  return people.map((s) => s.size);
}
