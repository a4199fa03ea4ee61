// `meeting ics` on Slack is a file (files.uploadV2 into the member's DM),
// never a wall of VCALENDAR text in the channel.
import { afterEach, expect, it } from "vitest";
import { SlackHarness } from "./harness.ts";

let h: SlackHarness;
afterEach(async () => {
  await h.close();
});

it("uploads the group's calendar as a .ics file to the asker's DM and says so privately", async () => {
  h = await SlackHarness.start({ config: { groups: [{ slug: "comms", name: "Communications Group", kind: "working", drivers: ["slack:U0BOB"] }] } });
  await h.slash("U0BOB", "C0GENERAL", 'meeting schedule comms "Newsletter sync" 2026-08-20 11:00');

  await h.slash("U0ALICE", "C0GENERAL", "meeting ics comms");

  expect(h.privateReplies("U0ALICE")).toEqual(["I've sent you the calendar file in a direct message."]);
  // The file goes to her DM with the note as its comment (files.uploadV2).
  const [file] = [...h.fake.files.values()];
  expect(file).toMatchObject({ filename: "comms.ics", channel: "D0ALICE", initial_comment: "📆 *Communications Group*'s meetings as a calendar file: open it, or import it into your calendar app." });
  expect(file!.bytes!.toString("utf8")).toContain("BEGIN:VCALENDAR");
  expect(file!.bytes!.toString("utf8")).toContain("SUMMARY:Newsletter sync");
  expect(h.fake.calls.some((c) => String(c.args.text ?? "").includes("BEGIN:VCALENDAR"))).toBe(false);
});
