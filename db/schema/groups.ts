// Working groups and peer networks, their members, join requests, the
// rooms they are linked to, and member profiles (skills, place, industry).
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";
import { members } from "./core.ts";

export const groups = sqliteTable(
  "groups",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    /** 'working' (a working group) or 'network' (a peer network). */
    kind: text("kind").notNull(),
    purpose: text("purpose").notNull().default(""),
    /** 'open' | 'approval' | 'closed' */
    policy: text("policy").notNull(),
    closedReason: text("closed_reason"),
    /** Comma-separated, lower-case: `glasgow,scotland`. */
    tags: text("tags").notNull().default(""),
    /** Free text until meetings say better: "fortnightly on Monday at 11:00". */
    cadence: text("cadence"),
    timezone: text("timezone"),
    hideMembers: integer("hide_members", { mode: "boolean" }).notNull().default(false),
    /** 'active' | 'planned' | 'archived' */
    status: text("status").notNull().default("active"),
    /** 'config' when seeded from the config file, 'chat' when created in chat. */
    origin: text("origin").notNull(),
    /** Set by any chat edit: from then on the config seed leaves this group alone. */
    editedInChatAt: integer("edited_in_chat_at"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("groups_slug").on(t.slug)],
);

export const groupMembers = sqliteTable(
  "group_members",
  {
    groupId: integer("group_id").notNull().references(() => groups.id),
    memberId: integer("member_id").notNull().references(() => members.id),
    joinedAt: integer("joined_at").notNull(),
    /** Who added them (a driver approving, or `group add`); null when they joined an open group. */
    addedBy: integer("added_by"),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.memberId] }), index("group_members_member").on(t.memberId)],
);

export const joinRequests = sqliteTable(
  "join_requests",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    groupId: integer("group_id").notNull().references(() => groups.id),
    memberId: integer("member_id").notNull().references(() => members.id),
    note: text("note"),
    /** 'pending' | 'approved' | 'declined' | 'withdrawn' */
    state: text("state").notNull().default("pending"),
    createdAt: integer("created_at").notNull(),
    decidedAt: integer("decided_at"),
    decidedBy: integer("decided_by"),
    reason: text("reason"),
  },
  (t) => [index("join_requests_group_state").on(t.groupId, t.state), index("join_requests_member").on(t.memberId, t.state)],
);

/** The rooms a group's announcements and reminders go to: at most one per platform. */
export const groupRooms = sqliteTable(
  "group_rooms",
  {
    groupId: integer("group_id").notNull().references(() => groups.id),
    platform: text("platform").notNull(),
    roomId: text("room_id").notNull(),
    roomName: text("room_name"),
    linkedBy: integer("linked_by"),
    linkedAt: integer("linked_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.groupId, t.platform] }), uniqueIndex("group_rooms_room").on(t.platform, t.roomId)],
);

export const memberProfiles = sqliteTable("member_profiles", {
  memberId: integer("member_id").primaryKey().references(() => members.id),
  skills: text("skills"),
  location: text("location"),
  industry: text("industry"),
  interests: text("interests"),
  /** Suggest peer networks after a profile change (on unless the member says off). */
  suggestNetworks: integer("suggest_networks", { mode: "boolean" }).notNull().default(true),
  updatedAt: integer("updated_at").notNull(),
});
