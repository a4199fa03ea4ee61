import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineCapability } from "../../bot/capability.ts";
import { defineCommand } from "../../bot/command.ts";
import { core } from "../../commands/core/index.ts";

// The core alone: these tests are about the mechanism, not the roles capabilities add.
const capabilities = [core];
import { TestBot } from "../helpers/bot.ts";

// A scoped role like a group's driver, declared the way capabilities do.
const teams = defineCapability({
  name: "teams",
  roles: [
    {
      name: "captain",
      summary: "runs a team",
      scope: {
        noun: "team",
        resolve: (_ctx, text) => (["red", "blue"].includes(text) ? { scope: `team:${text}`, label: `team ${text}` } : undefined),
        describe: (_ctx, scope) => `team ${scope.slice(5)}`,
      },
    },
  ],
  commands: [
    defineCommand({
      name: "team rename",
      summary: "rename a team",
      args: z.object({ team: z.string() }),
      positional: ["team"],
      allow: ["captain", "admin"],
      scope: (_ctx, args) => `team:${args.team}`,
      run(ctx, { team }) {
        ctx.reply(`renamed ${team}`);
      },
    }),
  ],
});

let t: TestBot;
afterEach(async () => t?.close());

describe("roles and permissions", () => {
  it("denies by default: a new member cannot grant roles", async () => {
    t = new TestBot({ capabilities });
    await t.say("alice", "/role grant @alice admin");
    expect(t.texts()).toEqual(["Sorry, `role grant` is for admins."]);
    await t.say("alice", "/whoami");
    expect(t.texts()[0]).toMatch(/Roles: none/);
  });

  it("makes the config's bootstrap admins admins", async () => {
    t = new TestBot({ capabilities });
    await t.say("admin", "/whoami");
    expect(t.texts()[0]).toMatch(/Roles: admin/);
  });

  it("shows in help only the commands the asker may run", async () => {
    t = new TestBot({ capabilities });
    await t.say("alice", "/help general");
    await t.say("admin", "/help general");
    const [memberHelp, adminHelp] = t.texts();
    expect(memberHelp).toContain("/whoami");
    expect(memberHelp).not.toContain("/role grant");
    expect(adminHelp).toContain("/role grant");
    await t.say("alice", "/help role grant");
    expect(t.texts()).toEqual(["`role grant` is for admins."]);
  });

  it("limits a scoped role to its scope", async () => {
    t = new TestBot({ capabilities: [...capabilities, teams] });
    await t.say("cat", "/whoami");
    await t.say("admin", "/role grant @cat captain red");
    t.texts();
    await t.say("cat", "/team rename red");
    await t.say("cat", "/team rename blue");
    expect(t.texts()).toEqual(["renamed red", "Sorry, `team rename` is for captains and admins."]);
    await t.say("admin", "/team rename blue");
    expect(t.texts()).toEqual(["renamed blue"]);
  });

  it("requires a scope for a scoped role and checks it exists", async () => {
    t = new TestBot({ capabilities: [...capabilities, teams] });
    await t.say("cat", "/whoami");
    t.texts();
    await t.say("admin", "/role grant @cat captain");
    await t.say("admin", "/role grant @cat captain green");
    await t.say("admin", "/role grant @cat admin red");
    expect(t.texts()).toEqual([
      "`captain` needs a team: e.g. /role grant @someone captain <team>.",
      "I can't find the team `green`.",
      "`admin` applies everywhere; leave out `red`.",
    ]);
  });

  it("lists role holders with their scope, and revokes", async () => {
    t = new TestBot({ capabilities: [...capabilities, teams] });
    await t.say("cat", "/whoami");
    await t.say("admin", "/role grant @cat captain blue");
    t.texts();
    await t.say("admin", "/role list");
    expect(t.texts()[0]).toBe(
      "*admin* — runs the bot: creates groups, grants roles, sees reports: admin\n*captain* — runs a team: cat (team blue)",
    );
    await t.say("admin", "/role revoke @cat captain blue");
    await t.say("admin", "/role revoke @cat captain blue");
    expect(t.texts()).toEqual(["@cat is no longer a captain of team blue.", "@cat is not a captain of team blue."]);
  });

  it("will not let the last admin revoke themselves", async () => {
    t = new TestBot({ capabilities });
    await t.say("admin", "/role revoke @admin admin");
    expect(t.texts()).toEqual(["You are the only admin; grant the role to someone else first."]);
  });

  it("takes the admin role away from someone removed from the config, at the next start", async () => {
    t = new TestBot({ capabilities, config: { admins: ["console:admin", "console:old"] } });
    await t.say("old", "/role list");
    expect(t.texts()[0]).toMatch(/reports: admin, old$/);
    await t.close({ keep: true });
    t = new TestBot({ capabilities, dir: t.dir, config: { admins: ["console:admin"] } });
    await t.say("old", "/role list");
    expect(t.texts()).toEqual(["Sorry, `role list` is for admins."]);
  });
});
