// The weekly digest posted to the configured room. It celebrates breadth —
// who joined in, newcomers, quiet work, journeys covered, how many people
// were thanked — and never ranks anyone or leads with totals. Each run is a
// job with a unique key (`actions.digest:<schedule>:<local time>`) and
// schedules the next one, so a restart neither loses nor doubles a digest.
// With `chart: true` the progress chart follows it, as a picture.
import { DateTime } from "luxon";
import { defineJob } from "../../bot/capability.ts";
import type { BaseContext } from "../../bot/context.ts";
import { cmd, mention } from "../../bot/markup.ts";
import { jobsLike } from "../../db/jobs.ts";
import { dropBytesOnceSent } from "../core/files.ts";
import { progressChartMessage } from "../reports/progress-chart.ts";
import { actionsConfig, WEEKDAYS, type ActionsConfig } from "./config.ts";
import { calendarMonth } from "./periods.ts";
import { targetRows } from "./targets.ts";
import { journeyLabel } from "./shared.ts";
import { contributorList, summarise } from "./summary.ts";

/** A digest later than this (the bot was down) is skipped; the next week's still comes. */
export const DIGEST_GRACE = 12 * 3600_000;
const KIND = "actions.digest";

type DigestConfig = NonNullable<ActionsConfig["digest"]>;

const schedulePrefix = (d: DigestConfig) => `${KIND}:${d.room.platform}:${d.room.platformId}:${d.weekday}@${d.time}:`;

/** The first digest time strictly after `after`, in the federation's zone (DST-safe: set the wall time each day). */
export function nextDigestAt(d: DigestConfig, after: number, zone: string): number {
  const [hour, minute] = d.time.split(":").map(Number) as [number, number];
  const weekday = WEEKDAYS.indexOf(d.weekday) + 1;
  let day = DateTime.fromMillis(after, { zone }).startOf("day");
  for (let i = 0; i < 9; i++, day = day.plus({ days: 1 })) {
    const at = day.set({ hour, minute });
    if (at.weekday === weekday && at.toMillis() > after) return at.toMillis();
  }
  throw new Error("no digest time within 9 days");
}

function scheduleDigest(ctx: BaseContext, d: DigestConfig, at: number): void {
  const local = DateTime.fromMillis(at, { zone: ctx.config.timezone }).toFormat("yyyy-MM-dd'T'HH:mm");
  ctx.schedule({ kind: KIND, key: `${schedulePrefix(d)}${local}`, dueAt: at });
}

/**
 * At start: keep the pending digest if it matches the config (even a late
 * one, which then runs or is skipped by the grace rule); cancel any other
 * (the config changed, or the clock was set back); schedule the next one.
 */
export function seedDigest(ctx: BaseContext): void {
  const d = actionsConfig(ctx.config).digest;
  const next = d ? nextDigestAt(d, ctx.now, ctx.config.timezone) : undefined;
  let kept = false;
  for (const job of jobsLike(ctx.db, `${KIND}:`)) {
    if (job.state !== "pending") continue;
    if (d && job.key.startsWith(schedulePrefix(d)) && job.dueAt <= next!) kept = true;
    else ctx.cancelJob(job.key);
  }
  if (d && !kept) scheduleDigest(ctx, d, next!);
}

/** The digest's text for the 7 days before `end`; undefined when nobody did verified work. */
export function digestText(ctx: BaseContext, end: number): string | undefined {
  const zone = ctx.config.timezone;
  const from = DateTime.fromMillis(end, { zone }).minus({ days: 7 }).toMillis();
  const s = summarise(ctx, { label: "this week", from, to: end });
  if (s.contributors.length === 0) return undefined;
  const covered = [...s.journeys].filter(([j, t]) => t.actions > 0 && j !== "other").map(([j]) => journeyLabel(j));
  const ownWords = (s.journeys.get("other")?.actions ?? 0) > 0 ? " Plus work in people's own words." : "";
  const names = (ids: number[]) => ids.map(mention).join(", ");
  const lines = [`🌻 *This week in the federation* (${DateTime.fromMillis(from, { zone }).toFormat("d LLL")}–${DateTime.fromMillis(end - 1, { zone }).toFormat("d LLL")})`];
  const one = s.contributors.length === 1;
  lines.push(`${one ? "1 person" : `${s.contributors.length} people`} did verified work for the federation: ${contributorList(s)}. ${one ? "Thank you!" : "Thank you, all of you."}`);
  if (s.newcomers.length) lines.push(`🌱 A warm welcome to our newest contributors: ${names(s.newcomers)}.`);
  if (s.notYetThanked.length) lines.push(`👀 Quiet work worth a thank-you: ${names(s.notYetThanked)}.`);
  lines.push(`🧭 Journeys covered: ${covered.length ? covered.join(", ") : "none of the three yet"}${covered.length === 3 ? " — all three!" : ""}${ownWords}`);
  if (s.thankedPeople > 0) lines.push(`🙏 ${s.thankedPeople === 1 ? "1 person was" : `${s.thankedPeople} people were`} thanked by ${s.thanksGivers === 1 ? "1 person" : `${s.thanksGivers} people`}.`);
  lines.push(`Done something for the federation? ${cmd("log")} it. Seen good work? ${cmd("thanks @someone for <what they did>")}.`);
  return lines.join("\n");
}

export const digestJob = defineJob<Record<string, never>>({
  kind: KIND,
  run(ctx) {
    const d = actionsConfig(ctx.config).digest;
    if (!d) return ctx.skip("the digest is no longer configured");
    scheduleDigest(ctx, d, nextDigestAt(d, Math.max(ctx.job.dueAt, ctx.now), ctx.config.timezone));
    if (ctx.lateMs > DIGEST_GRACE) return ctx.skip("too late to be this week's digest (the bot was down)");
    const text = digestText(ctx, ctx.job.dueAt);
    if (!text) return ctx.skip("a week with no verified actions: nothing to celebrate in public");
    const room = { platform: d.room.platform, id: d.room.platformId };
    ctx.toRoom(room, text);
    if (d.chart) dropBytesOnceSent(ctx, ctx.toRoom(room, progressChartMessage(ctx, targetRows(ctx, calendarMonth(ctx.now, ctx.config.timezone)))));
  },
});
