// Actions on Slack, end to end through the real Bolt (HTTP and Socket
// Mode): a member logs work for a group, the driver's DM gets a card with
// Verify / Reject, a click verifies it (the card is edited and loses its
// buttons), a second click changes nothing; thanks reach the person thanked.
import { afterEach, describe, expect, it } from "vitest";
import { SlackHarness } from "./harness.ts";

const USERS = {
  UADMIN: { name: "ada", displayName: "Ada" },
  U0SAM: { name: "sam", displayName: "Sam" },
  U0ALICE: { name: "alice", displayName: "Alice" },
  U0BOB: { name: "bob", displayName: "Bob" },
};
const CONFIG = {
  groups: [{ slug: "comms", name: "Communications Group", kind: "working", rooms: ["slack:C0COMMS"], drivers: ["slack:U0SAM"] }],
};

let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe.each(["http", "socket"] as const)("actions on Slack (%s)", (mode) => {
  it("a logged action reaches the driver's DM with Verify / Reject; their click verifies it, the member is told, the card loses its buttons, and a second click counts nothing twice", async () => {
    h = await SlackHarness.start({ mode, users: USERS, channels: { C0COMMS: { name: "comms" } }, config: CONFIG });

    await h.slash("U0ALICE", "C0GENERAL", "log posted the autumn leaflet on three forums --group comms --hours 1.5");
    expect(h.privateReplies("U0ALICE")).toEqual([
      expect.stringMatching(/^Logged A-1 “posted the autumn leaflet on three forums” \(Communications Group\): waiting for <@U0SAM> to verify it\./),
    ]);
    // Nothing about it in the channel it was typed in.
    expect(h.posts("C0GENERAL")).toEqual([]);

    const [card] = h.dmsTo("U0SAM");
    expect(card?.args.text).toMatch(/^🧾 <@U0ALICE> logged A-1 “posted the autumn leaflet on three forums”\nCommunications Group · done 17 Aug · 1\.5h\n/);
    expect(h.buttonsOf(card!).map((b) => [b.label, b.command])).toEqual([
      ["Verify", "verify A-1"],
      ["Reject", "reject A-1"],
    ]);

    await h.click("U0SAM", card!, "Verify");

    // The card is edited in place (chat.update on the DM copy) and has no buttons left.
    const edits = h.fake.callsTo("chat.update");
    expect(edits).toHaveLength(1);
    expect(edits[0]!.args).toMatchObject({ channel: "D0SAM", ts: card!.response.ts });
    expect(h.latest(card!).text).toBe("✅ <@U0SAM> verified A-1 “posted the autumn leaflet on three forums” (<@U0ALICE>).");
    expect(h.buttonsOf(h.latest(card!))).toEqual([]);
    // Alice hears it by DM; Sam gets the confirmation in his DM.
    expect(h.dmsTo("U0ALICE").map((c) => c.args.text)).toEqual([
      "✅ <@U0SAM> verified your action A-1 “posted the autumn leaflet on three forums”. Thank you! It now counts in `/coop contributions`.",
    ]);
    expect(h.dmsTo("U0SAM").slice(1).map((c) => c.args.text)).toEqual(["Verified A-1 for <@U0ALICE>."]);

    // A second click on the card as it was (a double click, or a stale copy).
    await h.click("U0SAM", card!, "Verify");
    expect(h.dmsTo("U0SAM").at(-1)?.args.text).toBe("A-1 was already verified by <@U0SAM> on 17 Aug.");
    expect(h.fake.callsTo("chat.update")).toHaveLength(1);
    expect(h.dmsTo("U0ALICE")).toHaveLength(1);

    await h.slash("U0ALICE", "C0GENERAL", "contributions");
    const mine = h.privateReplies("U0ALICE").at(-1)!;
    expect(mine).toContain("from 1 verified action");
    expect(mine.match(/A-1 /g)).toHaveLength(1);
  });

  it("thanks from a channel reach the person thanked by DM, and the channel sees nothing without --public", async () => {
    h = await SlackHarness.start({ mode, users: USERS, channels: { C0COMMS: { name: "comms" } }, config: CONFIG });
    await h.dm("U0BOB", "whoami"); // Bob is known to the bot

    // Slack sends a picked mention as <@U0BOB|bob>.
    await h.slash("U0ALICE", "C0COMMS", "thanks <@U0BOB|bob> for the newsletter layout #craft");

    expect(h.dmsTo("U0BOB").at(-1)?.args.text).toBe("🙏 <@U0ALICE> thanked you for the newsletter layout #craft");
    expect(h.privateReplies("U0ALICE")).toEqual([expect.stringMatching(/^Thanks sent privately to <@U0BOB>\. \(Add --public to post it here\.\) You have 19 of 20 left for /)]);
    expect(h.posts("C0COMMS")).toEqual([]);

    await h.slash("U0ALICE", "C0COMMS", "thanks <@U0BOB|bob> for proofreading the case study --public");
    expect(h.posts("C0COMMS").map((c) => c.args.text)).toEqual(["🙏 <@U0ALICE> thanked <@U0BOB> for proofreading the case study"]);
  });
});
