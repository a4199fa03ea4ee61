// What a driver should hear before (or while) a meeting is saved: the same
// meeting already scheduled, another meeting of the group at the same time,
// and reminders whose time has already gone for the first date (they are
// not sent, so the confirmation must not quietly promise them).
import type { BaseContext } from "../../bot/context.ts";
import { esc } from "../../bot/markup.ts";
import { activeMeetingsOf, exceptionsOf, type Meeting, type MeetingInsert } from "../../db/meetings.ts";
import { minutesLabel, remindList, shortWhen } from "./format.ts";
import { seriesOf } from "./lookup.ts";
import { Series, type Occurrence } from "./series.ts";

type Shape = Pick<MeetingInsert, "groupId" | "title" | "start" | "zone" | "rrule" | "remindMinutes" | "durationMinutes">;

const sameTitle = (a: string, b: string) => a.trim().toLowerCase() === b.trim().toLowerCase();

/** An active meeting of the group with this title and this schedule: saving again would double every reminder. */
export function duplicateOf(ctx: BaseContext, row: Shape, except?: number): Meeting | undefined {
  return activeMeetingsOf(ctx.db, row.groupId).find(
    (m) => m.id !== except && sameTitle(m.title, row.title) && m.start === row.start && m.zone === row.zone && (m.rrule ?? null) === (row.rrule ?? null),
  );
}

/**
 * The first date ahead: of a saved meeting (`saved`: its number), with its
 * skips and moves; of a shape not saved yet, as a bare series.
 */
function firstStart(ctx: BaseContext, row: Shape, saved?: number): number | undefined {
  const probe = { ...row, rrule: row.rrule ?? null } as Meeting;
  return new Series(probe, saved === undefined ? [] : exceptionsOf(ctx.db, saved)).after(ctx.now, 1)[0]?.start;
}

/** "⚠️ *Planning* (meeting 2) is at the same time." when another meeting of the group starts then too. */
export function clashNote(ctx: BaseContext, row: Shape, self?: { id: number; saved: boolean }): string | undefined {
  const except = self?.id;
  const start = firstStart(ctx, row, self?.saved ? self.id : undefined);
  if (start === undefined) return undefined;
  for (const other of activeMeetingsOf(ctx.db, row.groupId)) {
    if (other.id === except) continue;
    const occ: Occurrence | undefined = seriesOf(ctx, other).after(start - 1, 1)[0];
    if (occ?.start === start) return `⚠️ *${esc(other.title)}* (meeting ${other.id}) is at the same time, ${shortWhen(start, row.zone)}.`;
  }
  return undefined;
}

/**
 * Reminders of the first date whose time has passed are never sent (a
 * reminder for a time gone is not news); say so, and say which one will be.
 */
export function passedRemindersNote(ctx: BaseContext, row: Shape, saved?: number): string | undefined {
  const start = firstStart(ctx, row, saved);
  if (start === undefined) return undefined;
  const offsets = remindList(row);
  const gone = offsets.filter((m) => start - m * 60_000 <= ctx.now);
  if (gone.length === 0) return undefined;
  const kept = offsets.filter((m) => !gone.includes(m));
  const label = (list: number[]) => list.map(minutesLabel).join(" and ");
  const when = shortWhen(start, row.zone);
  const rest = kept.length ? `; the one${kept.length > 1 ? "s" : ""} ${label(kept)} before will be` : "; it gets no reminder";
  const later = row.rrule ? " Later dates get every reminder." : "";
  return `⏰ ${when} is less than ${label(gone.slice(-1))} away, so the reminder${gone.length > 1 ? "s" : ""} ${label(gone)} before won't be sent for it${rest}.${later}`;
}
