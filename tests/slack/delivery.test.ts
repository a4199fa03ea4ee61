// Getting messages out: rate limits, outages, channels the bot is not in,
// mentions, long texts, private replies and DMs.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BaseContext } from "../../bot/context.ts";
import { esc, mention } from "../../bot/markup.ts";
import { inTransaction } from "../../db/connection.ts";
import { findIdentity } from "../../db/members.ts";
import { SlackHarness } from "./harness.ts";

let h: SlackHarness;
afterEach(async () => {
  await h.close();
});

describe("rate limits and outages", () => {
  beforeEach(async () => {
    h = await SlackHarness.start();
  });

  it("a 429 on the first of three messages holds the channel for exactly Retry-After, then all three arrive in order", async () => {
    h.fake.rateLimitNext("chat.postMessage", 1);

    await h.slash("U0ALICE", "C0GENERAL", "test announce 3");

    expect(h.fake.callsTo("chat.postMessage").map((c) => c.status)).toEqual([429]);
    expect(h.outbox().map((r) => r.state)).toEqual(["pending", "pending", "pending"]);
    expect(h.outbox()[0]?.attempts).toBe(0); // a rate limit is not a failed attempt

    await h.advance(999);
    expect(h.posts()).toEqual([]);

    await h.advance(1);
    expect(h.posts("C0GENERAL").map((c) => c.args.text)).toEqual(["Announcement 1 of 3", "Announcement 2 of 3", "Announcement 3 of 3"]);
    expect(h.outbox().map((r) => r.state)).toEqual(["sent", "sent", "sent"]);
    // About one message a second per channel: the dispatcher paced the 2nd and 3rd.
    expect(h.pacing).toHaveLength(2);
    expect(h.pacing.every((ms) => ms > 0 && ms <= 1000)).toBe(true);
  });

  it("other channels are not held back by one channel's rate limit", async () => {
    h.fake.rateLimitNext("chat.postMessage", 30);
    await h.slash("U0ALICE", "C0GENERAL", "test announce 1");

    await h.slash("U0ALICE", "C0RANDOM", "test announce 1");

    expect(h.posts().map((c) => c.args.channel)).toEqual(["C0RANDOM"]);
  });

  it.each(["refuse", "503"] as const)("while Slack is unreachable (%s) messages wait, and arrive in order when it is back", async (mode) => {
    await h.slash("U0ALICE", "C0GENERAL", "whoami"); // Alice's name is known before the outage
    await h.fake.goOffline(mode);

    const { report } = await h.slash("U0ALICE", "C0GENERAL", "test announce 3");

    expect(report?.result?.outcome).toBe("ok");
    expect(report?.event?.sender.displayName).toBe("Alice"); // the last known name, not the id
    const waiting = h.outbox().slice(1);
    expect(waiting.map((r) => r.state)).toEqual(["pending", "pending", "pending"]);
    expect(waiting[0]?.lastError).toMatch(/^Slack unreachable/);

    await h.fake.comeBack();
    await h.advance(1000); // the dispatcher's first back-off

    expect(h.posts("C0GENERAL").map((c) => c.args.text)).toEqual(["Announcement 1 of 3", "Announcement 2 of 3", "Announcement 3 of 3"]);
  });
});

describe("channels the bot can't post in", () => {
  beforeEach(async () => {
    h = await SlackHarness.start();
  });

  it.each([
    ["not_in_channel", "I'm not a member of #secret-plans; invite me there with `/invite @coopbot`"],
    ["channel_not_found", "I can't see #secret-plans: it was deleted, or it is private and I'm not in it; invite me there with `/invite @coopbot`"],
    ["is_archived", "#secret-plans is archived; unarchive it, or link the group to another channel with `/coop group link <group>`"],
  ])("%s: the message is given up for good, and the asker and the admins are told how to fix it", async (error, reason) => {
    h.fake.channels.set("C0SECRET", { name: "secret-plans", error });

    await h.slash("U0ALICE", "C0SECRET", "test announce 2");

    expect(h.outbox().filter((r) => r.channel === "slack:room:C0SECRET").map((r) => [r.state, r.lastError])).toEqual([
      ["failed", reason],
      ["failed", reason],
    ]);
    expect(h.logged("message could not be delivered; giving up")).toHaveLength(2);
    const notice = expect.stringContaining(esc(reason));
    expect(h.dmsTo("U0ALICE").map((c) => c.args.text)).toEqual([notice, notice]);
    expect(h.dmsTo("UADMIN").map((c) => c.args.text)).toEqual([notice, notice]);
    // Given up, not retried: nothing more is tried later.
    await h.advance(10 * 60_000);
    expect(h.fake.callsTo("chat.postMessage").filter((c) => c.args.channel === "C0SECRET")).toHaveLength(2);
  });
});

