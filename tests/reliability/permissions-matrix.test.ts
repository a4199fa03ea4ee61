// For every command and every role: allowed or refused exactly as declared.
// Generated from the registry, so a new command or role is covered at once.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction } from "../../db/connection.ts";
import { driverScope, findGroupBySlug } from "../../db/groups.ts";
import { ensureMember } from "../../db/members.ts";
import { grantRole } from "../../db/roles.ts";
import { MANY_AT_ONCE, TestBot } from "../helpers/bot.ts";

let t: TestBot;
beforeAll(() => {
  // Each member runs every command at the same instant: no person could.
  t = new TestBot({ config: { admins: [], groups: [{ slug: "comms", name: "Communications Group", kind: "working" }], limits: MANY_AT_ONCE } });
  const comms = findGroupBySlug(t.db, "comms")!;
  inTransaction(t.db, () => {
    for (const role of t.bot.permissions.all()) {
      const member = ensureMember(t.db, "console", `has-${role.name}`, `has-${role.name}`, t.clock.now());
      grantRole(t.db, { memberId: member.id, role: role.name, scope: role.scope ? driverScope(comms.id) : "", now: t.clock.now() });
    }
    ensureMember(t.db, "console", "plain-member", "plain-member", t.clock.now());
  });
});
afterAll(async () => t?.close());

describe("the permissions matrix", () => {
  it("covers every registered command for a member with no role and for each role", () => {
    const roles = ["(none)", ...t.bot.permissions.all().map((r) => r.name)];
    const mismatches: string[] = [];
    for (const command of t.bot.registry.all()) {
      for (const role of roles) {
        const member = role === "(none)" ? "plain-member" : `has-${role}`;
        const expected = command.allow === "everyone" || command.allow.includes(role);
        const { outcome } = t.bot.receive(t.event(member, `/${command.name}`, "general"));
        if ((outcome !== "denied") !== expected) mismatches.push(`${command.name} as ${role}: ${outcome}, declared ${expected ? "allowed" : "refused"}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(t.bot.registry.all().length).toBeGreaterThan(20);
  });

  it("refuses every command that isn't for everyone to a member with no role", () => {
    const restricted = t.bot.registry.all().filter((c) => c.allow !== "everyone");
    expect(restricted.length).toBeGreaterThan(5);
    for (const command of restricted) expect(t.bot.receive(t.event("plain-member", `/${command.name}`, "general")).outcome).toBe("denied");
  });
});
