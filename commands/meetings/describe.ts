// A schedule in plain English ("every 2 weeks on Monday at 11:00
// (Europe/London)"), for confirmations and listings. Pure.
import { DateTime } from "luxon";
import { parseLocalIso, type Schedule } from "./recurrence.ts";

const DAY_NAMES: Record<string, string> = {
  MO: "Monday", TU: "Tuesday", WE: "Wednesday", TH: "Thursday", FR: "Friday", SA: "Saturday", SU: "Sunday",
};
const ORDINAL_WORDS: Record<string, string> = {
  "1": "first", "2": "second", "3": "third", "4": "fourth", "5": "fifth", "-1": "last", "-2": "second to last",
};
const MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];

function nth(n: number): string {
  if (n === -1) return "last day";
  const v = n % 100;
  const suffix = v >= 11 && v <= 13 ? "th" : (["th", "st", "nd", "rd"][v % 10] ?? "th");
  return `${n}${suffix}`;
}

function listJoin(xs: string[]): string {
  return xs.length <= 1 ? xs.join("") : `${xs.slice(0, -1).join(", ")} and ${xs[xs.length - 1]}`;
}

/** "on the second and fourth Thursday" from BYDAY=2TH,4TH (grouped per weekday). */
function describeNthDays(days: Array<{ n: string; day: string }>): string {
  const byDay = new Map<string, string[]>();
  for (const d of days) byDay.set(d.day, [...(byDay.get(d.day) ?? []), ORDINAL_WORDS[String(Number(d.n))] ?? `${d.n}th`]);
  return ` on the ${listJoin([...byDay].map(([day, ns]) => `${listJoin(ns)} ${DAY_NAMES[day]}`))}`;
}

/**
 * The schedule in plain English, e.g. "every 2 weeks on Monday at 11:00
 * (Europe/London)", "monthly on the first Tuesday at 18:30 (Europe/London)",
 * "once, on Sunday 23 August 2026 at 11:00 (Europe/London)". Rules this
 * cannot phrase fall back to showing the RRULE itself rather than guessing.
 */
export function describeRule(schedule: Schedule): string {
  const start = DateTime.fromMillis(parseLocalIso(schedule.start), { zone: "UTC" }).setLocale("en-GB");
  const at = ` at ${start.toFormat("HH:mm")} (${schedule.zone})`;
  if (!schedule.rrule) return `once, on ${start.toFormat("cccc d LLLL yyyy")}${at}`;
  const parts = new Map(schedule.rrule.toUpperCase().split(";").map((kv) => kv.split("=") as [string, string]));
  const freq = parts.get("FREQ") ?? "";
  const unit = ({ DAILY: "day", WEEKLY: "week", MONTHLY: "month", YEARLY: "year" } as Record<string, string>)[freq];
  const days = (parts.get("BYDAY") ?? "").split(",").filter(Boolean).map((d) => /^([+-]?\d+)?(MO|TU|WE|TH|FR|SA|SU)$/.exec(d));
  const handled = new Set(["FREQ", "INTERVAL", "BYDAY", "BYMONTHDAY", "BYMONTH", "COUNT", "UNTIL", "WKST"]);
  if (!unit || days.some((d) => !d) || [...parts.keys()].some((k) => !handled.has(k))) {
    return `repeating (${schedule.rrule}) from ${start.toFormat("d LLLL yyyy")}${at}`;
  }
  const interval = Number(parts.get("INTERVAL") ?? 1);
  let every = interval > 1 ? `every ${interval} ${unit}s` : unit === "day" || unit === "week" ? `every ${unit}` : `${unit}ly`;
  let on = "";
  const plain = days.filter((d) => !d![1]).map((d) => d![2]!);
  const numbered = days.filter((d) => d![1]).map((d) => ({ n: d![1]!, day: d![2]! }));
  if (plain.join() === "MO,TU,WE,TH,FR" && interval === 1 && !numbered.length && unit !== "year") every = "every weekday";
  else if (plain.length) on = ` on ${listJoin(plain.map((d) => DAY_NAMES[d]!))}`;
  if (numbered.length) on += describeNthDays(numbered);
  const monthDays = (parts.get("BYMONTHDAY") ?? "").split(",").filter(Boolean).map(Number);
  const months = (parts.get("BYMONTH") ?? "").split(",").filter(Boolean).map((m) => MONTH_NAMES[Number(m) - 1] ?? m);
  if (months.length && monthDays.length) on += ` on ${listJoin(monthDays.map(String))} ${listJoin(months)}`;
  else {
    if (monthDays.length) on += ` on the ${listJoin(monthDays.map(nth))}`;
    if (months.length) on += ` in ${listJoin(months)}`;
  }
  const count = parts.get("COUNT") ? `, ${parts.get("COUNT")} times` : "";
  return `${every}${on}${at}${count}`;
}
