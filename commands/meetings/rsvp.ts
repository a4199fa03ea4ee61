// `rsvp` (typed or a reminder's buttons) and `rsvps` for drivers. One answer
// per member per occurrence: the same member answering again, from any
// platform, replaces their answer.
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import { esc, mention } from "../../bot/markup.ts";
import { getRsvp, rsvpsFor, upsertRsvp, type Answer } from "../../db/meeting-records.ts";
import { invitationsFor } from "../../db/welcome.ts";
import { readerZone, shortWhen } from "./format.ts";
import { meetingScope, pickOccurrence, resolveMeeting, seriesOf } from "./lookup.ts";

const SAID: Record<Answer, string> = { yes: "✅ You're coming to", no: "👍 Noted: you can't come to", maybe: "🤔 Noted: you might come to" };
const meetingArg = z.string().describe("the meeting's number (see `meetings`)");
const dateOption = z.string().optional().describe("which date, e.g. 2026-09-07 (default: the next one)");

export const rsvp = defineCommand({
  name: "rsvp",
  summary: "Say whether you're coming to a meeting",
  examples: ["rsvp 3 yes", "rsvp 3 no --date 2026-09-07"],
  args: z.object({ meeting: meetingArg, answer: z.enum(["yes", "no", "maybe"]).describe("yes, no or maybe"), date: dateOption }),
  positional: ["meeting", "answer"],
  allow: "everyone",
  run(ctx, args) {
    const { meeting } = resolveMeeting(ctx, args.meeting);
    const occ = pickOccurrence(ctx, seriesOf(ctx, meeting), args.date, "next");
    if (occ.end <= ctx.now) return ctx.fail(`${esc(meeting.title)} on ${shortWhen(occ.start, meeting.zone)} is over.`);
    const me = ctx.actor.memberId;
    const before = getRsvp(ctx.db, meeting.id, occ.key, me);
    upsertRsvp(ctx.db, { meetingId: meeting.id, occurrence: occ.key, memberId: me, answer: args.answer, now: ctx.now });
    const going = rsvpsFor(ctx.db, meeting.id, occ.key).filter((r) => r.answer === "yes").length;
    const changed = before && before.answer !== args.answer ? ` (was ${before.answer})` : "";
    ctx.reply(`${SAID[args.answer]} *${esc(meeting.title)}* on ${shortWhen(occ.start, readerZone(ctx, meeting))}${changed}. ${going} going so far.`);
  },
});

export const rsvpList = defineCommand({
  name: "rsvps",
  summary: "See who said they're coming to a meeting",
  examples: ["rsvps 3", "rsvps 3 --date 2026-09-07"],
  args: z.object({ meeting: meetingArg, date: dateOption }),
  positional: ["meeting"],
  allow: ["driver", "admin"],
  scope: (ctx, args) => meetingScope(ctx, args.meeting),
  run(ctx, args) {
    const { meeting } = resolveMeeting(ctx, args.meeting);
    const occ = pickOccurrence(ctx, seriesOf(ctx, meeting), args.date, "next");
    const answers = rsvpsFor(ctx.db, meeting.id, occ.key);
    const group = (a: Answer) => {
      const who = answers.filter((r) => r.answer === a).map((r) => mention(r.memberId));
      return `${a[0]!.toUpperCase()}${a.slice(1)} (${who.length})${who.length ? `: ${who.join(", ")}` : ""}`;
    };
    const invited = invitationsFor(ctx.db, meeting.id, occ.key).map((i) => `${mention(i.memberId)} (${answers.find((r) => r.memberId === i.memberId)?.answer ?? "no answer"})`);
    const invitedText = invited.length ? ` · Invited personally (${invited.length}): ${invited.join(", ")}` : "";
    ctx.reply(`*${esc(meeting.title)}*, ${shortWhen(occ.start, readerZone(ctx, meeting))}: ${group("yes")} · ${group("maybe")} · ${group("no")}${invitedText}`);
  },
});
