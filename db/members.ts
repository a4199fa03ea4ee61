// Members and their platform identities.
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { memo } from "./memo.ts";
import { perDb } from "./prepared.ts";
import { identities, members } from "./schema/core.ts";

export type Member = typeof members.$inferSelect;
export type Identity = typeof identities.$inferSelect;

const queries = perDb((db) => ({
  identity: db
    .select()
    .from(identities)
    .where(and(eq(identities.platform, sql.placeholder("platform")), eq(identities.platformId, sql.placeholder("platformId"))))
    .prepare(),
  member: db.select().from(members).where(eq(members.id, sql.placeholder("id"))).prepare(),
  identitiesOf: db
    .select()
    .from(identities)
    .where(eq(identities.memberId, sql.placeholder("memberId")))
    .orderBy(asc(identities.createdAt))
    .prepare(),
}));

// Read on every command (who sent it, who a message mentions): cached until a write.
export const findIdentity: (db: Db, platform: string, platformId: string) => Identity | undefined = memo(
  ["identities"],
  (platform, platformId) => `${platform}\u0000${platformId}`,
  (db, platform: string, platformId: string) => queries(db).identity.get({ platform, platformId }),
);

export const getMember: (db: Db, id: number) => Member | undefined = memo(["members"], (id) => id, (db, id: number) => queries(db).member.get({ id }));

export const identitiesOf: (db: Db, memberId: number) => readonly Identity[] = memo(["identities"], (memberId) => memberId, (db, memberId: number) =>
  queries(db).identitiesOf.all({ memberId }),
);

/**
 * The member behind a platform identity, created on first sight. A changed
 * display name is refreshed so messages use what people call themselves now.
 */
export function ensureMember(db: Db, platform: string, platformId: string, displayName: string, now: number): Member {
  const identity = findIdentity(db, platform, platformId);
  if (identity) {
    if (displayName && identity.displayName !== displayName) {
      db.update(identities)
        .set({ displayName })
        .where(and(eq(identities.platform, platform), eq(identities.platformId, platformId)))
        .run();
      db.update(members).set({ displayName }).where(eq(members.id, identity.memberId)).run();
    }
    return getMember(db, identity.memberId)!;
  }
  const name = displayName || platformId;
  const member = db.insert(members).values({ displayName: name, createdAt: now }).returning().get();
  db.insert(identities).values({ platform, platformId, memberId: member.id, displayName: name, createdAt: now }).run();
  return member;
}

/**
 * Members with an identity on `platform` whose display name (or platform id)
 * is `name`, case-insensitively. Only one platform's names: a name typed on
 * Matrix never finds someone who calls themselves that on Slack.
 */
export function findMembersByNameOn(db: Db, platform: string, name: string): Member[] {
  const lowered = name.toLowerCase();
  return db
    .selectDistinct({
      id: members.id,
      displayName: members.displayName,
      preferredPlatform: members.preferredPlatform,
      timezone: members.timezone,
      createdAt: members.createdAt,
      mergedInto: members.mergedInto,
      forgottenAt: members.forgottenAt,
    })
    .from(members)
    .innerJoin(identities, eq(identities.memberId, members.id))
    .where(
      sql`${identities.platform} = ${platform} and (lower(${identities.displayName}) = ${lowered} or lower(${identities.platformId}) = ${lowered})
          and ${members.mergedInto} is null and ${members.forgottenAt} is null`,
    )
    .all();
}

export function setMemberPreference(db: Db, id: number, values: Partial<Pick<Member, "preferredPlatform" | "timezone">>): void {
  db.update(members).set(values).where(eq(members.id, id)).run();
}

/**
 * A platform said someone renamed themselves: their identity (and, for a
 * member with one account, the member) takes the new name. Nothing is
 * created for someone the bot doesn't know. True if anything changed.
 */
export function renameIdentity(db: Db, platform: string, platformId: string, displayName: string): boolean {
  const identity = findIdentity(db, platform, platformId);
  if (!identity || !displayName.trim() || identity.displayName === displayName) return false;
  db.update(identities).set({ displayName }).where(and(eq(identities.platform, platform), eq(identities.platformId, platformId))).run();
  if (identitiesOf(db, identity.memberId).length === 1) db.update(members).set({ displayName }).where(eq(members.id, identity.memberId)).run();
  return true;
}
