// One period's recognition facts, shared by `recognition` and the weekly
// digest: who contributed, who is new, which journeys and groups, hours,
// and who did verified work but wasn't thanked. People are always listed
// alphabetically: a list of names here is never a ranking.
import type { BaseContext } from "../../bot/context.ts";
import { mention } from "../../bot/markup.ts";
import { actionsDoneBetween, firstVerifiedDoneAt, pendingActions, type CountedAction } from "../../db/actions.ts";
import { getGroup } from "../../db/groups.ts";
import { thanksBetween } from "../../db/thanks.ts";
import { JOURNEYS } from "./config.ts";
import type { Period } from "./periods.ts";

export interface Tally {
  actions: number;
  people: Set<number>;
}

export interface PeriodSummary {
  period: Period;
  actions: CountedAction[];
  /** Member ids, alphabetical by name: everyone who counts, forgotten members too. */
  contributors: number[];
  /** The contributors who can be named: not the ones who asked to be forgotten. */
  named: number[];
  /** How many contributors asked to be forgotten (counted, never named). */
  former: number;
  /** First verified action ever done in this period. */
  newcomers: number[];
  /** Verified work this period and no thanks received this period. */
  notYetThanked: number[];
  journeys: Map<string, Tally>;
  /** Group name (or "no group") → tally, alphabetical. */
  groups: Map<string, Tally>;
  hours: number;
  /** People thanked in the period (anyone, not only contributors) and by how many givers. */
  thankedPeople: number;
  thanksGivers: number;
  pending: number;
}

const tally = (map: Map<string, Tally>, key: string, a: CountedAction) => {
  const t = map.get(key) ?? { actions: 0, people: new Set<number>() };
  t.actions++;
  t.people.add(a.memberId);
  map.set(key, t);
};

export function summarise(ctx: BaseContext, period: Period, groupId?: number): PeriodSummary {
  const actions = actionsDoneBetween(ctx.db, period).filter((a) => groupId === undefined || a.groupId === groupId);
  const names = new Map(actions.map((a) => [a.memberId, a.displayName]));
  const alphabetical = (ids: Iterable<number>) => [...ids].sort((a, b) => names.get(a)!.localeCompare(names.get(b)!, "en", { sensitivity: "base" }) || a - b);
  const contributors = alphabetical(new Set(actions.map((a) => a.memberId)));
  const forgotten = new Set(actions.filter((a) => a.forgottenAt !== null).map((a) => a.memberId));
  const named = contributors.filter((id) => !forgotten.has(id));
  const first = firstVerifiedDoneAt(ctx.db);
  const newcomers = named.filter((id) => (first.get(id) ?? 0) >= period.from);
  const thanks = thanksBetween(ctx.db, period);
  const thanked = new Set(thanks.map((t) => t.recipientId));
  const journeys = new Map<string, Tally>(JOURNEYS.map((j) => [j, { actions: 0, people: new Set<number>() }]));
  const groupTallies = new Map<string, Tally>();
  for (const a of actions) {
    tally(journeys, a.journey ?? "other", a);
    tally(groupTallies, a.groupId ? (getGroup(ctx.db, a.groupId)?.name ?? "?") : "no group", a);
  }
  const pending = pendingActions(ctx.db).filter((a) => groupId === undefined || a.groupId === groupId).length;
  return {
    period,
    actions,
    contributors,
    named,
    former: forgotten.size,
    newcomers,
    notYetThanked: named.filter((id) => !thanked.has(id)),
    journeys,
    groups: new Map([...groupTallies].sort(([a], [b]) => (a === "no group" ? 1 : b === "no group" ? -1 : a.localeCompare(b)))),
    hours: actions.reduce((sum, a) => sum + (a.hours ?? 0), 0),
    thankedPeople: thanked.size,
    thanksGivers: new Set(thanks.map((t) => t.giverId)).size,
    pending,
  };
}

/** The contributors as mentions, forgotten members only counted: `@bea, @cal and 1 former member`. */
export function contributorList(s: PeriodSummary): string {
  const named = s.named.map(mention).join(", ");
  if (s.former === 0) return named;
  const former = s.former === 1 ? "1 former member" : `${s.former} former members`;
  return named ? `${named} and ${former}` : former;
}
