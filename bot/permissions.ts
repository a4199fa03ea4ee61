// Roles, deny by default. Admin is a global role; the others come from the
// capabilities (driver of a group, triager, adviser, ...).
import type { Db } from "../db/connection.ts";
import { rolesOf } from "../db/roles.ts";
import type { RoleSpec } from "./capability.ts";
import type { Allow } from "./command.ts";

export const ADMIN_ROLE: RoleSpec = { name: "admin", summary: "runs the bot: creates groups, grants roles, sees reports" };

export class Permissions {
  private readonly roles = new Map<string, RoleSpec>([[ADMIN_ROLE.name, ADMIN_ROLE]]);

  register(role: RoleSpec): void {
    if (this.roles.has(role.name)) throw new Error(`role "${role.name}" is declared twice`);
    this.roles.set(role.name, role);
  }

  get(name: string): RoleSpec | undefined {
    return this.roles.get(name);
  }

  all(): RoleSpec[] {
    return [...this.roles.values()];
  }

  /** Has the role: for a scoped role, in that scope if one is given, else in any scope. */
  hasRole(db: Db, memberId: number, role: string, scope?: string): boolean {
    return rolesOf(db, memberId).some((g) => g.role === role && (scope === undefined || g.scope === scope));
  }

  /**
   * Whether a member may run something declared with `allow`. `everyone`
   * means any member; a role list means at least one of them. A scope
   * narrows scoped roles (driver of *this* group); unscoped roles ignore it.
   */
  allows(db: Db, memberId: number, allow: Allow, scope?: string): boolean {
    if (allow === "everyone") return true;
    const grants = rolesOf(db, memberId);
    return allow.some((role) => {
      const scoped = this.roles.get(role)?.scope !== undefined;
      return grants.some((g) => g.role === role && (!scoped || scope === undefined || g.scope === scope));
    });
  }
}
