// A Slack mention is a verified id: the person it names is found, or added
// with the name Slack gives, even if they have never spoken to the bot. A
// typed name is looked up among Slack's people only, and power is only
// handed out by a real mention.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { findIdentity } from "../../db/members.ts";
import { rolesOf } from "../../db/roles.ts";
import { SlackHarness } from "./harness.ts";

let h: SlackHarness;
beforeEach(async () => {
  h = await SlackHarness.start({
    users: {
      UADMIN: { name: "ada", displayName: "Ada" },
      U0ALICE: { name: "alice", displayName: "Alice" },
      U0NEWBIE: { name: "newbie", displayName: "Nia Newbie" },
      U0TARA: { name: "tara", displayName: "tara" },
    },
    config: { groups: [{ slug: "comms", name: "Communications Group", kind: "working", drivers: ["slack:UADMIN"] }] },
  });
});
afterEach(async () => {
  await h.close();
});

const memberOf = (user: string) => findIdentity(h.bot.db, "slack", user);

describe("mentions of people who never spoke to the bot", () => {
  it("thanks: the person is added with the name Slack gives, thanked by DM, and the reply names them", async () => {
    expect(memberOf("U0NEWBIE")).toBeUndefined();

    await h.slash("U0ALICE", "C0GENERAL", "thanks <@U0NEWBIE|newbie> for the banner");

    expect(memberOf("U0NEWBIE")?.displayName).toBe("Nia Newbie");
    expect(h.dmsTo("U0NEWBIE").map((c) => c.args.text)).toEqual([expect.stringContaining("thanked you for the banner")]);
    const reply = h.privateReplies("U0ALICE").at(-1)!;
    expect(reply).toContain("<@U0NEWBIE>");
    expect(reply).not.toContain("don't know");
  });

  it("log for someone, role grant and adviser add work by mention too", async () => {
    await h.slash("U0ALICE", "C0GENERAL", "log <@U0NEWBIE> ran the Glasgow workshop --group comms");
    expect(h.privateReplies("U0ALICE").at(-1)).toMatch(/^Logged A-1/);

    await h.slash("UADMIN", "C0GENERAL", "role grant <@U0TARA|tara> triager");
    expect(rolesOf(h.bot.db, memberOf("U0TARA")!.memberId)).toEqual([{ role: "triager", scope: "" }]);

    await h.slash("UADMIN", "C0GENERAL", "adviser add <@U0NEWBIE> --specialisms finance,legal --capacity 2");
    expect(rolesOf(h.bot.db, memberOf("U0NEWBIE")!.memberId).map((r) => r.role)).toContain("adviser");
  });

  it("a typed name (not a mention) can't be given power: the admin is asked to mention them, nothing changes", async () => {
    await h.slash("U0TARA", "C0GENERAL", "whoami"); // tara is known, by name
    const before = h.bot.db.$client.prepare("select * from role_grants").all();

    await h.slash("UADMIN", "C0GENERAL", "role grant @tara triager");

    expect(h.privateReplies("UADMIN").at(-1)).toMatch(/^To be sure who you mean, mention them: type @ and pick @tara/);
    expect(h.bot.db.$client.prepare("select * from role_grants").all()).toEqual(before);
  });

  it("a typed name finds only Slack's people: a console member called tara is not Slack's @tara", async () => {
    // A console account calls itself tara; on Slack nobody does yet.
    h.bot.receive({ platform: "console", eventId: "c-1", sender: { platformId: "tara", displayName: "tara" }, room: { id: "general", kind: "public" }, text: "whoami", addressed: true });
    await h.slash("U0ALICE", "C0GENERAL", "thanks @tara for the tea");
    expect(h.privateReplies("U0ALICE").at(-1)).toMatch(/^I don't know anyone on slack called @tara/);
    expect(h.bot.db.$client.prepare("select count(*) as n from thanks").get()).toEqual({ n: 0 });
  });
});

describe("names that change on Slack", () => {
  it("a user_change event renames the member, so later messages use the new name", async () => {
    await h.slash("U0ALICE", "C0GENERAL", "whoami");
    const body = { type: "event_callback", event_id: "EvRename1", team_id: "T0COOPS", event: { type: "user_change", user: { id: "U0ALICE", name: "alice", profile: { display_name: "Alice Cooper", real_name: "Alice" } } } };

    const { status } = await h.event(body);

    expect(status).toBe(200);
    await h.waitFor(() => memberOf("U0ALICE")?.displayName === "Alice Cooper", { what: "the rename" });
    expect(h.bot.db.$client.prepare("select display_name from members where id = ?").pluck().get(memberOf("U0ALICE")!.memberId)).toBe("Alice Cooper");
  });
});
