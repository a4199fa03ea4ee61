// One-time codes that link a member's accounts on two platforms.
import { index, integer, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { members } from "./core.ts";

export const linkCodes = sqliteTable(
  "link_codes",
  {
    id: integer("id").primaryKey(),
    memberId: integer("member_id").notNull().references(() => members.id),
    /** The platform the code must be typed on. */
    toPlatform: text("to_platform").notNull(),
    /** sha256 of the code: a leaked database doesn't leak live codes. */
    codeHash: text("code_hash").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    /** When the code was typed on the other platform (it can't be typed again). */
    usedAt: integer("used_at"),
    /** Who typed it: linking waits until both sides, shown what it merges, accept. */
    confirmerMemberId: integer("confirmer_member_id"),
    confirmerPlatform: text("confirmer_platform"),
    confirmerPlatformId: text("confirmer_platform_id"),
    issuerAcceptedAt: integer("issuer_accepted_at"),
    confirmerAcceptedAt: integer("confirmer_accepted_at"),
    /** 'linked' once both accepted; 'cancelled' when it ends without. */
    outcome: text("outcome"),
    /** Accept/cancel tries on this code by accounts that aren't its two: a few, and it is called off. */
    strangerTries: integer("stranger_tries").notNull().default(0),
  },
  (t) => [index("link_codes_hash").on(t.codeHash), index("link_codes_member").on(t.memberId, t.createdAt)],
);

/** Wrong codes typed, per platform identity, for rate limiting guesses. */
export const linkFailures = sqliteTable(
  "link_failures",
  {
    id: integer("id").primaryKey(),
    platform: text("platform").notNull(),
    platformId: text("platform_id").notNull(),
    at: integer("at").notNull(),
  },
  (t) => [index("link_failures_who").on(t.platform, t.platformId, t.at)],
);
