// Exactly one decision per action: the decision is one conditional UPDATE,
// so of two drivers acting at once — even from two processes on one
// database — one wins and the other is told, and nothing is doubled.
import { afterEach, describe, expect, it } from "vitest";
import { decideAction, getAction, trailOf } from "../../db/actions.ts";
import { TestBot } from "../helpers/bot.ts";
import { actionsBot, GROUPS, JOBS, meet, memberId } from "./helpers.ts";

const bots: TestBot[] = [];
afterEach(async () => {
  for (const b of bots.splice(0)) await b.close();
});

const track = (b: TestBot) => (bots.push(b), b);

describe("two drivers deciding one action", () => {
  it("lets the first click win; the second driver is told and nothing is sent or written twice", async () => {
    const t = track(actionsBot());
    await meet(t, "alice", "sam", "kim");
    await t.say("alice", "/log share-campaign the autumn leaflet --group comms");
    t.texts();

    await t.say("sam", "/verify A-1", "dm:sam");
    await t.say("kim", "/verify A-1", "dm:kim");
    const texts = t.texts();
    expect(texts.filter((x) => x.startsWith("✅ @sam verified your action A-1"))).toHaveLength(1);
    expect(texts).toContain("A-1 was already verified by @sam on 17 Aug.");
    expect(trailOf(t.db, 1).map((e) => e.what)).toEqual(["logged", "verified"]);
    expect(getAction(t.db, 1)).toMatchObject({ state: "verified", decidedBy: memberId(t, "sam") });
  });

  it("refuses a verify racing a reject: the reject that lost changes nothing", async () => {
    const t = track(actionsBot());
    await meet(t, "alice", "sam", "kim");
    await t.say("alice", "/log share-campaign the autumn leaflet --group comms");
    await t.say("kim", "/reject A-1 that was last month's leaflet", "dm:kim");
    t.texts();
    await t.say("sam", "/verify A-1", "dm:sam");
    expect(t.texts()).toEqual(["A-1 was already rejected by @kim on 17 Aug."]);
    expect(getAction(t.db, 1)).toMatchObject({ state: "rejected", reason: "that was last month's leaflet" });
  });

  it("makes the conditional UPDATE the arbiter when both read 'pending' before either wrote (two processes, one database)", async () => {
    const first = track(actionsBot());
    await meet(first, "alice", "sam", "kim");
    await first.say("alice", "/log share-campaign the autumn leaflet --group comms");
    // A second bot process on the same database file.
    const second = track(new TestBot({ dir: first.dir, config: { groups: GROUPS, actions: { jobs: JOBS } } }));

    // Both processes see the action pending...
    expect(getAction(first.db, 1)!.state).toBe("pending");
    expect(getAction(second.db, 1)!.state).toBe("pending");
    // ...and both try to decide it: only one UPDATE changes the row.
    const sam = memberId(first, "sam");
    const kim = memberId(first, "kim");
    const wonBySam = decideAction(first.db, 1, { state: "verified", by: sam, reason: null, now: first.clock.now() });
    const wonByKim = decideAction(second.db, 1, { state: "rejected", by: kim, reason: "duplicate", now: second.clock.now() });
    expect([wonBySam, wonByKim]).toEqual([true, false]);
    expect(getAction(second.db, 1)).toMatchObject({ state: "verified", decidedBy: sam, reason: null });
    expect(trailOf(second.db, 1).map((e) => e.what)).toEqual(["logged", "verified"]);
  });

  it("cancels the week-later nudge once decided, so the drivers aren't nagged about settled work", async () => {
    const t = track(actionsBot());
    await meet(t, "alice", "sam", "kim");
    await t.say("alice", "/log share-campaign the autumn leaflet --group comms");
    await t.say("alice", "/log contact-coop rang the bakery --group comms");
    await t.say("kim", "/verify A-1", "dm:kim");
    t.texts();
    await t.advance(7 * 24 * 3600_000);
    const nudges = t.texts();
    expect(nudges).toHaveLength(2); // A-2 only: to sam and to kim
    expect(nudges.every((n) => n.startsWith("⏳ Waiting a week for verification: @alice logged A-2"))).toBe(true);
  });
});
