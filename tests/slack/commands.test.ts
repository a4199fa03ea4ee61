// What members see when they talk to the bot on Slack: /coop commands,
// @mentions and DMs, through the real Bolt HTTP receiver.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { rolesOf } from "../../db/roles.ts";
import { SlackHarness } from "./harness.ts";

let h: SlackHarness;
beforeEach(async () => {
  h = await SlackHarness.start();
});
afterEach(async () => {
  await h.close();
});

describe("/coop", () => {
  it("/coop help answers only the asker, listing the commands they may use", async () => {
    const { status, report } = await h.slash("U0ALICE", "C0GENERAL", "help");

    expect(status).toBe(200);
    expect(report?.result?.outcome).toBe("ok");
    const [reply, ...more] = h.privateReplies("U0ALICE");
    expect(more).toEqual([]);
    expect(reply).toContain("*What I can do for you*");
    expect(reply).toContain("• *Groups*: working groups and peer networks: find, join, run — `/coop help groups`");
    expect(reply).toContain("`/coop join` — Join a working group");
    expect(reply!.split("\n").length).toBeLessThanOrEqual(20); // it fits on a screen
    await h.slash("U0ALICE", "C0GENERAL", "help general");
    expect(h.privateReplies("U0ALICE").at(-1)).toContain("`/coop whoami` — Show who I think you are, and your roles");
    expect(h.privateReplies("U0ALICE").at(-1)).not.toContain("role grant"); // for admins only
    expect(h.posts()).toEqual([]);
    // The reply went through the invocation's response_url (works even where the bot is not a member).
    expect(h.fake.callsTo("response_url")[0]!.args).toMatchObject({ response_type: "ephemeral", replace_original: false });
  });

  it("/coop whoami knows the member by their Slack profile name and account", async () => {
    await h.slash("U0ALICE", "C0GENERAL", "whoami");

    expect(h.privateReplies("U0ALICE")).toEqual([
      expect.stringMatching(/^You are \*Alice\* \(member \d+\)\.\nAccounts: Slack \(Alice, U0ALICE\)\nRoles: none/),
    ]);
    expect(h.fake.callsTo("users.info").map((c) => c.args.user)).toEqual(["U0ALICE"]);
  });

  it("a mistyped command (/coop jion) gets a short private reply pointing to the right command, and nothing else happens", async () => {
    const { report } = await h.slash("U0ALICE", "C0GENERAL", "jion comms");

    expect(report?.result?.outcome).toBe("unknown");
    expect(h.privateReplies("U0ALICE")).toEqual([expect.stringMatching(/^I don't know `jion`\. (Did you mean `\/coop join`\?|Type `\/coop help`)/)]);
    expect(h.posts()).toEqual([]);
    expect(h.outbox()).toHaveLength(1);
  });

  it("a near miss of a known command suggests it (/coop whoamu → /coop whoami)", async () => {
    await h.slash("U0ALICE", "C0GENERAL", "whoamu");

    expect(h.privateReplies("U0ALICE")).toEqual(["I don't know `whoamu`. Did you mean `/coop whoami`? (`/coop help` lists everything.)"]);
  });

  it("a bad argument gets what was wrong and the usage", async () => {
    await h.slash("U0ALICE", "C0GENERAL", "remind me soon call the bank");

    expect(h.privateReplies("U0ALICE")).toEqual([expect.stringMatching(/^I couldn't find when in that; e\.g\. `\/coop remind me tomorrow at 9am send the agenda`/)]);
  });

  it("an admin's /coop role grant <@U…|bob> admin answers the admin and tells bob in a DM", async () => {
    await h.slash("U0BOB", "C0GENERAL", "whoami"); // bob has talked to the bot, so it knows him

    const { report } = await h.slash("UADMIN", "C0GENERAL", "role grant <@U0BOB|bob> admin");

    expect(report?.event?.text).toBe("role grant @U0BOB admin");
    expect(report?.result?.outcome).toBe("ok");
    expect(h.privateReplies("UADMIN")).toEqual(["<@U0BOB> is now an admin."]);
    expect(h.fake.callsTo("conversations.open").map((c) => c.args)).toEqual([{ users: "U0BOB" }]);
    expect(h.dmsTo("U0BOB").map((c) => c.args.text)).toEqual([expect.stringMatching(/^<@UADMIN> made you an admin\./)]);
    expect(rolesOf(h.bot.db, h.memberId("U0BOB")!).map((g) => g.role)).toEqual(["admin"]);
  });

  it("the same grant by someone who is not an admin is refused, and bob gains nothing", async () => {
    await h.slash("U0BOB", "C0GENERAL", "whoami");

    const { report } = await h.slash("U0ALICE", "C0GENERAL", "role grant <@U0BOB|bob> admin");

    expect(report?.result?.outcome).toBe("denied");
    expect(h.privateReplies("U0ALICE")).toEqual(["Sorry, `role grant` is for admins."]);
    expect(h.fake.callsTo("conversations.open")).toEqual([]);
    expect(rolesOf(h.bot.db, h.memberId("U0BOB")!)).toEqual([]);
    await h.slash("U0BOB", "C0GENERAL", "whoami");
    expect(h.privateReplies("U0BOB").at(-1)).toMatch(/Roles: none/);
  });

  it("a slash command in a DM between two people is answered to the asker alone", async () => {
    h.fake.channels.set("D0ALICEBOB", { error: "channel_not_found" }); // the bot is not part of that conversation

    await h.slash("U0ALICE", "D0ALICEBOB", "whoami");

    expect(h.privateReplies("U0ALICE")).toEqual([expect.stringMatching(/^You are \*Alice\*/)]);
    expect(h.posts()).toEqual([]);
    expect(h.outbox().map((r) => r.state)).toEqual(["sent"]);
  });
});

describe("@coopbot mentions and DMs", () => {
  it("@coopbot whoami in a thread answers the mentioner privately, in that thread", async () => {
    const { report } = await h.mention("U0ALICE", "C0GENERAL", "whoami", { thread: "1712340000.000100" });

    expect(report?.event).toMatchObject({ text: "whoami", room: { id: "C0GENERAL", kind: "public", name: "c0general" }, thread: "1712340000.000100" });
    const [ephemeral] = h.fake.callsTo("chat.postEphemeral");
    expect(ephemeral?.args).toMatchObject({ channel: "C0GENERAL", user: "U0ALICE", thread_ts: "1712340000.000100" });
    expect(ephemeral?.args.text).toMatch(/^You are \*Alice\*/);
    expect(h.posts()).toEqual([]);
  });

  it("a mention in a private channel is seen as private (conversations.info), and remembered", async () => {
    h.fake.channels.set("C0TRIAGE", { name: "triage", isPrivate: true });

    const first = await h.mention("U0ALICE", "C0TRIAGE", "whoami");
    await h.mention("U0ALICE", "C0TRIAGE", "whoami");

    expect(first.report?.event?.room).toEqual({ id: "C0TRIAGE", kind: "private", name: "triage" });
    expect(h.fake.callsTo("conversations.info")).toHaveLength(1);
  });

  it("plain text in the bot's DM is a command, answered in the DM", async () => {
    const { report } = await h.dm("U0ALICE", "whoami");

    expect(report?.event).toMatchObject({ text: "whoami", addressed: true, room: { id: "D0ALICE", kind: "dm" } });
    expect(h.dmsTo("U0ALICE").map((c) => c.args.text)).toEqual([expect.stringMatching(/^You are \*Alice\*/)]);
  });

  it("the bot's own messages and edits in the DM are not taken as commands", async () => {
    const base = { token: "t", team_id: "T0COOPS", api_app_id: "A0COOPBOT", type: "event_callback", event_time: 1712345710 };
    await h.event({ ...base, event_id: "Ev0EDIT", event: { type: "message", subtype: "message_changed", channel: "D0ALICE", channel_type: "im", ts: "1.2", message: { text: "whoami" } } });
    await h.event({ ...base, event_id: "Ev0OTHERBOT", event: { type: "message", bot_id: "B0OTHER", user: "U0OTHERBOT", channel: "D0ALICE", channel_type: "im", ts: "1.3", text: "whoami" } });

    expect(h.inbound.map((r) => r.skipped)).toEqual(["message_changed", "not from a person"]);
    expect(h.outbox()).toEqual([]);
  });
});
