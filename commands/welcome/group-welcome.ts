// The welcome into a group, sent privately to whoever just joined it (an
// open group, or their request approved): the next meeting in their own
// time zone with RSVP buttons, a way into their calendar, the group's own
// welcome line, its drivers, and up to three ways to help now. The drivers'
// side: a note carrying what the newcomer offered, with "Invite to next
// meeting"; and, when the group has nothing scheduled, a word that it hasn't.
import type { BaseContext } from "../../bot/context.ts";
import type { DomainEvents } from "../../bot/domain.ts";
import type { OutboundMessage } from "../../bot/events.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { driversOf, getGroup, type Group } from "../../db/groups.ts";
import { getProfile } from "../../db/profiles.ts";
import { addNewcomer, getNewcomer, getOnboarding, hasHistory, insertWelcome, markToldNoMeeting, toldNoMeetingSince, welcomedSince, type Welcome } from "../../db/welcome.ts";
import { deciders } from "../groups/lookup.ts";
import { welcomeConfig } from "./config.ts";
import { meetingButtons, meetingCommands, meetingLine, nextMeetingOf, zoneFor, type NextMeeting } from "./next-meeting.ts";
import { waysToHelp } from "./ways-to-help.ts";

const DAY = 86_400_000;
/** Someone leaving and joining again within this long doesn't bring the drivers another note. */
const REJOIN_QUIET = 30 * DAY;
/** The drivers hear that their group has nothing scheduled at most this often. */
const NO_MEETING_QUIET = 7 * DAY;

export const noteKey = (welcomeId: number) => `welcome-note:${welcomeId}`;

type Joined = DomainEvents["group.joined"];

function groupSettings(ctx: BaseContext, group: Group): { line?: string; tellDrivers: boolean } {
  const cfg = welcomeConfig(ctx.config);
  const own = cfg.groups[group.slug];
  return { line: own?.line, tellDrivers: own?.tellDrivers ?? cfg.tellDrivers };
}

function driversLine(ctx: BaseContext, group: Group, memberId: number): string {
  const drivers = driversOf(ctx.db, group.id).map((d) => d.memberId).filter((id) => id !== memberId);
  if (drivers.length === 0) return "🧭 It has no driver yet; the admins look after it for now.";
  return `🧭 ${drivers.length === 1 ? "Its driver is" : "Its drivers are"} ${drivers.map(mention).join(", ")}: ask them anything.`;
}

/** The next meeting in the joiner's own zone, and how to answer it. */
function nextMeetingLines(ctx: BaseContext, group: Group, joined: Joined, next: NextMeeting): string[] {
  return [`📅 Next meeting: ${meetingLine(next, zoneFor(ctx, joined.memberId, next.meeting))}`, meetingCommands(ctx, next, group)];
}

/** What the newcomer reads (after the approval, when there was one: one message, not two). */
function welcomeMessage(ctx: BaseContext, group: Group, joined: Joined, next: NextMeeting | undefined): OutboundMessage {
  const { line } = groupSettings(ctx, group);
  const lines = [...(joined.intro ? [joined.intro] : []), `👋 Welcome to *${esc(group.name)}*, ${mention(joined.memberId)}!`];
  if (line) lines.push(esc(line));
  if (next) lines.push(...nextMeetingLines(ctx, group, joined, next));
  else lines.push(`📅 It has no meeting scheduled yet; I've let ${driversOf(ctx.db, group.id).length ? "its drivers" : "the admins"} know.`);
  lines.push(driversLine(ctx, group, joined.memberId));
  const ways = waysToHelp(ctx, group, welcomeConfig(ctx.config).waysToHelp);
  if (ways.length) lines.push("🙌 Ways to help now:", ...ways);
  else lines.push(`🙌 ${cmd("jobs")} lists things anyone can do for the federation.`);
  if (!getOnboarding(ctx.db, joined.memberId)) lines.push(`New to the federation? ${cmd("welcome")} gives you a two-minute tour.`);
  return { text: lines.join("\n"), buttons: next ? meetingButtons(ctx, next, group) : [] };
}

