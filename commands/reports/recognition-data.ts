// Recognition on the dashboard, by the same fairness rules as chat: who
// took part each month (newcomers apart from returning contributors, never
// a ranking), this month's new contributors and the quiet work nobody has
// thanked yet (names alphabetical), the journeys covered. A leaderboard
// only where the config turns one on.
import type { BaseContext } from "../../bot/context.ts";
import type { Group } from "../../db/groups.ts";
import { getMember } from "../../db/members.ts";
import { actionsConfig } from "../actions/config.ts";
import type { Period } from "../actions/periods.ts";
import { pointsByMember, scoreActions } from "../actions/points.ts";
import { journeyLabel } from "../actions/shared.ts";
import { summarise } from "../actions/summary.ts";
import type { Month } from "./months.ts";

export interface RecognitionBlock {
  /** The group it is about, or undefined for the whole federation. */
  group?: Group;
  /** Per month: contributors whose first verified action ever was that month, and the others. */
  newcomers: number[];
  returning: number[];
  /** This month. */
  newNames: string[];
  quietNames: string[];
  /** Contributors who asked to be forgotten: counted, never named. */
  former: number;
  journeys: { label: string; actions: number; people: number }[];
  pending: number;
}

const nameOf = (ctx: BaseContext) => (id: number) => getMember(ctx.db, id)?.displayName ?? `member ${id}`;

export function recognitionBlock(ctx: BaseContext, months: readonly Month[], current: Period, group?: Group): RecognitionBlock {
  const perMonth = months.map((m) => summarise(ctx, { label: m.long, from: m.from, to: m.to }, group?.id));
  const now = summarise(ctx, current, group?.id);
  const name = nameOf(ctx);
  return {
    group,
    newcomers: perMonth.map((s) => s.newcomers.length),
    returning: perMonth.map((s) => s.contributors.length - s.newcomers.length),
    newNames: now.newcomers.map(name),
    quietNames: now.notYetThanked.map(name),
    former: now.former,
    journeys: [...now.journeys].map(([j, t]) => ({ label: journeyLabel(j === "other" ? null : j), actions: t.actions, people: t.people.size })),
    pending: now.pending,
  };
}

/** Only when the federation chose to have one (`actions.leaderboard: true`): this month's top ten by points. */
export function leaderboardRows(ctx: BaseContext, current: Period): { name: string; points: number }[] | undefined {
  const cfg = actionsConfig(ctx.config);
  if (!cfg.leaderboard) return undefined;
  const s = summarise(ctx, current);
  const totals = pointsByMember(scoreActions(s.actions.filter((a) => a.forgottenAt === null), cfg.freeTextWeight));
  const name = nameOf(ctx);
  return [...totals].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, 10).map(([id, points]) => ({ name: name(id), points }));
}
