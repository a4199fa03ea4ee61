// Welcoming people: into a group (what each welcome pointed at, and the
// drivers' personal invitations to a meeting that follow it) and into the
// federation (the short onboarding tour, and who counts as a newcomer).
import { index, integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { members } from "./core.ts";
import { groups } from "./groups.ts";

/** One welcome into a group: sent when a member joined it (open join or an approval). */
export const welcomes = sqliteTable(
  "welcomes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    memberId: integer("member_id").notNull().references(() => members.id),
    groupId: integer("group_id").notNull().references(() => groups.id),
    /** 'open' (joined an open group) | 'approval' (a driver approved their request) */
    via: text("via").notNull(),
    /** The driver or admin who approved them; null for an open join. */
    by: integer("by"),
    /** What they offered when they asked, shown to the drivers; erased by `forget me`. */
    note: text("note"),
    /** The occurrence the welcome pointed them at, if the group had one coming. */
    meetingId: integer("meeting_id"),
    occurrence: text("occurrence"),
    /** The drivers were told the group had no meeting coming up (at most weekly per group). */
    toldNoMeeting: integer("told_no_meeting", { mode: "boolean" }).notNull().default(false),
    at: integer("at").notNull(),
  },
  (t) => [index("welcomes_group").on(t.groupId, t.at), index("welcomes_member").on(t.memberId, t.at)],
);

/**
 * A personal invitation to one meeting occurrence, sent by a driver (after
 * a welcome, "Invite to next meeting"). Kept so attendance can show who came
 * after being invited. One per member per occurrence.
 */
export const meetingInvitations = sqliteTable(
  "meeting_invitations",
  {
    meetingId: integer("meeting_id").notNull(),
    occurrence: text("occurrence").notNull(),
    memberId: integer("member_id").notNull().references(() => members.id),
    groupId: integer("group_id").notNull(),
    /** The occurrence's start, for figures over a period. */
    occurrenceAt: integer("occurrence_at").notNull(),
    invitedBy: integer("invited_by").notNull(),
    invitedAt: integer("invited_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.occurrence, t.memberId] }), index("meeting_invitations_member").on(t.memberId)],
);

/**
 * Someone new to the federation, from the moment the bot first welcomed them
 * (the tour began, or a group welcomed them and they were in no other group
 * and had done nothing yet). The figures in `progress` count these rows.
 */
export const newcomers = sqliteTable(
  "newcomers",
  {
    memberId: integer("member_id").primaryKey().references(() => members.id),
    welcomedAt: integer("welcomed_at").notNull(),
    /** 'tour' | 'group' */
    via: text("via").notNull(),
  },
  (t) => [index("newcomers_welcomed").on(t.welcomedAt)],
);

/** Where a member is in the onboarding tour. One row per member; no free text (answers go to their profile). */
export const onboarding = sqliteTable("onboarding", {
  memberId: integer("member_id").primaryKey().references(() => members.id),
  /** 'active' | 'done' | 'stopped' (they skipped the tour) */
  state: text("state").notNull(),
  /** The question being asked (0-based); the number of questions once they are all behind. */
  step: integer("step").notNull().default(0),
  /** Counts prompts: a follow-up planned after prompt n acts only if nothing happened since. */
  prompts: integer("prompts").notNull().default(0),
  startedAt: integer("started_at").notNull(),
  /** When the current question was last put to them: a typed answer counts for a while after it. */
  promptedAt: integer("prompted_at").notNull(),
  finishedAt: integer("finished_at"),
  /** The one gentle follow-up was sent (never a second). */
  followedUpAt: integer("followed_up_at"),
});
