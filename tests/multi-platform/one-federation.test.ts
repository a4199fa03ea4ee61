// One coopbot process serving two platforms at once: the real Slack adapter
// (offline harness with the real Bolt) and the console adapter, one
// database, one scheduler, one outbox.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { ConsoleAdapter } from "../../adapters/console/adapter.ts";
import { type ConsoleLine } from "../../adapters/console/render.ts";
import { SlackHarness } from "../slack/harness.ts";

const config = {
  admins: ["slack:UADMIN", "console:admin"],
  groups: [{ slug: "comms", name: "Communications Group", kind: "working", drivers: ["slack:UADMIN"], rooms: ["slack:C0COMMS", "console:comms"] }],
};

let h: SlackHarness;
let lines: ConsoleLine[];
let consoleAdapter: ConsoleAdapter;

async function start(): Promise<void> {
  h = await SlackHarness.start({ config, channels: { C0COMMS: { name: "comms", isPrivate: false } } });
  lines = [];
  consoleAdapter = new ConsoleAdapter(h.clock, () => "Europe/London", (line) => lines.push(line), new Map());
  h.bot.attach(consoleAdapter);
  await consoleAdapter.start(h.bot);
}

afterEach(async () => h?.close());

/** `member` types on the console, in `room` (a DM unless named). */
async function onConsole(member: string, text: string, room = `dm:${member}`): Promise<string[]> {
  const before = lines.length;
  h.bot.receive(consoleAdapter.eventFor(member, room, room.startsWith("dm:") ? text : `/${text}`, randomUUID()));
  await h.settle();
  return lines.slice(before).map((l) => l.text);
}

const slackTexts = (channel: string) => h.posts(channel).map((c) => String(c.args.text));

/** alice's console account asks for a code, her Slack account types it, and both accept. */
async function linkAliceToSlack(): Promise<void> {
  await onConsole("alice", "link slack");
  const code = lastCode();
  await h.slash("U0ALICE", "C0COMMS", `link confirm ${code}`);
  await h.slash("U0ALICE", "C0COMMS", `link accept ${code}`);
  await onConsole("alice", `link accept ${code}`);
}

/** The newest one-time link code the console was given. */
function lastCode(): string {
  const codes = [...lines.map((l) => l.text).join("\n").matchAll(/\*([0-9A-Z]{4}-[0-9A-Z]{4})\*/g)];
  if (codes.length === 0) throw new Error("no link code was sent");
  return codes.at(-1)![1]!;
}

