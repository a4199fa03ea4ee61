// A group's meetings as iCalendar (RFC 5545): `meeting ics <group>` in chat,
// and a feed calendar apps subscribe to, `GET /calendar/<group>.ics?token=`,
// guarded by a per-group secret. A wrong or missing token gets the same 404
// as a path that doesn't exist: nothing is revealed.
import { randomBytes, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import { BaseContext, type Services } from "../../bot/context.ts";
import type { HttpResponse, HttpRoute } from "../../bot/http.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { driverScope, findGroupBySlug, type Group } from "../../db/groups.ts";
import { activeMeetingsOf, ensureFeedToken, exceptionsOf, feedToken, replaceFeedToken } from "../../db/meetings.ts";
import { resolveGroup } from "../groups/lookup.ts";
import { buildCalendar, type CalendarEvent } from "./ics.ts";
import { zoneOf } from "./input.ts";
import { canSeeDetails } from "./lookup.ts";

/** Every active meeting of the group: series with EXDATEs for skipped dates, and an override (RECURRENCE-ID) for each moved one. */
export function groupCalendar(ctx: BaseContext, group: Group, opts: { details: boolean }): string {
  const events: CalendarEvent[] = [];
  const host = ctx.config.federation.name.replace(/[^A-Za-z0-9.-]/g, "") || "coopbot";
  for (const m of activeMeetingsOf(ctx.db, group.id)) {
    const exceptions = exceptionsOf(ctx.db, m.id);
    const moved = exceptions.filter((e) => e.kind === "move" && e.movedTo);
    const base = { title: m.title, durationMinutes: m.durationMinutes, zone: m.zone, sequence: m.revision, location: opts.details ? (m.location ?? undefined) : undefined };
    const start = !m.rrule && moved[0] ? moved[0].movedTo! : m.start;
    const uid = `meeting-${m.id}@${host}`;
    const skipped = exceptions.filter((e) => e.kind === "skip").map((e) => e.occurrence);
    events.push({ ...base, uid, start, rrule: m.rrule ?? undefined, exdates: m.rrule ? skipped : undefined });
    if (!m.rrule) continue;
    // RFC 5545 overrides: same UID, RECURRENCE-ID naming the occurrence it replaces.
    for (const e of moved) events.push({ ...base, uid, recurrenceId: e.occurrence, start: e.movedTo! });
  }
  return buildCalendar({ name: `${group.name} meetings`, zone: zoneOf(ctx, group), events, stampMs: ctx.now });
}

export const meetingIcs = defineCommand({
  name: "meeting ics",
  summary: "Get a group's meetings as an iCalendar file (for calendar apps)",
  examples: ["meeting ics business-planning"],
  args: z.object({ group: z.string().describe("the group's slug") }),
  positional: ["group"],
  allow: "everyone",
  run(ctx, args) {
    const group = resolveGroup(ctx, args.group);
    const text = groupCalendar(ctx, group, { details: canSeeDetails(ctx, group) }).replace(/\r\n/g, "\n").trimEnd();
    ctx.reply(`iCalendar for *${esc(group.name)}* (save it as ${group.slug}.ics; ${cmd(`meeting feed ${group.slug}`)} gives a link that stays up to date):\n\`\`\`\n${esc(text)}\n\`\`\``, { whole: true });
  },
});

const newToken = () => randomBytes(24).toString("base64url");

export const meetingFeed = defineCommand({
  name: "meeting feed",
  summary: "Get a private link to subscribe to a group's meetings in your calendar app",
  examples: ["meeting feed business-planning", "meeting feed business-planning --reset"],
  args: z.object({ group: z.string().describe("the group's slug"), reset: z.boolean().optional().describe("drivers: replace the link (the old one stops working)") }),
  positional: ["group"],
  allow: "everyone",
  run(ctx, args) {
    const group = resolveGroup(ctx, args.group);
    if (!canSeeDetails(ctx, group)) return ctx.fail(`The calendar link is for members of ${esc(group.name)}; ${cmd(`join ${group.slug}`)} first.`);
    const base = ctx.config.http?.publicUrl;
    if (!base) return ctx.fail(`Calendar links aren't switched on here (an admin sets \`http.publicUrl\` in the config). ${cmd(`meeting ics ${group.slug}`)} gives you the file instead.`);
    if (args.reset) {
      if (!ctx.can(["driver", "admin"], driverScope(group.id))) return ctx.fail(`Only the drivers of ${esc(group.name)} (or an admin) can replace its calendar link.`);
      replaceFeedToken(ctx.db, group.id, newToken(), ctx.now);
    }
    const token = ensureFeedToken(ctx.db, group.id, newToken(), ctx.now);
    const url = `${base.replace(/\/+$/, "")}/calendar/${group.slug}.ics?token=${token}`;
    const text = `📆 ${args.reset ? "New calendar link" : "Calendar link"} for *${esc(group.name)}* — subscribe to it in your calendar app; keep it to yourself:\n${url}`;
    if (ctx.event.room.kind === "dm") return ctx.reply(text);
    ctx.toMember(ctx.actor.memberId, text);
    ctx.reply("I've sent you the calendar link in a private message.");
  },
});

const NOT_FOUND: HttpResponse = { status: 404, body: JSON.stringify({ error: "not found" }) };

function sameSecret(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** `GET /calendar/<group>.ics?token=...`: read-only, so it needs no transaction of its own. */
export function calendarFeedRoute(services: Services): HttpRoute {
  return {
    method: "GET",
    path: "/calendar/:group.ics",
    handle(req) {
      const ctx = new BaseContext(services, `http:calendar:${req.params.group}`);
      const group = findGroupBySlug(ctx.db, req.params.group ?? "");
      const expected = group && feedToken(ctx.db, group.id);
      if (!group || !expected || !sameSecret(req.query.get("token") ?? "", expected)) return NOT_FOUND;
      return {
        status: 200,
        headers: { "content-type": "text/calendar; charset=utf-8", "cache-control": "private, max-age=300" },
        body: groupCalendar(ctx, group, { details: true }),
      };
    },
  };
}
