// The Co-op Clinic: enquiries from members and the website, triagers'
// notes, the adviser directory, handoffs to advisers and the transactions
// (accepted handoffs) the federation counts. Personal text (the enquiry,
// contact details, notes, outcomes) lives only in nullable columns that
// `clinic erase` clears; counts and dates stay.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { members } from "./core.ts";

export const clinicEnquiries = sqliteTable(
  "clinic_enquiries",
  {
    /** The reference people see is derived from it: 42 → CL-0042. */
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** 'chat' | 'website' */
    source: text("source").notNull(),
    /** The member who asked in chat; null for website enquiries. */
    askerId: integer("asker_id").references(() => members.id),
    /** The platform they asked on: replies go back there. */
    askerPlatform: text("asker_platform"),
    contactName: text("contact_name"),
    contactEmail: text("contact_email"),
    contactCoop: text("contact_coop"),
    /** The question itself; null once erased. */
    text: text("text"),
    categoryHint: text("category_hint"),
    category: text("category"),
    /** 'low' | 'normal' | 'high' */
    urgency: text("urgency"),
    region: text("region"),
    /** When the enquirer agreed to share it with an adviser, and how. */
    consentAt: integer("consent_at"),
    consentHow: text("consent_how"),
    /** When the enquirer last took their consent back (`consent withdraw`, or the reply page); consent may be given again after. */
    consentWithdrawnAt: integer("consent_withdrawn_at"),
    /** 'open' (unclaimed) | 'claimed' | 'with-adviser' | 'resolved' */
    state: text("state").notNull().default("open"),
    claimedBy: integer("claimed_by").references(() => members.id),
    claimedAt: integer("claimed_at"),
    /** The first claim ever, for the median time to claim (a release doesn't reset it). */
    firstClaimedAt: integer("first_claimed_at"),
    /** Bumped by each release: names the current triage card and its escalation jobs. */
    round: integer("round").notNull().default(0),
    adviserId: integer("adviser_id").references(() => members.id),
    outcome: text("outcome"),
    resolvedAt: integer("resolved_at"),
    resolvedBy: integer("resolved_by"),
    erasedAt: integer("erased_at"),
    /** Website intake: the same request sent twice creates one enquiry. */
    idempotencyKey: text("idempotency_key"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    uniqueIndex("clinic_enquiries_idempotency").on(t.idempotencyKey),
    index("clinic_enquiries_state").on(t.state, t.createdAt),
    index("clinic_enquiries_asker").on(t.askerId),
    index("clinic_enquiries_created").on(t.createdAt),
  ],
);

export const clinicNotes = sqliteTable(
  "clinic_notes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    enquiryId: integer("enquiry_id").notNull().references(() => clinicEnquiries.id),
    authorId: integer("author_id").notNull().references(() => members.id),
    /** 'note' (internal) | 'reply' (sent to the enquirer) | 'contact' (the author must email a website enquirer) */
    kind: text("kind").notNull(),
    /** Null once the enquiry is erased. */
    text: text("text"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("clinic_notes_enquiry").on(t.enquiryId)],
);

/**
 * The conversation between the enquirer and the clinic: every message
 * relayed either way (chat, email, the reply page), who wrote it and when.
 * Internal notes are not here (`clinic_notes`); nothing here is internal.
 */
export const clinicMessages = sqliteTable(
  "clinic_messages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    enquiryId: integer("enquiry_id").notNull().references(() => clinicEnquiries.id),
    /** 'in': the enquirer wrote to the clinic; 'out': the clinic (triager or adviser) wrote to the enquirer. */
    direction: text("direction").notNull(),
    /** The member who wrote it: the triager or adviser ('out'), the asker ('in' from chat); null for a website enquirer, and for 'in' once erased. */
    authorId: integer("author_id").references(() => members.id),
    /** How it travelled: 'chat' | 'email' (to a website enquirer) | 'page' (the reply page). */
    via: text("via").notNull(),
    /** Null once the enquiry is erased. */
    text: text("text"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [index("clinic_messages_enquiry").on(t.enquiryId, t.createdAt)],
);

export const clinicAdvisers = sqliteTable("clinic_advisers", {
  memberId: integer("member_id").primaryKey().references(() => members.id),
  /** Comma-separated, lower-case categories: `finance,legal`. */
  specialisms: text("specialisms").notNull(),
  /** Lower-case; null = anywhere. */
  region: text("region"),
  /** How many open handoffs (offered or accepted) they take at once. */
  capacity: integer("capacity").notNull(),
  /** Not suggested before this time. */
  awayUntil: integer("away_until"),
  addedBy: integer("added_by"),
  addedAt: integer("added_at").notNull(),
  retiredAt: integer("retired_at"),
});

export const clinicHandoffs = sqliteTable(
  "clinic_handoffs",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    enquiryId: integer("enquiry_id").notNull().references(() => clinicEnquiries.id),
    adviserId: integer("adviser_id").notNull().references(() => members.id),
    offeredBy: integer("offered_by").notNull().references(() => members.id),
    note: text("note"),
    /** 'offered' | 'accepted' | 'declined' | 'withdrawn' | 'resolved' */
    state: text("state").notNull().default("offered"),
    offeredAt: integer("offered_at").notNull(),
    decidedAt: integer("decided_at"),
    declineReason: text("decline_reason"),
    resolvedAt: integer("resolved_at"),
    /** The adviser's last note, reply or decision: the 7-day check-in counts from here. */
    lastActivityAt: integer("last_activity_at").notNull(),
  },
  (t) => [
    index("clinic_handoffs_adviser").on(t.adviserId, t.state),
    // At most one live handoff per enquiry, whatever two triagers do at once.
    uniqueIndex("clinic_handoffs_live").on(t.enquiryId).where(sql`state in ('offered', 'accepted')`),
  ],
);

/** An accepted handoff: a piece of help between a member (or website enquirer) and the network. */
export const clinicTransactions = sqliteTable(
  "clinic_transactions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    handoffId: integer("handoff_id").notNull().references(() => clinicHandoffs.id),
    enquiryId: integer("enquiry_id").notNull().references(() => clinicEnquiries.id),
    /** The member who asked; null for a website enquirer. */
    enquirerId: integer("enquirer_id"),
    adviserId: integer("adviser_id").notNull().references(() => members.id),
    triagerId: integer("triager_id"),
    category: text("category"),
    startedAt: integer("started_at").notNull(),
    resolvedAt: integer("resolved_at"),
  },
  (t) => [uniqueIndex("clinic_transactions_handoff").on(t.handoffId), index("clinic_transactions_started").on(t.startedAt)],
);

/**
 * Website intake deliveries (Standard Webhooks): one row per signed request
 * accepted, keyed by its `webhook-id` and `webhook-timestamp`. The id is the
 * idempotency key; the same id with another body is refused, and the same
 * (id, timestamp) again is a replayed signature. Rows go with the enquiry
 * when it is erased, and are pruned after the retention age.
 */
export const clinicIntakeDeliveries = sqliteTable(
  "clinic_intake_deliveries",
  {
    webhookId: text("webhook_id").notNull(),
    /** `webhook-timestamp`, unix seconds, as signed. */
    timestamp: integer("timestamp").notNull(),
    bodySha256: text("body_sha256").notNull(),
    enquiryId: integer("enquiry_id").references(() => clinicEnquiries.id),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.webhookId, t.timestamp] }), index("clinic_intake_deliveries_enquiry").on(t.enquiryId)],
);
