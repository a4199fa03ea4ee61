// Membership follows into rooms on Slack: joining an open network, or being
// approved into a working group, invites the member to the group's linked
// channel (conversations.invite), and the answer says so; when Slack
// refuses, the member and the driver who approved hear why. Groups resolve
// by name, and a typo gets a suggestion.
import { afterEach, expect, it } from "vitest";
import { SlackHarness } from "./harness.ts";

let h: SlackHarness;
afterEach(async () => {
  await h.close();
});

const FEDERATION = {
  groups: [
    { slug: "comms", name: "Communications Group", kind: "working", drivers: ["slack:U0BOB"] },
    { slug: "leeds", name: "Leeds network", kind: "network" },
  ],
};

async function start(config: Record<string, unknown> = {}): Promise<SlackHarness> {
  const harness = await SlackHarness.start({
    config: { ...FEDERATION, ...config },
    channels: { C0COMMS: { name: "comms" }, C0LEEDS: { name: "leeds" } },
  });
  // The rooms are linked the way a driver or admin does it: typed in the channel.
  await harness.slash("UADMIN", "C0COMMS", "group link comms");
  await harness.slash("UADMIN", "C0LEEDS", "group link leeds");
  return harness;
}

const invites = () => h.fake.callsTo("conversations.invite").map((c) => ({ channel: c.args.channel, users: c.args.users, ok: c.response.ok }));

it("joining an open network invites the member to its channel, and the welcome says so", async () => {
  h = await start();

  await h.slash("U0ALICE", "C0GENERAL", "join Leeds network");

  expect(invites()).toEqual([{ channel: "C0LEEDS", users: "U0ALICE", ok: true }]);
  expect(h.fake.members.get("C0LEEDS")).toEqual(new Set(["U0ALICE"]));
  expect(h.privateReplies("U0ALICE")).toEqual(["Welcome to Leeds network! I've sent you what's next in a private message. I'm adding you to its Slack channel #leeds."]);
});

it("a driver's approval invites the member to the group's channel; both are told", async () => {
  h = await start();

  await h.slash("U0ALICE", "C0GENERAL", "join Communications Group I write copy");
  const [card] = h.dmsTo("U0BOB");
  expect(card!.args.text).toContain("I write copy");
  expect(card!.args.text).not.toContain("Group I write copy");
  expect(invites()).toEqual([]);

  await h.click("U0BOB", card!, "Approve");

  expect(invites()).toEqual([{ channel: "C0COMMS", users: "U0ALICE", ok: true }]);
  // The approval opens her welcome into the group (see tests/slack/welcome-flow.test.ts for the rest of it).
  const approval = h.dmsTo("U0ALICE").find((m) => String(m.args.text).includes("you're now a member"));
  expect(String(approval!.args.text).split("\n")[0]).toMatch(/you're now a member of \*Communications Group\*.* I'm adding you to its Slack channel #comms\.$/);
  // The click was in the driver's DM, so the answer is there too.
  expect(h.dmsTo("U0BOB").map((m) => m.args.text)).toContain("<@U0ALICE> is now a member of Communications Group. I'm adding them to its Slack channel #comms.");
});

it("when Slack refuses the invite, the member and the approving driver hear why, and nothing waits for it", async () => {
  h = await start();
  await h.slash("U0ALICE", "C0GENERAL", "join comms");
  const [card] = h.dmsTo("U0BOB");
  h.fake.failNext("conversations.invite", "missing_scope");

  await h.click("U0BOB", card!, "Approve");
  await h.settle();

  const toAlice = h.dmsTo("U0ALICE").map((c) => String(c.args.text));
  expect(toAlice.at(-1)).toBe(
    "⚠️ I couldn't add you to Communications Group's Slack room #comms: the Slack app isn't allowed to add people to channels (it needs the channels:manage and groups:write scope: an admin adds it from the manifest and reinstalls the app). Ask one of the group's drivers to add you.",
  );
  expect(h.dmsTo("U0BOB").map((c) => String(c.args.text)).at(-1)).toMatch(/^⚠️ I couldn't add <@U0ALICE> to Communications Group's Slack room #comms: the Slack app isn't allowed/);
  expect(h.outbox().filter((r) => r.state === "pending")).toEqual([]);
});

it("someone already in the channel is no failure; a misspelt group gets a suggestion, not a join", async () => {
  h = await start();
  h.fake.members.set("C0LEEDS", new Set(["U0ALICE"]));

  await h.slash("U0ALICE", "C0GENERAL", "join leeds");
  await h.slash("U0BOB", "C0GENERAL", "join comunications");

  expect(invites()).toEqual([{ channel: "C0LEEDS", users: "U0ALICE", ok: false }]);
  expect(h.outbox().filter((r) => r.state === "failed")).toEqual([]);
  expect(h.privateReplies("U0BOB")).toEqual(["There's no group `comunications`. Did you mean `comms` (Communications Group)? Type `/coop groups` to see them all."]);
});

it("with rooms.removeOnLeave, leaving takes the member out of the channel", async () => {
  h = await start({ rooms: { removeOnLeave: true } });
  await h.slash("U0ALICE", "C0GENERAL", "join leeds");

  await h.slash("U0ALICE", "C0GENERAL", "leave leeds");

  expect(h.fake.callsTo("conversations.kick").map((c) => [c.args.channel, c.args.user])).toEqual([["C0LEEDS", "U0ALICE"]]);
  expect(h.fake.members.get("C0LEEDS")).toEqual(new Set());
  expect(h.privateReplies("U0ALICE").at(-1)).toBe("You've left Leeds network. I'm taking you out of its Slack channel #leeds.");
});
