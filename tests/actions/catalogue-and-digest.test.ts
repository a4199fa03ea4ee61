// The catalogue seed, the config section, the weekly digest's scheduling,
// and the reports that must never rank people.
import { afterEach, describe, expect, it } from "vitest";
import { defineCapability } from "../../bot/capability.ts";
import { findJobBySlug } from "../../db/actions.ts";
import { jobsLike } from "../../db/jobs.ts";
import { capabilities } from "../../commands/index.ts";
import { TestBot } from "../helpers/bot.ts";
import { actionsBot, GROUPS, JOBS, meet } from "./helpers.ts";

let t: TestBot;
afterEach(async () => t?.close());

const DAY = 24 * 3600_000;
const digest = { room: "console:general", weekday: "friday", time: "16:00" };
const pendingDigests = () => jobsLike(t.db, "actions.digest:").filter((j) => j.state === "pending").map((j) => j.key);

describe("the catalogue seed", () => {
  it("creates the config's jobs and the automatic ones, follows the config for untouched jobs, and keeps chat edits", async () => {
    t = actionsBot();
    expect(findJobBySlug(t.db, "attend-meeting")?.title).toBe("Attend a meeting");
    await t.say("admin", "/job edit contact-coop --weight 4");
    await t.say("admin", '/job add stall "Run a stall" --journey motivate --weight 2');
    await t.close({ keep: true });

    const changed = JOBS.map((j) => ({ ...j, weight: 7 }));
    t = new TestBot({ dir: t.dir, config: { groups: GROUPS, actions: { jobs: changed } } });
    expect(findJobBySlug(t.db, "share-campaign")?.weight).toBe(7); // untouched: follows the config
    expect(findJobBySlug(t.db, "contact-coop")?.weight).toBe(4); // edited in chat: kept
    expect(findJobBySlug(t.db, "stall")?.origin).toBe("chat");
  });

  it("is idempotent: starting twice on the same config changes nothing (digest job included)", async () => {
    t = actionsBot({ actions: { digest } });
    const before = t.snapshot();
    await t.close({ keep: true });
    t = actionsBot({ dir: t.dir, actions: { digest } });
    expect(t.snapshot()).toEqual(before);
  });

  it("refuses a config with a bad journey, a reserved slug or two jobs with one slug", () => {
    const bad = (jobs: unknown[]) => () => new TestBot({ config: { actions: { jobs } } });
    expect(bad([{ slug: "x", title: "X", journey: "dance" }])).toThrow(/actions\.jobs\.0\.journey/);
    expect(bad([{ slug: "edit", title: "X", journey: "educate" }])).toThrow(/can't be job slugs/);
    expect(bad([{ slug: "x", title: "X", journey: "educate" }, { slug: "x", title: "Y", journey: "educate" }])).toThrow(/two jobs have the same slug/);
    expect(() => new TestBot({ config: { actions: { digest: { ...digest, time: "4pm" } } } })).toThrow(/actions\.digest\.time: HH:MM/);
  });
});

describe("the weekly digest", () => {
  it("is scheduled for the next configured weekday and time, and moves when the config changes", async () => {
    t = actionsBot({ actions: { digest } }); // Monday 17 Aug 2026, 09:00
    expect(pendingDigests()).toEqual(["actions.digest:console:general:friday@16:00:2026-08-21T16:00"]);
    await t.close({ keep: true });
    t = actionsBot({ dir: t.dir, actions: { digest: { ...digest, weekday: "monday", time: "10:00" } } });
    expect(pendingDigests()).toEqual(["actions.digest:console:general:monday@10:00:2026-08-17T10:00"]);
    await t.close({ keep: true });
    t = actionsBot({ dir: t.dir });
    expect(pendingDigests()).toEqual([]);
  });

  it("posts on Friday afternoon, then again a week later, celebrating people without counting their actions", async () => {
    t = actionsBot({ actions: { digest } });
    await meet(t, "zed", "amy", "sam");
    for (let i = 0; i < 6; i++) await t.say("zed", `/log share-campaign post ${i} --group comms`);
    await t.say("amy", "/log contact-coop rang the bakery --group comms");
    for (let i = 1; i <= 7; i++) await t.say("sam", `/verify A-${i}`);
    await t.say("amy", "/thanks @zed for all those posts");
    t.take();
    await t.advance(4 * DAY + 7 * 3600_000);
    const [post] = t.take();
    expect(post).toMatch(/^\[2026-08-21 16:00\] bot -> general: 🌻 \*This week in the federation\*/);
    expect(post).toContain("2 people did verified work for the federation: @amy, @zed.");
    expect(post).toContain("👀 Quiet work worth a thank-you: @amy.");
    expect(post).not.toMatch(/\b(6|7) (actions|points)\b/);
    // A quiet week posts nothing; the next one is still scheduled.
    await t.advance(7 * DAY);
    expect(t.take()).toEqual([]);
    expect(pendingDigests()).toEqual(["actions.digest:console:general:friday@16:00:2026-09-04T16:00"]);
  });

  it("sends a digest that fell due while the bot was down if it is only a little late, and skips a stale one", async () => {
    t = actionsBot({ actions: { digest } });
    await meet(t, "amy", "sam");
    await t.say("amy", "/log contact-coop rang the bakery --group comms");
    await t.say("sam", "/verify A-1");
    t.take();
    await t.close({ keep: true });

    // Back on Friday at 20:00: four hours late, still this week's digest.
    t = actionsBot({ dir: t.dir, actions: { digest }, start: "2026-08-21T20:00" });
    await t.advance(0);
    expect(t.take()).toEqual([expect.stringMatching(/^\[2026-08-21 20:00\] bot -> general: 🌻/)]);
    await t.close({ keep: true });

    // Down over the next Friday until Sunday: too late, skipped; the one after is scheduled.
    t = actionsBot({ dir: t.dir, actions: { digest }, start: "2026-08-30T10:00" });
    await t.advance(0);
    expect(t.take()).toEqual([]);
    expect(jobsLike(t.db, "actions.digest:").map((j) => [j.key.slice(-16), j.state])).toEqual([
      ["2026-08-21T16:00", "done"],
      ["2026-08-28T16:00", "skipped"],
      ["2026-09-04T16:00", "pending"],
    ]);
  });
});

describe("reports never rank people", () => {
  it("lists contributors alphabetically in recognition, whatever their volume, and names the unthanked quiet ones", async () => {
    t = actionsBot();
    await meet(t, "zed", "amy", "mo", "sam", "admin");
    for (let i = 0; i < 8; i++) await t.say("zed", `/log share-campaign post ${i} --group comms`);
    await t.say("mo", "/log welcome-newcomer said hello --group comms");
    await t.say("amy", "/log contact-coop rang the bakery --group comms");
    for (let i = 1; i <= 10; i++) await t.say("sam", `/verify A-${i}`);
    await t.say("mo", "/thanks @zed for the posts");
    t.texts();
    await t.say("admin", "/recognition");
    const report = t.texts()[0]!;
    expect(report).toContain("3 people did verified work (alphabetical — not a ranking): @amy, @mo, @zed");
    expect(report).toContain("Not yet thanked this period: @amy, @mo");
    expect(report).toContain("Motivate 10 actions by 3 people");
  });

  it("has no leaderboard unless the config turns one on; then it orders by points that reward breadth", async () => {
    t = actionsBot();
    await t.say("amy", "/leaderboard");
    expect(t.texts()[0]).toMatch(/^I don't know `leaderboard`/);
    await t.close();

    t = actionsBot({ actions: { leaderboard: true } });
    await meet(t, "zed", "amy", "sam");
    for (let i = 0; i < 8; i++) await t.say("zed", `/log share-campaign post ${i} --group comms`);
    await t.say("amy", "/log share-campaign the leaflet --group comms");
    await t.say("amy", "/log welcome-newcomer said hello --group comms");
    for (let i = 1; i <= 10; i++) await t.say("sam", `/verify A-${i}`);
    t.texts();
    await t.say("amy", "/leaderboard");
    // zed: 1 + ½ + ¼ + ... (8 shares) = 1.99; amy: 1 (share) + 2 (welcome) = 3.
    expect(t.texts()[0]).toBe("*Leaderboard — August 2026* (points reward breadth: /help contributions)\n1. @amy 3\n2. @zed 1.99");
  });
});

describe("progress", () => {
  it("shows a figure for every registered metric and 'not tracked yet' for targets nobody counts", async () => {
    const webinars = defineCapability({
      name: "fake-meetings",
      metrics: [
        { key: "meetings.webinars", label: "Webinars and workshops run", compute: (_ctx, range) => (range.from === undefined ? 4 : 1) },
        { key: "meetings.rooms-booked", label: "Rooms booked", compute: () => 2 },
      ],
    });
    // Without the clinic installed, its targets are not tracked by anyone.
    t = actionsBot({ capabilities: [...capabilities.filter((c) => c.name !== "clinic"), webinars] });
    await t.say("amy", "/progress quarter");
    const lines = t.texts()[0]!.split("\n");
    expect(lines[0]).toBe("*Progress against our targets* (Q3 2026 (Jul–Sep), and since the start)");
    expect(lines).toContain("• Webinars and workshops run: 1 in Q3 2026 (Jul–Sep) · 4 since the start, of 10 (40%)");
    expect(lines).toContain("• Trained clinic triagers: not tracked yet (target 5)");
    expect(lines).toContain("• Rooms booked: 2 in Q3 2026 (Jul–Sep) · 2 since the start (no target set)");
    // The welcome's three figures (newcomers) have no target either.
    expect(lines).toContain("• Newcomers welcomed: 0 in Q3 2026 (Jul–Sep) · 0 since the start (no target set)");
    expect(lines.filter((l) => l.startsWith("• "))).toHaveLength(14);
    // Joined and attended are both shown, labelled, and read together.
    const participants = lines.findIndex((l) => l.startsWith("• Peer network participants (attended a network meeting): "));
    expect(lines[participants + 1]).toMatch(/^• Peer network members \(joined a network\): \d+ in Q3 2026/);
  });
});
