import { expect, it } from "vitest";
import { rankUses, RecentUse } from "../../bot/recent-use.ts";

it("counts a member's read-only commands, merges them with the ledger's, and forgets on request", () => {
  const use = new RecentUse();
  use.note(1, "groups", 100);
  use.note(1, "groups", 200);
  use.note(1, "meetings", 300);
  use.note(2, "whoami", 300);
  expect(use.of(1, 0).map((u) => [u.command, u.uses])).toEqual([["groups", 2], ["meetings", 1]]);
  expect(use.of(1, 250).map((u) => u.command)).toEqual(["meetings"]); // older than the window: not counted
  // The ledger's join (3 uses) outranks groups (2); meetings and log tie at 1, the more recent first.
  expect(rankUses([{ command: "join", uses: 3, last: 50 }, { command: "log", uses: 1, last: 250 }], use.of(1, 0))).toEqual(["join", "groups", "meetings", "log"]);
  use.forget(1);
  expect(use.of(1, 0)).toEqual([]);
  expect(use.of(2, 0)).toHaveLength(1);
});

it("stays bounded: 5,000 members (the least recently seen go), 20 commands each (the one used longest ago goes)", () => {
  const use = new RecentUse();
  for (let m = 0; m < 6_000; m++) use.note(m, "groups", m);
  expect(use.of(0, 0)).toEqual([]);
  expect(use.of(999, 0)).toEqual([]);
  expect(use.of(1_000, 0)).toHaveLength(1);
  for (let c = 0; c < 30; c++) for (let i = 0; i <= c; i++) use.note(7_000, `c${c}`, 10 * c + i);
  const kept = use.of(7_000, 0).map((u) => u.command);
  expect(kept).toHaveLength(20);
  expect(kept).toEqual(Array.from({ length: 20 }, (_, i) => `c${i + 10}`));
});
