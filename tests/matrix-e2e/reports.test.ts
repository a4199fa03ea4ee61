/**
 * Reports on Matrix, for real: `progress --chart` typed in a room puts an
 * `m.image` there, its bytes in Synapse's media repository (downloaded back
 * and decoded as a PNG) and its figures as the caption people and screen
 * readers get; `export civicrm` sends the admin two `m.file` CSVs in their
 * DM, never the room; `dashboard` sends its private link by DM.
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodePng, pixelsUnlikeBackground } from "../helpers/png.ts";
import { HS, MatrixE2E } from "./harness.ts";

let h: MatrixE2E;
let room = "";

beforeAll(async () => {
  h = await MatrixE2E.start({ startBot: false });
  await h.startBot({ config: { http: { port: 0, publicUrl: "https://bot.example.org" } } });
  room = await h.createRoom("admin", { name: "General", invite: ["alice", "bob"] });
});

afterAll(async () => {
  await h?.teardown();
});

/** A file's bytes from the media repository, as a client downloads them (authenticated media, else the older path). */
async function download(mxc: string, token: string): Promise<Buffer> {
  const [, server, id] = /^mxc:\/\/([^/]+)\/(.+)$/.exec(mxc)!;
  for (const path of [`/_matrix/client/v1/media/download/${server}/${id}`, `/_matrix/media/v3/download/${server}/${id}`]) {
    const res = await fetch(HS + path, { headers: { authorization: `Bearer ${token}` } });
    if (res.ok) return Buffer.from(await res.arrayBuffer());
  }
  throw new Error(`could not download ${mxc}`);
}

/** The page a link in a message opens, from this test's bot (its `publicUrl` stands for the bot's own HTTP server). */
async function openPage(body: string): Promise<string> {
  const path = /\nhttps:\/\/bot\.example\.org(\/dashboard\/\d+\.[0-9a-z]+\.[\w-]{32})\n/.exec(body)?.[1];
  if (!path) throw new Error("no dashboard link in the message");
  const res = await fetch(`http://127.0.0.1:${h.bot.httpAddress()!.port}${path}`);
  expect(res.status).toBe(200);
  return res.text();
}

describe("reports on Matrix (real Synapse)", () => {
  it("progress --chart posts an m.image to the room: a PNG in the media repository, the figures as its caption", { timeout: 60_000 }, async () => {
    await h.say("alice", room, "!coop progress --chart");
    const image = await h.waitForMessage("bob", room, (m) => m.content.msgtype === "m.image");
    const { content } = image;
    expect(content.filename).toMatch(/^progress-\d{4}-\d{2}-\d{2}\.png$/);
    expect(content.body).toMatch(/^📊 Progress against our targets, since the start \(as of .+\)\n\nProgress against our targets \(since the start, as of .+\)\. Active peer networks \(met, with attendance recorded\): 0 of 12 · 0%\. Peer network participants \(attended a network meeting\): 0 of 150 · 0%\. Peer network members \(joined a network\): 0 \(no target set\)\./);
    expect(content.body).toContain("Activists carrying out actions (members with verified actions): 0 of 50 · 0%.");
    expect(content.url).toMatch(/^mxc:\/\//);
    expect(content.info).toMatchObject({ mimetype: "image/png", w: expect.any(Number), h: expect.any(Number) });

    const bytes = await download(content.url, h.person("bob").token);
    expect(bytes.length).toBe(content.info.size);
    const png = decodePng(bytes);
    expect([png.width, png.height]).toEqual([content.info.w, content.info.h]);
    expect(png.width).toBeGreaterThanOrEqual(800);
    expect(pixelsUnlikeBackground(png)).toBeGreaterThan(png.width * png.height * 0.02);
  });

  it("export civicrm sends the admin two CSV files in their DM, and nothing to the room", { timeout: 60_000 }, async () => {
    await h.say("admin", room, "!coop export civicrm");
    const activities = await h.waitForMessage("admin", "dm", (m) => m.content.msgtype === "m.file" && String(m.content.filename).startsWith("civicrm-activities-"));
    const contacts = (await h.messages("admin", "dm")).find((m) => m.content.msgtype === "m.file" && String(m.content.filename).startsWith("civicrm-contacts-"))!;
    expect(contacts.content.info.mimetype).toBe("text/csv");
    const rows = parse(await download(contacts.content.url, h.person("admin").token), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => r["External Identifier"])).toContain(`matrix:${h.person("admin").userId}`);
    expect(rows.map((r) => r["External Identifier"])).toContain(`matrix:${h.person("alice").userId}`);
    const header = parse(await download(activities.content.url, h.person("admin").token), { to_line: 1 }) as string[][];
    expect(header[0]).toEqual(["External Identifier", "Activity Type", "Subject", "Activity Date", "Duration", "Activity Status", "Group", "Category", "Source External Identifier", "coopbot Reference"]);
    // The room saw none of it.
    const inRoom = await h.messages("alice", room);
    expect(inRoom.filter((m) => m.content.msgtype === "m.file" || String(m.content.body).includes("CiviCRM"))).toEqual([]);
  });

  it("dashboard gives a driver and an admin their private links by DM, each opening their own page of charts", { timeout: 60_000 }, async () => {
    await h.say("bob", room, "!coop dashboard");
    const link = await h.waitForMessage("bob", "dm", (m) => String(m.content.body).startsWith("📊 Your dashboard link"));
    expect(link.content.body).toContain("Communications Group, Mobilising Group"); // the plain body: no markup characters
    const driverPage = await openPage(link.content.body);
    expect(driverPage).toContain("For bob, driver of Communications Group, Mobilising Group");
    expect(driverPage).not.toContain("Leeds network");
    expect(driverPage).not.toContain("Co-op Clinic");

    await h.say("admin", room, "!coop dashboard");
    const adminLink = await h.waitForMessage("admin", "dm", (m) => String(m.content.body).startsWith("📊 Your dashboard link"));
    const adminPage = await openPage(adminLink.content.body);
    expect(adminPage).toContain("as an admin: the whole federation");
    expect(adminPage).toContain("Leeds network");
    expect(adminPage.match(/<svg [^>]*role="img"/g)?.length).toBeGreaterThan(10);
  });
});
