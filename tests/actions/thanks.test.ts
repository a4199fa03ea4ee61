// Thanks as data: one row per thanks and one per person named, the weight
// of repeated thanks fixed when given, and an allowance per calendar month
// in the federation's time zone.
import { afterEach, describe, expect, it } from "vitest";
import type { TestBot } from "../helpers/bot.ts";
import { actionsBot, meet, memberId } from "./helpers.ts";

let t: TestBot;
afterEach(async () => t?.close());

const rows = (sql: string) => t.db.$client.prepare(sql).all();

describe("thanks", () => {
  it("stores one thanks naming several people as one row plus one per recipient, with its #value", async () => {
    t = actionsBot();
    await meet(t, "alice", "bea", "cal");
    await t.say("alice", "/thanks @bea, @cal and @bea for the stall #solidarity");
    expect(rows("select giver_id, reason, value, public from thanks")).toEqual([{ giver_id: memberId(t, "alice"), reason: "the stall", value: "solidarity", public: 0 }]);
    expect(rows("select recipient_id, nth, weight from thanks_recipients order by recipient_id")).toEqual([
      { recipient_id: memberId(t, "bea"), nth: 1, weight: 1 },
      { recipient_id: memberId(t, "cal"), nth: 1, weight: 1 },
    ]);
  });

  it("fixes the 1/n weight when given, per giver and recipient, starting again each month", async () => {
    t = actionsBot({ start: "2026-08-31T20:00" });
    await meet(t, "alice", "bea", "cal");
    await t.say("alice", "/thanks @bea for one");
    await t.say("cal", "/thanks @bea for a different giver");
    await t.say("alice", "/thanks @bea for two");
    await t.advance(3 * 3600_000 + 30 * 60_000); // 23:30 on 31 Aug in London (22:30 UTC): still August
    await t.say("alice", "/thanks @bea for three");
    await t.advance(3600_000); // 00:30 on 1 Sep in London (23:30 UTC on 31 Aug): a new month
    await t.say("alice", "/thanks @bea for four");
    const weights = rows("select t.reason, r.nth, r.weight from thanks t join thanks_recipients r on r.thanks_id = t.id order by t.id");
    expect(weights).toEqual([
      { reason: "one", nth: 1, weight: 1 },
      { reason: "a different giver", nth: 1, weight: 1 },
      { reason: "two", nth: 2, weight: 0.5 },
      { reason: "three", nth: 3, weight: 1 / 3 },
      { reason: "four", nth: 1, weight: 1 },
    ]);
  });

  it("counts each person named against the allowance, which resets on the 1st in the federation's zone", async () => {
    t = actionsBot({ start: "2026-08-31T22:00", actions: { allowance: 3 } });
    await meet(t, "alice", "bea", "cal", "dee");
    await t.say("alice", "/thanks @bea @cal for the stall");
    t.texts();
    await t.say("alice", "/thanks @dee @bea for the tea");
    expect(t.texts()).toEqual(["You have 1 of your 3 thanks left for August 2026, and this one names 2 people. Thank fewer people, or wait for the 1st."]);
    await t.advance(2 * 3600_000); // midnight in London
    await t.say("alice", "/thanks @dee @bea for the tea");
    expect(t.texts().at(-1)).toBe("Thanks sent privately to @dee and @bea. (Add --public to post it here.) You have 1 of 3 left for September 2026.");
  });
});