describe("what messages look like", () => {
  beforeEach(async () => {
    h = await SlackHarness.start({ config: { admins: ["slack:UADMIN", "console:carol"] } });
  });

  it("members with a Slack account are mentioned as <@U…>; others by name in bold; user text stays escaped", async () => {
    await h.slash("U0BOB", "C0GENERAL", "whoami");

    // Slack sends what people type escaped, with mentions as <@U…|name>.
    await h.slash("U0ALICE", "C0GENERAL", "test greet <@U0BOB|bob> tea &amp; cake &lt;3 <!channel>");
    // carol has only a console account: a message about her, posted on Slack, names her in bold.
    const carol = findIdentity(h.bot.db, "console", "carol")!.memberId;
    inTransaction(h.bot.db, () => new BaseContext(h.bot.services, "test").toRoom({ platform: "slack", id: "C0GENERAL" }, `Welcome ${mention(carol)}, from ${mention(h.memberId("U0ALICE")!)}`));
    await h.settle();

    expect(h.posts("C0GENERAL").map((c) => c.args.text)).toEqual([
      "Welcome <@U0BOB>, from <@U0ALICE>: tea &amp; cake &lt;3 @channel",
      "Welcome *carol*, from <@U0ALICE>",
    ]);
  });

  it("a long text is split into sections of at most 3,000 characters, at line boundaries", async () => {
    await h.slash("U0ALICE", "C0GENERAL", "test essay 100");

    const [post, ...more] = h.posts("C0GENERAL");
    expect(more).toEqual([]);
    const sections = post!.args.blocks.map((b: any) => b.text.text as string);
    expect(sections.length).toBeGreaterThan(1);
    expect(sections.every((s: string) => s.length <= 3000 && /^Line \d{4}: /.test(s) && /amet$/.test(s))).toBe(true);
    expect(sections.join("\n").split("\n")).toHaveLength(100);
  });

  it("a text too long for one Slack message continues as replies in a thread under the first", async () => {
    await h.slash("U0ALICE", "C0GENERAL", "test essay 500");

    const [first, ...rest] = h.posts("C0GENERAL");
    expect(rest.length).toBeGreaterThan(0);
    expect(rest.every((c) => c.args.thread_ts === first!.response.ts)).toBe(true);
    const all = [first!, ...rest].flatMap((c) => c.args.blocks.map((b: any) => b.text.text as string));
    expect(all.join("\n").split("\n").map((l) => l.slice(0, 9))).toEqual(Array.from({ length: 500 }, (_, i) => `Line ${String(i + 1).padStart(4, "0")}`));
    expect([first!, ...rest].every((c) => c.args.blocks.length <= 50 && c.args.text.length <= 3000)).toBe(true);
    expect(h.outbox()[0]?.platformRef).toBe(h.refOf(first!));
  });
});

describe("private replies and DMs", () => {
  beforeEach(async () => {
    h = await SlackHarness.start();
  });

  it("a private reply falls back to chat.postEphemeral when the response_url has expired", async () => {
    h.fake.expireResponseUrl("*");

    await h.slash("U0ALICE", "C0GENERAL", "whoami");

    expect(h.fake.callsTo("response_url").map((c) => c.status)).toEqual([404]);
    expect(h.fake.callsTo("chat.postEphemeral").map((c) => [c.args.channel, c.args.user])).toEqual([["C0GENERAL", "U0ALICE"]]);
    expect(h.privateReplies("U0ALICE")).toEqual([expect.stringMatching(/^You are \*Alice\*/)]);
  });

  it("DMs to a member open the conversation once and reuse it", async () => {
    await h.slash("U0ALICE", "C0GENERAL", "remind me 1m stretch");
    await h.slash("U0ALICE", "C0GENERAL", "remind me 2m drink water");

    await h.advance(2 * 60_000);

    expect(h.dmsTo("U0ALICE").map((c) => String(c.args.text).split("\n")[0])).toEqual(["⏰ Reminder 1: stretch", "⏰ Reminder 2: drink water"]);
    expect(h.fake.callsTo("conversations.open")).toHaveLength(1);
  });

  it("a member who can't be messaged (deactivated) is given up on with the reason", async () => {
    await h.slash("U0ALICE", "C0GENERAL", "remind me 1m stretch");
    h.fake.failNext("conversations.open", "user_disabled");

    await h.advance(60_000);

    expect(h.outbox().at(-1)).toMatchObject({ state: "failed", lastError: "I can't send a direct message to Alice (user_disabled)" });
  });
});
