// Member profiles: what people can offer and where they are.
import { eq } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { members } from "./schema/core.ts";
import { memberProfiles } from "./schema/groups.ts";

export type Profile = typeof memberProfiles.$inferSelect;
export type ProfileField = "skills" | "location" | "industry" | "interests";

export function getProfile(db: Db, memberId: number): Profile | undefined {
  return db.select().from(memberProfiles).where(eq(memberProfiles.memberId, memberId)).get();
}

export function setProfile(db: Db, memberId: number, values: Partial<Pick<Profile, ProfileField | "suggestNetworks">>, now: number): void {
  db.insert(memberProfiles)
    .values({ memberId, ...values, updatedAt: now })
    .onConflictDoUpdate({ target: memberProfiles.memberId, set: { ...values, updatedAt: now } })
    .run();
}

export function allProfiles(db: Db): (Profile & { displayName: string })[] {
  return db
    .select({ profile: memberProfiles, displayName: members.displayName })
    .from(memberProfiles)
    .innerJoin(members, eq(members.id, memberProfiles.memberId))
    .all()
    .map((r) => ({ ...r.profile, displayName: r.displayName }));
}
