// Meetings: recurring schedules in the group's time zone (RFC 5545 rules,
// never UTC cron), reminders to the group's rooms that survive restarts and
// DST, RSVPs, attendance, MeetBot-style notes and iCalendar feeds.
import { defineCapability } from "../../bot/capability.ts";
import { registerGroupFact } from "../groups/directory.ts";
import { attended, meetingMetrics } from "./attendance.ts";
import { meetingIcs } from "./calendar.ts";
import { calendarFeedRoute, dropFeedOnLeaving, forgetSentLink, meetingFeed } from "./feed.ts";
import { meetingsConfigSchema } from "./config.ts";
import { mergeMeetingMembers } from "./merge.ts";
import { confirmDraft, discardDraft, expireDraft } from "./drafts.ts";
import { meetingEdit } from "./edit.ts";
import { exportMeetingsMember, forgetMeetingsMember } from "./forget.ts";
import { meetingsList, nextMeetingFact } from "./list.ts";
import { meetingCancel, meetingMove, meetingSkip } from "./manage.ts";
import { actionDone, actionsJob, meetingNotes, notesListener } from "./notes.ts";
import { planJob } from "./plan.ts";
import { afterJob, remindJob } from "./reminders.ts";
import { rsvp, rsvpList } from "./rsvp.ts";
import { actionTake } from "./take.ts";
import { meetingSchedule } from "./schedule.ts";

export { scheduleMeeting, planFrom, replan } from "./plan.ts";

registerGroupFact(nextMeetingFact);

export const meetings = defineCapability({
  name: "meetings",
  commands: [
    meetingsList, rsvp, meetingNotes, actionDone, actionTake, meetingIcs, meetingFeed,
    meetingSchedule, confirmDraft, discardDraft, meetingEdit, meetingSkip, meetingMove, meetingCancel, rsvpList, attended,
  ],
  jobs: [planJob, remindJob, afterJob, actionsJob, expireDraft, forgetSentLink],
  listeners: [notesListener],
  on: { "group.left": dropFeedOnLeaving },
  config: { key: "meetings", schema: meetingsConfigSchema },
  http: (services) => [calendarFeedRoute(services)],
  mergeMembers: mergeMeetingMembers,
  forgetMember: forgetMeetingsMember,
  exportMember: exportMeetingsMember,
  metrics: meetingMetrics,
});
