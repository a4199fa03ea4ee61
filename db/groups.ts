// Queries for groups, memberships, join requests and linked rooms.
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { memo } from "./memo.ts";
import { perDb } from "./prepared.ts";
import { members, roleGrants } from "./schema/core.ts";
import { groupMembers, groupRooms, groups, joinRequests, memberProfiles } from "./schema/groups.ts";

export type Group = typeof groups.$inferSelect;
export type NewGroup = typeof groups.$inferInsert;
export type JoinRequest = typeof joinRequests.$inferSelect;
export type GroupRoom = typeof groupRooms.$inferSelect;

export const driverScope = (groupId: number) => `group:${groupId}`;

// Prepared: every group-scoped command resolves its group and drivers.
const hot = perDb((db) => ({
  bySlug: db.select().from(groups).where(eq(groups.slug, sql.placeholder("slug"))).prepare(),
  byId: db.select().from(groups).where(eq(groups.id, sql.placeholder("id"))).prepare(),
  all: db.select().from(groups).orderBy(asc(groups.kind), asc(groups.name)).prepare(),
  memberCount: db.select({ n: sql<number>`count(*)` }).from(groupMembers).where(eq(groupMembers.groupId, sql.placeholder("groupId"))).prepare(),
  drivers: db
    .select({ memberId: roleGrants.memberId, displayName: members.displayName })
    .from(roleGrants)
    .innerJoin(members, eq(members.id, roleGrants.memberId))
    .where(and(eq(roleGrants.role, "driver"), eq(roleGrants.scope, sql.placeholder("scope"))))
    .orderBy(asc(members.displayName))
    .prepare(),
}));

export const findGroupBySlug: (db: Db, slug: string) => Group | undefined = memo(["groups"], (slug) => slug.toLowerCase(), (db, slug: string) =>
  hot(db).bySlug.get({ slug: slug.toLowerCase() }),
);

export function findGroupByName(db: Db, name: string): Group | undefined {
  return db.select().from(groups).where(sql`lower(${groups.name}) = ${name.toLowerCase()}`).get();
}

export const getGroup: (db: Db, id: number) => Group | undefined = memo(["groups"], (id) => id, (db, id: number) => hot(db).byId.get({ id }));

const allGroups = memo(["groups"], () => 0, (db) => hot(db).all.all());

/** Every group (the directory, every resolver): cached until a group changes. */
export function listGroups(db: Db, opts: { includeArchived?: boolean } = {}): readonly Group[] {
  const rows = allGroups(db);
  return opts.includeArchived ? rows : rows.filter((g) => g.status !== "archived");
}

export function insertGroup(db: Db, group: NewGroup): Group {
  return db.insert(groups).values(group).returning().get();
}

export function updateGroup(db: Db, id: number, values: Partial<NewGroup>): void {
  db.update(groups).set(values).where(eq(groups.id, id)).run();
}

export function isMember(db: Db, groupId: number, memberId: number): boolean {
  return db.select({ one: sql`1` }).from(groupMembers).where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.memberId, memberId))).get() !== undefined;
}

/** False if they were already a member. */
export function addMember(db: Db, groupId: number, memberId: number, now: number, addedBy: number | null): boolean {
  return db.insert(groupMembers).values({ groupId, memberId, joinedAt: now, addedBy }).onConflictDoNothing().run().changes > 0;
}

export function removeMember(db: Db, groupId: number, memberId: number): boolean {
  return db.delete(groupMembers).where(and(eq(groupMembers.groupId, groupId), eq(groupMembers.memberId, memberId))).run().changes > 0;
}

export function membersOf(db: Db, groupId: number): { memberId: number; displayName: string; joinedAt: number }[] {
  return db
    .select({ memberId: groupMembers.memberId, displayName: members.displayName, joinedAt: groupMembers.joinedAt })
    .from(groupMembers)
    .innerJoin(members, eq(members.id, groupMembers.memberId))
    .where(eq(groupMembers.groupId, groupId))
    .orderBy(asc(members.displayName))
    .all();
}

/**
 * People in peer networks: those who joined one in the range and are still
 * in it (leaving deletes the membership, so "since the start" is everyone
 * in a network now). Archived networks don't count.
 */
export function networkMemberCount(db: Db, range: { from?: number; to: number }): number {
  const row = db
    .select({ n: sql<number>`count(distinct ${groupMembers.memberId})` })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(and(eq(groups.kind, "network"), eq(groups.status, "active"), range.from === undefined ? undefined : sql`${groupMembers.joinedAt} >= ${range.from}`, sql`${groupMembers.joinedAt} < ${range.to}`))
    .get();
  return row?.n ?? 0;
}

export const memberCount: (db: Db, groupId: number) => number = memo(["group_members"], (groupId) => groupId, (db, groupId: number) => hot(db).memberCount.get({ groupId })!.n);

export function groupsOf(db: Db, memberId: number): Group[] {
  return db
    .select({ g: groups })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(eq(groupMembers.memberId, memberId))
    .orderBy(asc(groups.name))
    .all()
    .map((r) => r.g);
}

