// Actions & recognition: the catalogue of defined jobs people can do for the
// federation, the actions they log (with the trail of every decision on
// them), and thanks between members.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, real, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { members } from "./core.ts";
import { groups } from "./groups.ts";

/** A defined job (the strategy's "journeys": Motivate, Educate, Organise). */
export const actionJobs = sqliteTable(
  "action_jobs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    /** 'motivate' | 'educate' | 'organise' */
    journey: text("journey").notNull(),
    /** Suggested effort, in words: "30 minutes", "half a day". */
    effort: text("effort").notNull().default(""),
    /** Points one verified action of this job is worth (before diminishing returns). */
    weight: real("weight").notNull().default(1),
    description: text("description").notNull().default(""),
    /** Slugs of the groups this job helps, comma-separated (`comms,digital`): offered to newcomers of those groups. */
    groups: text("groups").notNull().default(""),
    /** 'active' | 'retired' (retired jobs keep their history but can't be logged). */
    status: text("status").notNull().default("active"),
    /** 'config' when seeded from the config file, 'chat' when added in chat. */
    origin: text("origin").notNull(),
    /** Set by any chat edit: from then on the config seed leaves this job alone. */
    editedInChatAt: integer("edited_in_chat_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("action_jobs_slug").on(t.slug)],
);

/**
 * One thing a member did for the federation. `state` is the current state
 * (decisions are conditional UPDATEs on it); `action_trail` keeps how it got
 * there. Nothing is deleted.
 */
export const actions = sqliteTable(
  "actions",
  {
    id: integer("id").primaryKey(),
    /** Who did the work (and gets the recognition). */
    memberId: integer("member_id").notNull().references(() => members.id),
    /** Who recorded it: the member themselves, or a nominator (`log @bea ...`). */
    loggedBy: integer("logged_by").notNull().references(() => members.id),
    /** The catalogue job, or null for free text. */
    jobId: integer("job_id").references(() => actionJobs.id),
    /** Free text, or the note added to a job. */
    note: text("note").notNull().default(""),
    groupId: integer("group_id").references(() => groups.id),
    hours: real("hours"),
    evidence: text("evidence"),
    /** When the work was done (reports count an action in the period it was done). */
    doneAt: integer("done_at").notNull(),
    /** 'pending' | 'verified' | 'rejected' | 'undone' | 'voided' */
    state: text("state").notNull().default("pending"),
    /** For automatic actions: what caused it (`meeting:5:2026-08-17T11:00`, `clinic:C-12`). */
    source: text("source"),
    createdAt: integer("created_at").notNull(),
    decidedAt: integer("decided_at"),
    decidedBy: integer("decided_by"),
    /** Why it was rejected or voided. */
    reason: text("reason"),
    /** When the deciders were reminded it was still waiting (the weekly nudge sweep does it once). */
    nudgedAt: integer("nudged_at"),
  },
  (t) => [
    // The same attendance or clinic handoff recorded twice is one action.
    // Partial: only automatic actions have a source, so a logged one writes no entry here.
    uniqueIndex("actions_source").on(t.source, t.memberId, t.jobId).where(sql`source is not null`),
    index("actions_state").on(t.state, t.groupId),
    index("actions_member").on(t.memberId, t.doneAt),
    // `log`'s limit on pending actions a member logged in a day: read on every
    // `log`, so an index range of that member's pending rows, not a scan of all.
    index("actions_pending_by").on(t.loggedBy, t.createdAt).where(sql`state = 'pending'`),
  ],
);

/** Every state an action passed through, by whom, when and why. */
export const actionTrail = sqliteTable(
  "action_trail",
  {
    id: integer("id").primaryKey(),
    actionId: integer("action_id").notNull().references(() => actions.id),
    /** 'logged' | 'recorded' | 'verified' | 'rejected' | 'asked' | 'undone' | 'voided' */
    what: text("what").notNull(),
    by: integer("by"),
    at: integer("at").notNull(),
    note: text("note"),
  },
  (t) => [index("action_trail_action").on(t.actionId)],
);

/** One thanks (kudos), however many people it names. */
export const thanks = sqliteTable(
  "thanks",
  {
    id: integer("id").primaryKey(),
    giverId: integer("giver_id").notNull().references(() => members.id),
    reason: text("reason").notNull(),
    /** The optional `#value` hashtag, lower-case, without `#`: `solidarity`. */
    value: text("value"),
    public: integer("public", { mode: "boolean" }).notNull().default(false),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("thanks_giver").on(t.giverId, t.createdAt)],
);

/**
 * One row per person a thanks names. `weight` is fixed when given: the n-th
 * thanks from the same giver to the same recipient in a calendar month
 * counts 1/n.
 */
export const thanksRecipients = sqliteTable(
  "thanks_recipients",
  {
    thanksId: integer("thanks_id").notNull().references(() => thanks.id),
    recipientId: integer("recipient_id").notNull().references(() => members.id),
    weight: real("weight").notNull(),
    /** Which thanks this is from the same giver to the same recipient this month (1, 2, ...). */
    nth: integer("nth").notNull(),
  },
  (t) => [primaryKey({ columns: [t.thanksId, t.recipientId] }), index("thanks_recipients_recipient").on(t.recipientId)],
);
