// A capability flow on Slack in a few lines: what the harness is for. A join
// request reaches the driver's DM with buttons; a click decides it and the
// buttons disappear; the requester gets one message: approved, and welcome.
import { afterEach, expect, it } from "vitest";
import { SlackHarness } from "./harness.ts";

let h: SlackHarness;
afterEach(async () => {
  await h.close();
});

it("a join request reaches the driver's DM with Approve / Decline; their click approves it and the buttons go", async () => {
  h = await SlackHarness.start({
    config: { groups: [{ slug: "comms", name: "Comms", kind: "working", drivers: ["slack:U0BOB"], rooms: ["slack:C0COMMS"] }] },
  });

  await h.slash("U0ALICE", "C0GENERAL", "join comms I do graphic design");

  const [card] = h.dmsTo("U0BOB");
  expect(h.buttonsOf(card!).map((b) => b.label)).toEqual(["Approve", "Decline"]);

  await h.click("U0BOB", card!, "Approve");

  expect(h.buttonsOf(h.latest(card!))).toEqual([]);
  // Alice hears the answer and her welcome into the group in one message, not two.
  const toAlice = h.dmsTo("U0ALICE");
  expect(toAlice).toHaveLength(1);
  expect(String(toAlice[0]!.args.text).split("\n").slice(0, 2)).toEqual([
    "🎉 <@U0BOB> approved your request: you're now a member of *Comms*. I'm adding you to its Slack channel #C0COMMS.",
    "👋 Welcome to *Comms*, <@U0ALICE>!",
  ]);
});
