// Core tables: members and their platform identities, roles, the inbound
// event ledger (dedupe), the outbox and the scheduler's jobs. Times are epoch
// milliseconds from the injected clock.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const members = sqliteTable("members", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  displayName: text("display_name").notNull(),
  /** Where private messages go when the triggering platform is unknown. */
  preferredPlatform: text("preferred_platform"),
  /** IANA zone the member reads times in; null = the group's or config's. */
  timezone: text("timezone"),
  createdAt: integer("created_at").notNull(),
  /** Set when this member's accounts were linked into another member (`link confirm`). */
  mergedInto: integer("merged_into"),
  /** Set by `forget me`: the name, identities and free text are gone; anonymous counts stay. */
  forgottenAt: integer("forgotten_at"),
});

/** A member's account on one platform. (platform, platform_id) is the key people are known by. */
export const identities = sqliteTable(
  "identities",
  {
    platform: text("platform").notNull(),
    platformId: text("platform_id").notNull(),
    memberId: integer("member_id").notNull().references(() => members.id),
    displayName: text("display_name").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.platformId] }), index("identities_member").on(t.memberId)],
);

/** Deny by default: a member has a role only while a row here says so. scope '' = global. */
export const roleGrants = sqliteTable(
  "role_grants",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    memberId: integer("member_id").notNull().references(() => members.id),
    role: text("role").notNull(),
    scope: text("scope").notNull().default(""),
    /** 'chat' (granted by a command) or 'config' (bootstrap admins). */
    source: text("source").notNull().default("chat"),
    grantedBy: integer("granted_by"),
    grantedAt: integer("granted_at").notNull(),
  },
  (t) => [uniqueIndex("role_grants_unique").on(t.memberId, t.role, t.scope), index("role_grants_role").on(t.role, t.scope)],
);

/**
 * Facts about this database file. `instance` is a random id made when the
 * file is created: outbound messages carry it (Slack metadata, Matrix
 * transaction ids), so after a crash the bot recognises its own posts, and a
 * restored or fresh database never mistakes another's messages for its own.
 */
export const meta = sqliteTable("meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

/**
 * Raw platform payloads, written (in batches: group commit) before the
 * platform is told they were received, e.g. before Slack's ack. The core
 * runs each from here and deletes it in the same transaction as its effects;
 * a restart runs whatever is left, and the inbound ledger below makes a
 * second run of the same event a no-op.
 */
export const inbox = sqliteTable(
  "inbox",
  {
    id: integer("id").primaryKey(),
    platform: text("platform").notNull(),
    eventId: text("event_id").notNull(),
    receivedAt: integer("received_at").notNull(),
    /** The payload as the platform sent it (JSON). Deleted once handled. */
    payload: text("payload").notNull(),
    /** Starts that found this row still here: a payload that keeps failing is given up after a few. */
    attempts: integer("attempts").notNull().default(0),
  },
  (t) => [uniqueIndex("inbox_event").on(t.platform, t.eventId)],
);

/** Every platform event we acted on, so a redelivery is recognised and ignored. */
export const inboundEvents = sqliteTable(
  "inbound_events",
  {
    platform: text("platform").notNull(),
    eventId: text("event_id").notNull(),
    receivedAt: integer("received_at").notNull(),
    memberId: integer("member_id"),
    command: text("command"),
    outcome: text("outcome").notNull(),
  },
  (t) => [primaryKey({ columns: [t.platform, t.eventId] })],
);

/**
 * Messages a handler wants sent, committed with the handler's writes. The
 * dispatcher sends them in id order per channel and marks them sent.
 */
export const outbox = sqliteTable(
  "outbox",
  {
    // Plain rowid (no AUTOINCREMENT): rows are never deleted, so ids only grow,
    // and each insert writes one page fewer.
    id: integer("id").primaryKey(),
    /** 'post' a new message, or 'update' (edit) the message posted by row `updatesId`. */
    kind: text("kind").notNull().default("post"),
    platform: text("platform").notNull(),
    /** Ordering key: messages with the same channel go out in id order. */
    channel: text("channel").notNull(),
    /** JSON of a Target (events.ts). */
    target: text("target").notNull(),
    /** JSON of an OutboundMessage. */
    message: text("message").notNull(),
    msgKey: text("msg_key"),
    updatesId: integer("updates_id"),
    state: text("state").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    /** A dispatcher holds the row until then; rows are born held by the process that wrote them. */
    leaseUntil: integer("lease_until"),
    leaseOwner: text("lease_owner"),
    createdAt: integer("created_at").notNull(),
    sentAt: integer("sent_at"),
    platformRef: text("platform_ref"),
    lastError: text("last_error"),
    source: text("source"),
  },
  (t) => [
    // Partial indexes: only the rows that need finding are indexed, so an
    // insert and a "sent" update each touch as few pages as possible. The
    // due-message scan uses the channel index too: the pending set is small.
    index("outbox_channel_pending").on(t.channel, t.id).where(sql`state = 'pending'`),
    index("outbox_key").on(t.msgKey).where(sql`msg_key is not null`),
    index("outbox_ref").on(t.platform, t.platformRef).where(sql`platform_ref is not null`),
  ],
);

/** Scheduled work. `key` is unique so scheduling the same thing twice is a no-op. */
export const jobs = sqliteTable(
  "jobs",
  {
    id: integer("id").primaryKey(),
    kind: text("kind").notNull(),
    key: text("key").notNull(),
    dueAt: integer("due_at").notNull(),
    payload: text("payload").notNull().default("{}"),
    state: text("state").notNull().default("pending"),
    attempts: integer("attempts").notNull().default(0),
    leaseUntil: integer("lease_until"),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    finishedAt: integer("finished_at"),
    note: text("note"),
  },
  (t) => [uniqueIndex("jobs_key").on(t.key), index("jobs_due").on(t.dueAt).where(sql`state = 'pending'`)],
);

/**
 * The rest of a long answer, waiting for `more`: one per member (a new long
 * answer replaces it). Short-lived; pruned with the other delivered rows.
 */
export const replyPages = sqliteTable("reply_pages", {
  memberId: integer("member_id").primaryKey(),
  /** JSON of the Target the first page went to. */
  target: text("target").notNull(),
  /** JSON array of the pages still to show, in order. */
  pages: text("pages").notNull(),
  createdAt: integer("created_at").notNull(),
});
