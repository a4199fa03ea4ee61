// A capability flow on Slack in a few lines: what the harness is for. A join
// request reaches the driver's DM with buttons; a click decides it and the
// buttons disappear.
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
  // Alice hears the answer, then her welcome into the group.
  expect(h.dmsTo("U0ALICE").map((c) => String(c.args.text).split("\n")[0])).toEqual([
    "🎉 <@U0BOB> approved your request: you're now a member of *Comms*. `/coop group comms` shows what it's up to.",
    "👋 Welcome to *Comms*, <@U0ALICE>!",
  ]);
});