export const driversOf: (db: Db, groupId: number) => readonly { memberId: number; displayName: string }[] = memo(["role_grants", "members"], (groupId) => groupId, (db, groupId: number) =>
  hot(db).drivers.all({ scope: driverScope(groupId) }),
);

export function insertJoinRequest(db: Db, row: { groupId: number; memberId: number; note: string | null; now: number }): JoinRequest {
  return db.insert(joinRequests).values({ groupId: row.groupId, memberId: row.memberId, note: row.note, createdAt: row.now }).returning().get();
}

export function getJoinRequest(db: Db, id: number): JoinRequest | undefined {
  return db.select().from(joinRequests).where(eq(joinRequests.id, id)).get();
}

export function pendingRequestFor(db: Db, groupId: number, memberId: number): JoinRequest | undefined {
  return db
    .select()
    .from(joinRequests)
    .where(and(eq(joinRequests.groupId, groupId), eq(joinRequests.memberId, memberId), eq(joinRequests.state, "pending")))
    .get();
}

export function pendingRequests(db: Db, groupId?: number): JoinRequest[] {
  const where = groupId === undefined ? eq(joinRequests.state, "pending") : and(eq(joinRequests.state, "pending"), eq(joinRequests.groupId, groupId));
  return db.select().from(joinRequests).where(where).orderBy(asc(joinRequests.createdAt)).all();
}

/**
 * Decides a pending request. The state check is in the UPDATE itself, so of
 * two drivers clicking at once exactly one decides; false for the other.
 */
export function decideJoinRequest(db: Db, id: number, decision: { state: "approved" | "declined" | "withdrawn"; by: number; reason: string | null; now: number }): boolean {
  return (
    db
      .update(joinRequests)
      .set({ state: decision.state, decidedBy: decision.by, decidedAt: decision.now, reason: decision.reason })
      .where(and(eq(joinRequests.id, id), eq(joinRequests.state, "pending")))
      .run().changes > 0
  );
}

export const roomsOf: (db: Db, groupId: number) => readonly GroupRoom[] = memo(["group_rooms"], (groupId) => groupId, (db, groupId: number) =>
  db.select().from(groupRooms).where(eq(groupRooms.groupId, groupId)).orderBy(asc(groupRooms.platform)).all(),
);

/** The group whose linked room this is: asked by every command typed in a room. */
export const groupForRoom: (db: Db, platform: string, roomId: string) => Group | undefined = memo(
  ["groups", "group_rooms"],
  (platform, roomId) => `${platform}\u0000${roomId}`,
  (db, platform: string, roomId: string) =>
    db
      .select({ g: groups })
      .from(groupRooms)
      .innerJoin(groups, eq(groups.id, groupRooms.groupId))
      .where(and(eq(groupRooms.platform, platform), eq(groupRooms.roomId, roomId)))
      .get()?.g,
);

/** Links a room, replacing the group's previous room on that platform. */
export function linkRoom(db: Db, row: { groupId: number; platform: string; roomId: string; roomName: string | null; by: number | null; now: number }): void {
  db.delete(groupRooms).where(and(eq(groupRooms.groupId, row.groupId), eq(groupRooms.platform, row.platform))).run();
  db.insert(groupRooms).values({ groupId: row.groupId, platform: row.platform, roomId: row.roomId, roomName: row.roomName, linkedBy: row.by, linkedAt: row.now }).run();
}

export function unlinkRoom(db: Db, groupId: number, platform: string): boolean {
  return db.delete(groupRooms).where(and(eq(groupRooms.groupId, groupId), eq(groupRooms.platform, platform))).run().changes > 0;
}

/** Every join request a member made, oldest first. */
export function joinRequestsOf(db: Db, memberId: number): JoinRequest[] {
  return db.select().from(joinRequests).where(eq(joinRequests.memberId, memberId)).orderBy(asc(joinRequests.id)).all();
}

/** Memberships with when they began (`export me`). */
export function membershipsOf(db: Db, memberId: number): { slug: string; name: string; joinedAt: number }[] {
  return db
    .select({ slug: groups.slug, name: groups.name, joinedAt: groupMembers.joinedAt })
    .from(groupMembers)
    .innerJoin(groups, eq(groups.id, groupMembers.groupId))
    .where(eq(groupMembers.memberId, memberId))
    .orderBy(asc(groups.slug))
    .all();
}

/**
 * `forget me`, for the groups' tables: pending requests are withdrawn, the
 * words on every request (theirs, and a driver's reason about them) go, and
 * their memberships and profile are deleted. The requests themselves stay
 * (that a request was made and decided is the group's record).
 */
export function forgetGroupMember(db: Db, memberId: number, now: number): void {
  db.update(joinRequests).set({ state: "withdrawn", decidedAt: now, decidedBy: memberId }).where(and(eq(joinRequests.memberId, memberId), eq(joinRequests.state, "pending"))).run();
  db.update(joinRequests).set({ note: null, reason: null }).where(eq(joinRequests.memberId, memberId)).run();
  db.delete(groupMembers).where(eq(groupMembers.memberId, memberId)).run();
  db.delete(memberProfiles).where(eq(memberProfiles.memberId, memberId)).run();
}