describe("one federation on Slack and the console at once", () => {
  it("posts a group's meeting reminder once in each of its rooms", async () => {
    await start();
    await h.slash("UADMIN", "C0COMMS", 'meeting schedule comms "Brand review" 2026-08-18 11:00 --remind 1h');
    const announcements = lines.filter((l) => l.room === "comms").length;
    await h.advance(25 * 3600_000);
    const consoleReminders = lines.filter((l) => l.room === "comms" && l.text.startsWith("⏰"));
    const slackReminders = slackTexts("C0COMMS").filter((t) => t.startsWith("⏰"));
    expect(consoleReminders).toHaveLength(1);
    expect(slackReminders).toHaveLength(1);
    expect(consoleReminders[0]!.buttons.map((b) => b.label)).toEqual(["Yes", "No", "Maybe"]);
    expect(announcements).toBe(1);
  });

  it("counts once what a member linked on both platforms does on either", async () => {
    await start();
    await h.slash("U0BOB", "C0COMMS", "whoami");
    await linkAliceToSlack();
    // Logged on Slack, thanks given on the console: one member's record.
    await h.slash("U0ALICE", "C0COMMS", "log posted the autumn leaflet --group comms");
    await onConsole("alice", "thanks @U0BOB for the leaflet photos");
    const verified = await h.slash("UADMIN", "C0COMMS", "verify A-1");
    expect(verified.report?.result?.outcome).toBe("ok");
    const [contributions] = await onConsole("alice", "contributions");
    expect(contributions).toContain("A-1");
    expect(contributions).toContain("posted the autumn leaflet");
    const ids = h.bot.db.$client.prepare("select distinct member_id as id from identities where platform_id in ('alice', 'U0ALICE')").all();
    expect(ids).toHaveLength(1);
    const thanks = h.bot.db.$client.prepare("select giver_id as giver from thanks").all() as { giver: number }[];
    expect(thanks).toEqual([{ giver: (ids[0] as { id: number }).id }]);
  });

  it("shows on Slack that a request was decided on the console", async () => {
    await start();
    // The group has a driver on each platform; a request goes to both.
    await onConsole("sam", "whoami");
    await onConsole("admin", "group driver add comms @sam");
    await onConsole("alice", "join comms I can write copy");
    const [slackCard] = h.dmsTo("UADMIN").filter((c) => String(c.args.text).includes("would like to join"));
    expect(h.buttonsOf(slackCard!).map((b) => b.label)).toEqual(["Approve", "Decline"]);
    await onConsole("sam", "approve 1");
    const updated = h.latest(slackCard!);
    expect(updated.text).toContain("approved");
    expect(h.buttonsOf(updated)).toEqual([]);
    // A late click on Slack (on the copy still on screen) is told it was already decided, and changes nothing.
    const before = h.bot.db.$client.prepare("select state, decided_by from join_requests").all();
    const late = await h.click("UADMIN", slackCard!, "Approve");
    expect(late.report?.result?.outcome).toBe("refused");
    expect(h.dmsTo("UADMIN").at(-1)?.args.text).toMatch(/already approved by <@|already approved by \*?@?sam/);
    expect(h.bot.db.$client.prepare("select state, decided_by from join_requests").all()).toEqual(before);
  });

  it("sends a member's private messages to their preferred platform when nothing else says where", async () => {
    await start();
    await linkAliceToSlack();
    await onConsole("alice", "profile set platform slack");
    await onConsole("alice", "remind me 1h water the office plants");
    await h.advance(3600_000);
    expect(h.dmsTo("U0ALICE").map((c) => String(c.args.text))).toContainEqual(expect.stringContaining("water the office plants"));
    expect(lines.filter((l) => l.text.startsWith("⏰ Reminder"))).toEqual([]); // the reminder itself (the console only got the confirmation)
  });

  it("takes a link code once, and not after 15 minutes", async () => {
    await start();
    await onConsole("alice", "link slack");
    const code = lastCode();
    await h.slash("U0BOB", "C0COMMS", `link confirm ${code}`);
    await h.slash("U0ALICE", "C0COMMS", `link confirm ${code}`);
    expect(h.privateReplies("U0ALICE").at(-1)).toMatch(/isn't valid/);
    await onConsole("carol", "link slack");
    const late = lastCode();
    h.clock.advance(15 * 60_000 + 1);
    await h.slash("U0ALICE", "C0COMMS", `link confirm ${late}`);
    expect(h.privateReplies("U0ALICE").at(-1)).toMatch(/isn't valid/);
  });

  it("keeps the console's messages flowing while Slack is unreachable, and sends Slack's when it returns", async () => {
    await start();
    await h.fake.goOffline("refuse");
    // An announcement to the group reaches both rooms: the console at once, Slack later.
    await onConsole("admin", 'meeting schedule comms "Outage-proof sync" 2026-08-19 10:00', "comms");
    expect(lines.filter((l) => l.room === "comms" && l.text.startsWith("📅 New meeting"))).toHaveLength(1);
    expect(slackTexts("C0COMMS").filter((t) => t.includes("Outage-proof sync"))).toHaveLength(0);
    await h.fake.comeBack();
    await h.advance(60_000);
    await h.waitFor(() => slackTexts("C0COMMS").some((t) => t.includes("Outage-proof sync")), { what: "the Slack copy after the outage" });
    expect(slackTexts("C0COMMS").filter((t) => t.includes("Outage-proof sync"))).toHaveLength(1);
  });
});
