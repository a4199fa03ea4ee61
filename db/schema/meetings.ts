// Meetings: a series (or one-off) stored as an RFC 5545 rule in the group's
// IANA zone, per-occurrence exceptions, RSVPs, attendance, notes, pending
// confirmations and members' calendar feeds. An occurrence is named by its
// nominal local start ("2026-08-24T11:00", the DTSTART/EXDATE form).
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { members } from "./core.ts";
import { groups } from "./groups.ts";

export const meetings = sqliteTable(
  "meetings",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    groupId: integer("group_id").notNull().references(() => groups.id),
    title: text("title").notNull(),
    /** 'meeting' | 'webinar' | 'workshop' */
    kind: text("kind").notNull().default("meeting"),
    /** Local wall-clock DTSTART in `zone`, e.g. "2026-08-24T11:00". */
    start: text("start").notNull(),
    /** IANA zone the wall-clock times are in; never a fixed offset. */
    zone: text("zone").notNull(),
    /** RRULE value without "RRULE:"; null for a one-off. */
    rrule: text("rrule"),
    durationMinutes: integer("duration_minutes").notNull(),
    location: text("location"),
    /** Reminder offsets before the start, in minutes, comma-separated ("1440,60"; "" = none). */
    remindMinutes: text("remind_minutes").notNull(),
    /** 'active' | 'cancelled' */
    state: text("state").notNull().default("active"),
    /** Bumped by every change; part of every job key so changed plans never collide with old ones (and the ICS SEQUENCE). */
    revision: integer("revision").notNull().default(0),
    /**
     * The planning cursor: the next occurrence whose reminders are not
     * scheduled yet, and when its plan job is due. Advanced one occurrence
     * at a time; null once the series has ended.
     */
    nextOccurrence: text("next_occurrence"),
    nextPlanAt: integer("next_plan_at"),
    createdBy: integer("created_by").notNull(),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
    cancelledAt: integer("cancelled_at"),
  },
  (t) => [index("meetings_group").on(t.groupId, t.state)],
);

/** One occurrence skipped or moved. */
export const meetingExceptions = sqliteTable(
  "meeting_exceptions",
  {
    meetingId: integer("meeting_id").notNull().references(() => meetings.id),
    occurrence: text("occurrence").notNull(),
    /** 'skip' | 'move' */
    kind: text("kind").notNull(),
    /** For a move: the new local start in the meeting's zone. */
    movedTo: text("moved_to"),
    /** For a move: the new start as an instant (so lookups need no expansion). */
    movedAt: integer("moved_at"),
    by: integer("by").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.occurrence] })],
);

/** One answer per member per occurrence: a second answer replaces the first. */
export const meetingRsvps = sqliteTable(
  "meeting_rsvps",
  {
    meetingId: integer("meeting_id").notNull().references(() => meetings.id),
    occurrence: text("occurrence").notNull(),
    memberId: integer("member_id").notNull().references(() => members.id),
    /** 'yes' | 'no' | 'maybe' */
    answer: text("answer").notNull(),
    answeredAt: integer("answered_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.occurrence, t.memberId] })],
);

/** Who came, recorded by a driver. Unique per member per occurrence. */
export const meetingAttendance = sqliteTable(
  "meeting_attendance",
  {
    meetingId: integer("meeting_id").notNull().references(() => meetings.id),
    occurrence: text("occurrence").notNull(),
    memberId: integer("member_id").notNull().references(() => members.id),
    groupId: integer("group_id").notNull(),
    /** The occurrence's actual start, for figures over a period. */
    occurrenceAt: integer("occurrence_at").notNull(),
    recordedBy: integer("recorded_by").notNull(),
    recordedAt: integer("recorded_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.meetingId, t.occurrence, t.memberId] }), index("meeting_attendance_when").on(t.occurrenceAt)],
);

/** MeetBot-style `#action`, `#info`, `#agreed` lines said during an occurrence. */
export const meetingNotes = sqliteTable(
  "meeting_notes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    meetingId: integer("meeting_id").notNull().references(() => meetings.id),
    occurrence: text("occurrence").notNull(),
    /** 'action' | 'info' | 'agreed' */
    kind: text("kind").notNull(),
    text: text("text").notNull(),
    ownerId: integer("owner_id"),
    authorId: integer("author_id").notNull(),
    /** For actions: 'open' | 'done' */
    state: text("state").notNull().default("open"),
    createdAt: integer("created_at").notNull(),
    doneAt: integer("done_at"),
  },
  (t) => [index("meeting_notes_occurrence").on(t.meetingId, t.occurrence), index("meeting_notes_owner").on(t.meetingId, t.kind, t.state)],
);

/**
 * A recurring schedule waiting for its driver's confirmation. Kept in the
 * database (not memory) so a restart between "here are the next dates" and
 * "confirm" loses nothing; it expires on its own.
 */
export const meetingDrafts = sqliteTable(
  "meeting_drafts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    memberId: integer("member_id").notNull().references(() => members.id),
    /** 'schedule' (a new meeting) | 'edit' (a new schedule for meetingId) */
    action: text("action").notNull(),
    meetingId: integer("meeting_id"),
    /** JSON of what confirming will write. */
    payload: text("payload").notNull(),
    /** 'pending' | 'confirmed' | 'discarded' | 'superseded' | 'expired' */
    state: text("state").notNull().default("pending"),
    expiresAt: integer("expires_at").notNull(),
    createdAt: integer("created_at").notNull(),
    decidedAt: integer("decided_at"),
  },
  (t) => [index("meeting_drafts_member").on(t.memberId, t.state)],
);

/**
 * A member's own calendar feed of one group: the link works only while they
 * may see the group's meeting details (checked on every request), and they
 * can reset it. Only a SHA-256 of the token is kept, so a copy of the
 * database doesn't give anyone the feeds.
 */
export const calendarFeeds = sqliteTable(
  "calendar_feeds",
  {
    memberId: integer("member_id").notNull().references(() => members.id),
    groupId: integer("group_id").notNull().references(() => groups.id),
    tokenHash: text("token_hash").notNull(),
    /**
     * Random, and no secret on its own: the token is an HMAC of it under a
     * key kept outside the database (commands/meetings/feed-token.ts), so
     * the bot can show a member their link again while the database alone
     * can't make it. A reset draws a new one.
     */
    nonce: text("nonce").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.memberId, t.groupId] }), uniqueIndex("calendar_feeds_token").on(t.tokenHash)],
);
