// Role grants. Deny by default: no row, no role.
import { and, asc, eq, sql } from "drizzle-orm";
import type { Db } from "./connection.ts";
import { memo } from "./memo.ts";
import { perDb } from "./prepared.ts";
import { members, roleGrants } from "./schema/core.ts";

export type RoleGrant = typeof roleGrants.$inferSelect;

const queries = perDb((db) => ({
  rolesOf: db
    .select({ role: roleGrants.role, scope: roleGrants.scope })
    .from(roleGrants)
    .where(eq(roleGrants.memberId, sql.placeholder("memberId")))
    .prepare(),
}));

/** A member's grants, read for every permission check: cached until a grant changes. */
export const rolesOf: (db: Db, memberId: number) => readonly { role: string; scope: string }[] = memo(["role_grants"], (memberId) => memberId, (db, memberId: number) =>
  queries(db).rolesOf.all({ memberId }),
);

/** Returns false if the member already had the role (nothing changes). */
export function grantRole(
  db: Db,
  grant: { memberId: number; role: string; scope?: string; source?: "chat" | "config"; grantedBy?: number | null; now: number },
): boolean {
  const result = db
    .insert(roleGrants)
    .values({
      memberId: grant.memberId,
      role: grant.role,
      scope: grant.scope ?? "",
      source: grant.source ?? "chat",
      grantedBy: grant.grantedBy ?? null,
      grantedAt: grant.now,
    })
    .onConflictDoNothing()
    .run();
  return result.changes > 0;
}

export function revokeRole(db: Db, memberId: number, role: string, scope = ""): boolean {
  return (
    db
      .delete(roleGrants)
      .where(and(eq(roleGrants.memberId, memberId), eq(roleGrants.role, role), eq(roleGrants.scope, scope)))
      .run().changes > 0
  );
}

export type Holder = { memberId: number; displayName: string; scope: string; source: string };

/** Who holds a role (in a scope): who decides an action, who is told of a join request. */
export const holdersOf: (db: Db, role: string, scope?: string) => readonly Holder[] = memo(["role_grants", "members"], (role, scope) => `${role}\u0000${scope ?? "\u0001"}`, loadHolders);

function loadHolders(db: Db, role: string, scope?: string): Holder[] {
  const where = scope === undefined ? eq(roleGrants.role, role) : and(eq(roleGrants.role, role), eq(roleGrants.scope, scope));
  return db
    .select({ memberId: roleGrants.memberId, displayName: members.displayName, scope: roleGrants.scope, source: roleGrants.source })
    .from(roleGrants)
    .innerJoin(members, eq(members.id, roleGrants.memberId))
    .where(where)
    .orderBy(asc(members.displayName))
    .all();
}

export function grantsFromConfig(db: Db, role: string): RoleGrant[] {
  return db.select().from(roleGrants).where(and(eq(roleGrants.role, role), eq(roleGrants.source, "config"))).all();
}

/** Every grant a member holds, with where it came from (`export me`, and the config's say at `forget me`). */
export function grantsOf(db: Db, memberId: number): RoleGrant[] {
  return db.select().from(roleGrants).where(eq(roleGrants.memberId, memberId)).orderBy(asc(roleGrants.id)).all();
}
