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
    usedAt: integer("used_at"),
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
