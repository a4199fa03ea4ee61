// Reports on Slack, through the real Bolt and the real WebClient's
// files.uploadV2 (upload URL asked for, bytes sent there, upload completed
// into the channel): `progress --chart` puts a PNG in the channel it was
// typed in, with the figures as its alt text; `export civicrm` puts two CSV
// files in the admin's DM, never the channel; `dashboard` sends its link by
// DM. The bytes are read back as the people there would get them.
import { parse } from "csv-parse/sync";
import { afterEach, describe, expect, it } from "vitest";
import { decodePng, pixelsUnlikeBackground } from "../helpers/png.ts";
import { SlackHarness } from "./harness.ts";

const USERS = {
  UADMIN: { name: "ada", displayName: "Ada" },
  U0SAM: { name: "sam", displayName: "Sam" },
  U0ALICE: { name: "alice", displayName: "Alice" },
};
const CONFIG = {
  http: { port: 0, publicUrl: "https://bot.example.org" },
  groups: [{ slug: "comms", name: "Communications Group", kind: "working", rooms: ["slack:C0COMMS"], drivers: ["slack:U0SAM"] }],
};

let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A verified action, so the chart and the export have something in them. */
async function oneVerifiedAction(slack: SlackHarness): Promise<void> {
  await slack.slash("U0ALICE", "C0COMMS", "log posted the autumn leaflet --group comms --hours 1");
  await slack.slash("U0SAM", "C0COMMS", "verify A-1");
}

describe.each(["http", "socket"] as const)("reports on Slack (%s)", (mode) => {
  it("progress --chart uploads a PNG into the channel with files.uploadV2, its alt text the figures", async () => {
    h = await SlackHarness.start({ mode, users: USERS, channels: { C0COMMS: { name: "comms" } }, config: CONFIG });
    await oneVerifiedAction(h);

    await h.slash("U0ALICE", "C0COMMS", "progress --chart");

    // The three steps of files.uploadV2, with the bot's token.
    const steps = h.fake.calls.filter((c) => ["files.getUploadURLExternal", "upload", "files.completeUploadExternal"].includes(c.method));
    expect(steps.map((c) => [c.method, c.token])).toEqual([
      ["files.getUploadURLExternal", "xoxb-test-bot"],
      ["upload", "xoxb-test-bot"],
      ["files.completeUploadExternal", "xoxb-test-bot"],
    ]);
    const files = [...h.fake.files.values()];
    expect(files).toHaveLength(1);
    const file = files[0]!;
    expect(file).toMatchObject({ channel: "C0COMMS", filename: "progress-2026-08-17.png", title: "progress-2026-08-17.png", initial_comment: "📊 *Progress against our targets*, since the start (as of 17 Aug 2026)" });
    expect(file.alt_text).toContain("Activists carrying out actions (members with verified actions): 1 of 50 · 2%");

    const png = decodePng(file.bytes!);
    expect(file.length).toBe(file.bytes!.length);
    expect(png.width).toBeGreaterThanOrEqual(800);
    expect(png.height).toBeGreaterThanOrEqual(400);
    expect(pixelsUnlikeBackground(png)).toBeGreaterThan(png.width * png.height * 0.02);
    // A picture for everyone in the channel, and no text message besides it.
    expect(h.posts("C0COMMS")).toEqual([]);
  });

  it("export civicrm sends two CSV files to the admin's DM, not the channel, holding exactly the bot's records", async () => {
    h = await SlackHarness.start({ mode, users: USERS, channels: { C0COMMS: { name: "comms" } }, config: CONFIG });
    await oneVerifiedAction(h);

    await h.slash("UADMIN", "C0COMMS", "export civicrm");

    expect(h.privateReplies("UADMIN")).toEqual(["I've sent the files to you in a direct message: they name people, so they stay out of rooms."]);
    expect(h.dmsTo("UADMIN").map((c) => c.args.text)).toEqual([expect.stringMatching(/^📦 The CiviCRM export, in the next two messages: contacts first/)]);
    const files = [...h.fake.files.values()];
    expect(files.map((f) => [f.filename, f.channel])).toEqual([
      ["civicrm-contacts-2026-08-17.csv", h.dmChannel("UADMIN")],
      ["civicrm-activities-2026-08-17.csv", h.dmChannel("UADMIN")],
    ]);
    // No alt text on a file that isn't a picture; the comment says what it is.
    expect(files[0]!.alt_text).toBeUndefined();
    expect(files[0]!.initial_comment).toMatch(/^📄 \*civicrm-contacts-2026-08-17\.csv\*: 3 contacts \(import these first\)/);

    const contacts = parse(files[0]!.bytes!.toString("utf8"), { columns: true }) as Record<string, string>[];
    expect(contacts.map((c) => c["External Identifier"]).sort()).toEqual(["slack:U0ALICE", "slack:U0SAM", "slack:UADMIN"]);
    expect(contacts.find((c) => c["External Identifier"] === "slack:U0SAM")).toMatchObject({ "First Name": "Sam", Roles: "driver of Communications Group" });
    const activities = parse(files[1]!.bytes!.toString("utf8"), { columns: true }) as Record<string, string>[];
    expect(activities).toEqual([
      expect.objectContaining({ "External Identifier": "slack:U0ALICE", "Activity Type": "Federation action", "Activity Date": "2026-08-17 09:00", Duration: "60", "Activity Status": "Completed", Group: "Communications Group", "coopbot Reference": "A-1" }),
    ]);
    // Nothing anyone wrote in chat: the action's own words stay in the bot.
    expect(files.map((f) => f.bytes!.toString("utf8")).join("")).not.toContain("autumn leaflet");
  });

  it("a member can't export, and nothing is uploaded", async () => {
    h = await SlackHarness.start({ mode, users: USERS, channels: { C0COMMS: { name: "comms" } }, config: CONFIG });
    await h.slash("U0ALICE", "C0COMMS", "export civicrm");
    expect(h.privateReplies("U0ALICE")).toEqual(["Sorry, `export civicrm` is for admins."]);
    expect(h.fake.files.size).toBe(0);
  });

  it("dashboard sends a driver their private link by DM", async () => {
    h = await SlackHarness.start({ mode, users: USERS, channels: { C0COMMS: { name: "comms" } }, config: CONFIG });
    await h.slash("U0SAM", "C0COMMS", "dashboard");
    expect(h.privateReplies("U0SAM")).toEqual(["I've sent you the dashboard link in a direct message."]);
    const [dm] = h.dmsTo("U0SAM");
    expect(dm?.args.text).toMatch(/^📊 Your dashboard link, showing the federation's targets, and for \*Communications Group\*: members, meetings and recognition:\nhttps:\/\/bot\.example\.org\/dashboard\/\d+\.[0-9a-z]+\.[\w-]{32}\n/);
    expect(h.posts("C0COMMS")).toEqual([]);
    // The link opens Sam's page on the bot's own HTTP server (publicUrl stands for it here).
    const path = /https:\/\/bot\.example\.org(\/dashboard\/\S+)/.exec(String(dm!.args.text))![1];
    const page = await fetch(`http://127.0.0.1:${h.bot.httpAddress()!.port}${path}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("For Sam, driver of Communications Group: the federation's targets and your groups.");
  });
});
