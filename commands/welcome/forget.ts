// A member's part in welcoming: what `export me` shows, what `forget me`
// erases, and what linking two accounts merges. The welcomes and invitations
// themselves stay (the figures count them); the words they offered go, and
// so does their place in the tour and its follow-up.
import type { BaseContext } from "../../bot/context.ts";
import { iso } from "../../db/forget.ts";
import { getGroup } from "../../db/groups.ts";
import { getMeeting } from "../../db/meetings.ts";
import { deleteOnboarding, eraseWelcomeNotes, getNewcomer, getOnboarding, invitationsOf, mergeWelcomeMembers, welcomesOf } from "../../db/welcome.ts";
import { followUpPrefix } from "./tour.ts";

export function forgetWelcomeMember(ctx: BaseContext, memberId: number): string[] {
  const texts = welcomesOf(ctx.db, memberId)
    .map((w) => w.note)
    .filter((n): n is string => !!n);
  eraseWelcomeNotes(ctx.db, memberId);
  deleteOnboarding(ctx.db, memberId);
  ctx.cancelJobs(followUpPrefix(memberId));
  return texts;
}

export function exportWelcomeMember(ctx: BaseContext, memberId: number): Record<string, unknown> {
  const tour = getOnboarding(ctx.db, memberId);
  const newcomer = getNewcomer(ctx.db, memberId);
  return {
    welcomeTour: tour ? { state: tour.state, question: tour.step, started: iso(tour.startedAt), finished: iso(tour.finishedAt), followedUp: iso(tour.followedUpAt) } : null,
    newcomerSince: newcomer ? iso(newcomer.welcomedAt) : null,
    welcomesIntoGroups: welcomesOf(ctx.db, memberId).map((w) => ({ group: getGroup(ctx.db, w.groupId)?.slug ?? null, via: w.via, offered: w.note, when: iso(w.at) })),
    meetingInvitations: invitationsOf(ctx.db, memberId).map((i) => ({ meeting: getMeeting(ctx.db, i.meetingId)?.title ?? null, date: i.occurrence, invited: iso(i.invitedAt) })),
  };
}

export function mergeWelcome(ctx: BaseContext, from: number, into: number): void {
  // A follow-up planned for the account merged away would find no tour there: let it go.
  ctx.cancelJobs(followUpPrefix(from));
  mergeWelcomeMembers(ctx.db, from, into);
}
