// Who may run each sensitive command, written down by hand (not read back
// from the commands' own `allow`), then checked by running every command as
// a member holding each role and as a member holding none: a wrongly
// declared permission fails here. A restricted command missing from the
// table fails too, so a new one has to be thought about.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inTransaction } from "../../db/connection.ts";
import { driverScope, findGroupBySlug } from "../../db/groups.ts";
import { ensureMember } from "../../db/members.ts";
import { grantRole } from "../../db/roles.ts";
import { MANY_AT_ONCE, TestBot } from "../helpers/bot.ts";

type Role = "admin" | "driver" | "triager" | "triage-lead" | "adviser";
const ROLES: Role[] = ["admin", "driver", "triager", "triage-lead", "adviser"];
const EVERYONE = "everyone" as const;

const ADMIN: Role[] = ["admin"];
const GROUP_RUNNERS: Role[] = ["driver", "admin"];
const TRIAGE: Role[] = ["triager", "triage-lead"];
const TRIAGE_AND_ADMIN: Role[] = ["triager", "triage-lead", "admin"];
const LEADS: Role[] = ["triage-lead", "admin"];
const CLINIC_WRITERS: Role[] = ["triager", "triage-lead", "adviser"];

/** The policy. Roles are who may *start* the command; many then check more (the group, the holder, consent). */
const WHO_MAY: Record<string, Role[] | typeof EVERYONE> = {
  // Power over people.
  "role grant": ADMIN,
  "role revoke": ADMIN,
  "role list": ADMIN,
  "group create": ADMIN,
  "group archive": ADMIN,
  "group driver add": ADMIN,
  "group driver remove": ADMIN,
  // Running a group.
  approve: GROUP_RUNNERS,
  decline: GROUP_RUNNERS,
  requests: GROUP_RUNNERS,
  volunteers: GROUP_RUNNERS,
  "group edit": GROUP_RUNNERS,
  "group add": GROUP_RUNNERS,
  "group remove": GROUP_RUNNERS,
  "group link": GROUP_RUNNERS,
  "group unlink": GROUP_RUNNERS,
  "meeting schedule": GROUP_RUNNERS,
  "meeting confirm": GROUP_RUNNERS,
  "meeting discard": GROUP_RUNNERS,
  "meeting edit": GROUP_RUNNERS,
  "meeting skip": GROUP_RUNNERS,
  "meeting move": GROUP_RUNNERS,
  "meeting cancel": GROUP_RUNNERS,
  rsvps: GROUP_RUNNERS,
  attended: GROUP_RUNNERS,
  "welcome invite": GROUP_RUNNERS,
  // Deciding on people's actions.
  "verify queue": GROUP_RUNNERS,
  verify: GROUP_RUNNERS,
  reject: GROUP_RUNNERS,
  recognition: GROUP_RUNNERS,
  void: ADMIN,
  "job add": ADMIN,
  "job edit": ADMIN,
  "job retire": ADMIN,
  // Reports (from the dashboard branch, which left them out of this policy).
  dashboard: GROUP_RUNNERS,
  "export civicrm": ADMIN,
  "export csv": ADMIN,
  // The clinic: reads of enquiries and who works them.
  claim: TRIAGE,
  triage: TRIAGE,
  suggest: TRIAGE,
  handoff: TRIAGE,
  release: TRIAGE_AND_ADMIN,
  "handoff withdraw": TRIAGE_AND_ADMIN,
  "clinic queue": TRIAGE_AND_ADMIN,
  advisers: TRIAGE_AND_ADMIN,
  "clinic stats": TRIAGE_AND_ADMIN,
  reassign: LEADS,
  "adviser add": LEADS,
  "adviser retire": LEADS,
  note: CLINIC_WRITERS,
  resolve: CLINIC_WRITERS,
  "handoff accept": ["adviser"],
  "handoff decline": ["adviser"],
  "adviser away": ["adviser"],
  "adviser back": ["adviser"],
  // Open to everyone, each checking inside who may see what (tested with the capability).
  enquiry: EVERYONE,
  "clinic ask": EVERYONE,
  "clinic erase": EVERYONE,
  consent: EVERYONE,
  "consent withdraw": EVERYONE,
  // The person who asked writes in their enquiry's conversation too; inside, only they and the team working on it may.
  reply: EVERYONE,
  "link confirm": EVERYONE,
  "link accept": EVERYONE,
  "link cancel": EVERYONE,
  "meeting feed": EVERYONE,
  whoami: EVERYONE,
};

let t: TestBot;
beforeAll(() => {
  // Each member runs every command at the same instant: no person could.
  t = new TestBot({ config: { admins: [], groups: [{ slug: "comms", name: "Communications Group", kind: "working" }], limits: MANY_AT_ONCE } });
  const comms = findGroupBySlug(t.db, "comms")!;
  inTransaction(t.db, () => {
    for (const role of ROLES) {
      const member = ensureMember(t.db, "console", `has-${role}`, `has-${role}`, t.clock.now());
      grantRole(t.db, { memberId: member.id, role, scope: role === "driver" ? driverScope(comms.id) : "", now: t.clock.now() });
    }
    ensureMember(t.db, "console", "plain-member", "plain-member", t.clock.now());
  });
});
afterAll(async () => t?.close());

const allowedFor = (command: string, member: string) => t.bot.receive(t.event(member, `/${command}`, "general")).outcome !== "denied";

describe("the permissions matrix", () => {
  it("the roles in the policy are the roles the bot knows", () => {
    expect(t.bot.permissions.all().map((r) => r.name).sort()).toEqual([...ROLES].sort());
  });

  it("every command in the policy exists, and every restricted command is in the policy", () => {
    const registered = new Map(t.bot.registry.all().map((c) => [c.name, c]));
    expect(Object.keys(WHO_MAY).filter((name) => !registered.has(name))).toEqual([]);
    const unlisted = [...registered.values()].filter((c) => c.allow !== "everyone" && !(c.name in WHO_MAY)).map((c) => c.name);
    expect(unlisted).toEqual([]);
  });

  it("each role (and no role) may start exactly what the policy says", () => {
    const mismatches: string[] = [];
    for (const [command, who] of Object.entries(WHO_MAY)) {
      for (const role of [undefined, ...ROLES]) {
        const expected = who === EVERYONE || (role !== undefined && who.includes(role));
        const actual = allowedFor(command, role ? `has-${role}` : "plain-member");
        if (actual !== expected) mismatches.push(`${command} as ${role ?? "a member with no role"}: ${actual ? "allowed" : "refused"}, the policy says ${expected ? "allowed" : "refused"}`);
      }
    }
    expect(mismatches).toEqual([]);
  });
});