/** The drivers' note: who joined, what they offered, and the invitation button. */
function driverNote(ctx: BaseContext, group: Group, welcome: Welcome, next: NextMeeting | undefined): OutboundMessage {
  const who = mention(welcome.memberId);
  const lines = [welcome.via === "open" ? `👋 ${who} joined *${esc(group.name)}* (open to all).` : `👋 I've sent ${who} their welcome to *${esc(group.name)}*.`];
  // An approval's card already carried the note; an open join's drivers see it here for the first time.
  if (welcome.via === "open" && welcome.note) lines.push(`They offered:\n> ${esc(welcome.note)}`);
  const skills = getProfile(ctx.db, welcome.memberId)?.skills;
  if (skills) lines.push(`Skills on their profile: ${esc(skills)}`);
  if (!next) {
    lines.push(`It has no meeting coming up, so I couldn't point them at one: ${cmd(`meeting schedule ${group.slug} "<title>" <date> <time>`)} sets one up.`);
    return { text: lines.join("\n"), key: noteKey(welcome.id) };
  }
  lines.push(`Next meeting: ${meetingLine(next, next.meeting.zone)}`, `Send them a personal invitation with the button or ${cmd(`welcome invite ${welcome.id}`)}.`);
  return { text: lines.join("\n"), key: noteKey(welcome.id), buttons: [{ label: "Invite to next meeting", command: `welcome invite ${welcome.id}`, style: "primary" }] };
}

/** Who gets the note: the driver who approved, or (if the group wants it) an open group's drivers. */
function noteRecipients(ctx: BaseContext, group: Group, joined: Joined, rejoined: boolean): number[] {
  if (rejoined) return [];
  if (joined.via === "approval") return joined.by !== null && joined.by !== joined.memberId ? [joined.by] : [];
  if (!groupSettings(ctx, group).tellDrivers) return [];
  return driversOf(ctx.db, group.id).map((d) => d.memberId).filter((id) => id !== joined.memberId);
}

/**
 * Nothing is scheduled: the group's drivers (or the admins, when it has
 * none) hear it, once a week at most; those the note just told aren't told
 * twice.
 */
function tellNoMeeting(ctx: BaseContext, group: Group, welcome: Welcome, noted: number[]): void {
  const toldLately = toldNoMeetingSince(ctx.db, group.id, ctx.now - NO_MEETING_QUIET);
  const to = toldLately ? [] : deciders(ctx, group.id, welcome.memberId).filter((id) => !noted.includes(id));
  const text = `📅 ${mention(welcome.memberId)} just joined *${esc(group.name)}*, which has no meeting coming up; newcomers are told about the next one when they join. ${cmd(`meeting schedule ${group.slug} "<title>" <date> <time>`)} sets one up.`;
  for (const id of to) ctx.toMember(id, text);
  if (noted.length > 0 || to.length > 0) markToldNoMeeting(ctx.db, welcome.id);
}

/**
 * The member is new to the federation if this welcome is the first thing
 * the bot did for them: no tour, no other group, nothing logged.
 */
function noteNewcomer(ctx: BaseContext, joined: Joined): void {
  if (getNewcomer(ctx.db, joined.memberId) || getOnboarding(ctx.db, joined.memberId)) return;
  if (!hasHistory(ctx.db, joined.memberId, joined.groupId)) addNewcomer(ctx.db, joined.memberId, ctx.now, "group");
}

/**
 * Back within a month of their last welcome: the meeting again, not the
 * whole introduction (they have had it, and the drivers aren't told twice).
 */
function welcomeBackMessage(ctx: BaseContext, group: Group, joined: Joined, next: NextMeeting | undefined): OutboundMessage {
  const lines = [...(joined.intro ? [joined.intro] : []), `👋 Welcome back to *${esc(group.name)}*, ${mention(joined.memberId)}!`];
  if (next) lines.push(...nextMeetingLines(ctx, group, joined, next));
  else lines.push("📅 It has no meeting scheduled yet.");
  return { text: lines.join("\n"), buttons: next ? meetingButtons(ctx, next, group) : [] };
}

/** `group.joined`: runs in the joining command's transaction, after its own answers. */
export function welcomeIntoGroup(ctx: BaseContext, joined: Joined): void {
  const group = getGroup(ctx.db, joined.groupId);
  if (!group) return;
  joined.welcomed = true;
  const next = nextMeetingOf(ctx, group.id);
  const rejoined = welcomedSince(ctx.db, joined.memberId, group.id, ctx.now - REJOIN_QUIET);
  const welcome = insertWelcome(ctx.db, {
    memberId: joined.memberId,
    groupId: group.id,
    via: joined.via,
    by: joined.by,
    note: joined.note,
    meetingId: next?.meeting.id ?? null,
    occurrence: next?.occ.key ?? null,
    at: ctx.now,
  });
  noteNewcomer(ctx, joined);
  ctx.toMember(joined.memberId, rejoined ? welcomeBackMessage(ctx, group, joined, next) : welcomeMessage(ctx, group, joined, next));
  const noted = noteRecipients(ctx, group, joined, rejoined);
  for (const id of noted) ctx.toMember(id, driverNote(ctx, group, welcome, next));
  if (!next) tellNoMeeting(ctx, group, welcome, noted);
}
