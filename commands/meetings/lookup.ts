// Finding meetings and occurrences from what people type.
import { DateTime } from "luxon";
import type { BaseContext, CommandContext } from "../../bot/context.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { driverScope, getGroup, isMember, type Group } from "../../db/groups.ts";
import { exceptionsOf, getMeeting, type Meeting } from "../../db/meetings.ts";
import { isDriverOf } from "../groups/lookup.ts";
import { dateOf } from "./format.ts";
import { Series, type Occurrence } from "./series.ts";

export function seriesOf(ctx: BaseContext, meeting: Meeting): Series {
  return new Series(meeting, exceptionsOf(ctx.db, meeting.id));
}

const parseId = (text: string): number | undefined => (/^#?\d{1,9}$/.test(text.trim()) ? Number(text.trim().replace("#", "")) : undefined);

/** A meeting by its number, or a refusal that says how to find the numbers. */
export function resolveMeeting(ctx: BaseContext, text: string, opts: { includeCancelled?: boolean } = {}): { meeting: Meeting; group: Group } {
  const id = parseId(text);
  const meeting = id === undefined ? undefined : getMeeting(ctx.db, id);
  if (!meeting) return ctx.fail(`There's no meeting \`${esc(text)}\`: meetings are numbered; ${cmd("meetings <group>")} lists them.`);
  if (meeting.state === "cancelled" && !opts.includeCancelled) return ctx.fail(`Meeting ${meeting.id} (${esc(meeting.title)}) was cancelled.`);
  return { meeting, group: getGroup(ctx.db, meeting.groupId)! };
}

/** For a command's `scope:`: the driver scope of the meeting's group, so only its drivers (and admins) pass. */
export function meetingScope(ctx: BaseContext, text: string | undefined): string | undefined {
  const id = text === undefined ? undefined : parseId(text);
  const meeting = id === undefined ? undefined : getMeeting(ctx.db, id);
  return meeting ? driverScope(meeting.groupId) : undefined;
}

/** Members, drivers and admins see a group's meeting details (links, notes, the feed). */
export function canSeeDetails(ctx: CommandContext, group: Group): boolean {
  return seesDetails(ctx, group, ctx.actor.memberId);
}

/** The same rule for any member, as their roles and memberships stand now (a calendar feed asks it on every request). */
export function seesDetails(ctx: BaseContext, group: Group, memberId: number): boolean {
  return ctx.services.permissions.hasRole(ctx.db, memberId, "admin") || isDriverOf(ctx, group.id, memberId) || isMember(ctx.db, group.id, memberId);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The occurrence a typed date names (its original date or, if moved, its
 * new one), or `fallback` when no date was typed: the next one not over
 * (`next`) or the latest one that has started (`last`).
 */
export function pickOccurrence(ctx: BaseContext, series: Series, date: string | undefined, fallback: "next" | "last"): Occurrence {
  const { meeting } = series;
  if (date === undefined) {
    const found = fallback === "next" ? series.nextNotOver(ctx.now) : series.lastStarted(ctx.now);
    if (!found) return ctx.fail(fallback === "next" ? `${esc(meeting.title)} has no more meetings coming up.` : `${esc(meeting.title)} hasn't met yet.`);
    return found;
  }
  if (!DATE.test(date.trim())) return ctx.fail(`\`${esc(date)}\` isn't a date: write it like 2026-09-07.`);
  const day = date.trim();
  const hits = occurrencesOn(series, day);
  if (hits.length === 0) {
    if (series.isSkipped(`${day}T${meeting.start.slice(11)}`)) return ctx.fail(`${esc(meeting.title)} on ${day} is already skipped.`);
    const next = series.after(ctx.now, 3).map((o) => dateOf(o));
    return ctx.fail(`${esc(meeting.title)} doesn't meet on ${day}.${next.length ? ` Coming up: ${next.join(", ")}.` : ""}`);
  }
  return hits[0]!;
}

/** Occurrences whose original or actual local date is `day` ("2026-09-07"). */
export function occurrencesOn(series: Series, day: string): Occurrence[] {
  const zone = series.meeting.zone;
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const approx = Date.UTC(y, m - 1, d);
  if (Number.isNaN(approx)) return [];
  const around = series.between(approx - 2 * 86_400_000, approx + 3 * 86_400_000).filter((o) => dateOf(o) === day || localDate(o.start, zone) === day);
  const farMoves = series.movedFrom(day).filter((m) => !around.some((o) => o.key === m.key));
  return [...around, ...farMoves];
}

const localDate = (ms: number, zone: string): string => DateTime.fromMillis(ms, { zone }).toISODate()!;
