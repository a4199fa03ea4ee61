// Personal calendar feeds: each member's own link to a group's meetings,
// served by the real HTTP server and checked against who the member is now
// on every request. Only a SHA-256 of each token is in the database.
import { createHash } from "node:crypto";
import { existsSync, readFileSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { FEED_KEY_FILE } from "../../commands/meetings/feed-token.ts";
import { mergeCoreMember } from "../../db/identity.ts";
import type { ConsoleLine } from "../../adapters/console/render.ts";
import type { TestBot } from "../helpers/bot.ts";
import { groupId, meetingsBot, rows, withContext } from "./helpers.ts";

const HTTP = { http: { port: 0, publicUrl: "https://bot.example.org/" } };
const GROUP = "business-planning";

let t: TestBot;
afterEach(async () => t?.close());

async function start(config: Record<string, unknown> = HTTP, dir?: string): Promise<void> {
  t = meetingsBot({ config, dir });
  await t.bot.start({ schedulerIntervalMs: 3600_000 });
}

/** A group with a meeting, and alice and bob added to it by its driver. */
async function groupWithMembers(): Promise<void> {
  await start();
  await t.say("robin", `/meeting schedule ${GROUP} "Check-in" every fortnight on monday at 11:00 --where https://meet.example.org/bp`, GROUP);
  await t.say("robin", "/confirm", GROUP);
  await t.say("robin", `/group add ${GROUP} @alice`, GROUP);
  await t.say("robin", `/group add ${GROUP} @bob`, GROUP);
  t.lines.splice(0);
}

/** What the bot sent while `member` typed `text` in `room`. */
async function ask(member: string, text: string, room: string): Promise<ConsoleLine[]> {
  await t.say(member, text, room);
  return t.lines.splice(0);
}

const TOKEN = new RegExp(`https://bot\\.example\\.org/calendar/${GROUP}\\.ics\\?token=([\\w-]+)`);

/** The token in the one message of `lines` that carries a link. */
function tokenIn(lines: ConsoleLine[]): string {
  const links = lines.map((l) => TOKEN.exec(l.text)?.[1]).filter((x) => x !== undefined);
  expect(links).toHaveLength(1);
  return links[0]!;
}

async function linkOf(member: string): Promise<string> {
  return tokenIn(await ask(member, `meeting feed ${GROUP}`, `dm:${member}`));
}

const get = (path: string) => fetch(`http://127.0.0.1:${t.bot.httpAddress()!.port}${path}`);
const feed = (token: string, slug = GROUP) => get(`/calendar/${slug}.ics?token=${encodeURIComponent(token)}`);
const statusOf = async (token: string) => (await feed(token)).status;
/** The answer to a path that doesn't exist: every refused token must look exactly like it. */
const notFoundBody = async () => (await get("/nothing-here")).text();

async function expectNotFound(res: Response, what: string): Promise<void> {
  expect(res.status, what).toBe(404);
  expect(await res.text(), what).toBe(await notFoundBody());
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");
const memberId = (name: string) => (t.db.$client.prepare("select member_id as id from identities where platform = 'console' and platform_id = ?").get(name) as { id: number }).id;
const feeds = () => rows(t, "calendar_feeds");

/** A token that is certainly not `token`: its last character changed to a different one. */
const flipped = (token: string) => token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");

describe("meeting feed", () => {
  it("gives a member their own link privately (a DM when asked in a room), and the same one when asked again", async () => {
    await groupWithMembers();
    const lines = await ask("alice", `/meeting feed ${GROUP}`, GROUP);
    // Nothing is said in the room: the link goes to her DM, and the note that it did only to her.
    expect(lines.map((l) => [l.room, l.private])).toEqual([
      ["dm:alice", true],
      [GROUP, true],
    ]);
    expect(lines[1]!.text).toBe("I've sent you the calendar link in a private message.");
    const dm = lines[0]!.text;
    expect(dm).toContain("Your calendar link for *Business Planning Group*");
    expect(dm).toContain("It's yours alone (each member gets their own), so keep it to yourself.");
    expect(dm).toContain(`/meeting feed ${GROUP} --reset gives you a new one and this one stops working`);
    const token = tokenIn(lines);
    expect(token).toMatch(/^[\w-]{32}$/);

    // Only the hash is kept: the token is nowhere in the tables (the outbox's copy of the message goes once it is sent: below).
    expect(feeds()).toEqual([{ member_id: memberId("alice"), group_id: groupId(t, GROUP), token_hash: sha256(token), nonce: expect.any(String), created_at: t.clock.now() }]);
    expect(JSON.stringify(t.snapshot())).not.toContain(token);

    const before = feeds();
    const again = await ask("alice", `meeting feed ${GROUP}`, "dm:alice");
    expect(again.map((l) => l.room)).toEqual(["dm:alice"]);
    expect(again[0]!.text).toContain("(the same one as before)");
    expect(tokenIn(again)).toBe(token);
    expect(feeds()).toEqual(before);
  });

  it("refuses people outside the group; while http.publicUrl is unset, sends the calendar file instead of a link, keeping no link", async () => {
    await groupWithMembers();
    await t.say("carol", "whoami", "dm:carol");
    t.lines.splice(0);
    const before = t.snapshot();
    expect((await ask("carol", `/meeting feed ${GROUP}`, "general")).map((l) => l.text)).toEqual([expect.stringContaining("The calendar link is for members of Business Planning Group")]);
    expect((await ask("carol", `/meeting feed ${GROUP} --reset`, "general")).map((l) => l.text)).toEqual([expect.stringContaining("The calendar link is for members of Business Planning Group")]);
    expect(t.snapshot()).toEqual(before);
    await t.close();

    await start({});
    await t.say("robin", `/group add ${GROUP} @alice`, GROUP);
    t.lines.splice(0);
    const before2 = t.snapshot();
    const answer = await ask("alice", `/meeting feed ${GROUP}`, GROUP);
    expect(answer.map((l) => [l.room, l.text, l.file?.name])).toEqual([
      ["dm:alice", expect.stringContaining("Calendar links that stay up to date need the bot's web address, which an admin sets (`http.publicUrl` in the config)"), `${GROUP}.ics`],
      [GROUP, "I've sent you the calendar file in a direct message.", undefined],
    ]);
    // No feed link is made; the only new row is the job that drops the file's bytes from the outbox once it is sent.
    const after = t.snapshot();
    expect(after.calendar_feeds).toEqual(before2.calendar_feeds);
    expect((after.jobs as { kind: string }[]).slice((before2.jobs as unknown[]).length).map((j) => j.kind)).toEqual(["core.drop-file-bytes"]);
  });

  it("says in help that the link is personal and how to reset it", async () => {
    await start();
    const [help] = (await ask("alice", "help meeting feed", "dm:alice")).map((l) => l.text);
    expect(help).toContain("The link is yours alone");
    expect(help).toContain("/meeting feed <group> --reset gives you a new one and the old one stops working");
  });
});

describe("calendar feed over HTTP", () => {
  it("serves the group's calendar, meeting links included, to each member's own link", async () => {
    await groupWithMembers();
    const alice = await linkOf("alice");
    const bob = await linkOf("bob");
    expect(bob).not.toBe(alice);
    for (const token of [alice, bob]) {
      const res = await feed(token);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
      expect(res.headers.get("cache-control")).toBe("private, max-age=300");
      const body = await res.text();
      expect(body).toContain("RRULE:FREQ=WEEKLY;INTERVAL=2;BYDAY=MO");
      expect(body).toContain("LOCATION:https://meet.example.org/bp");
    }
  });

  it("answers a wrong or misplaced token with the same 404 as a path that doesn't exist", async () => {
    await groupWithMembers();
    const token = await linkOf("alice");
    const wrong = [
      [flipped(token), "last character changed"],
      [token.slice(0, -1), "one character short"],
      [`${token}A`, "one character long"],
      [token.toLowerCase() === token ? token.toUpperCase() : token.toLowerCase(), "case changed"],
      ["", "empty"],
      [sha256(token), "the stored hash itself"],
    ] as const;
    for (const [bad, what] of wrong) {
      expect(bad, what).not.toBe(token);
      await expectNotFound(await feed(bad), what);
    }
    await expectNotFound(await get(`/calendar/${GROUP}.ics`), "no token");
    await expectNotFound(await feed(token, "comms"), "another group's path");
    await expectNotFound(await feed(token, "no-such-group"), "a group that doesn't exist");
    expect(await statusOf(token)).toBe(200);
  });

  it("ends a member's link when they leave, while the others' go on", async () => {
    await groupWithMembers();
    const alice = await linkOf("alice");
    const bob = await linkOf("bob");
    expect((await ask("alice", `leave ${GROUP}`, "dm:alice")).map((l) => l.text)).toEqual(["You've left Business Planning Group."]);
    await expectNotFound(await feed(alice), "after leaving");
    expect(await statusOf(bob)).toBe(200);
    expect(feeds().map((f) => f.member_id)).toEqual([memberId("bob")]);

    // Coming back doesn't revive the old link: they ask for a new one.
    await t.say("robin", `/group add ${GROUP} @alice`, GROUP);
    expect(await statusOf(alice)).toBe(404);
    const fresh = await linkOf("alice");
    expect(fresh).not.toBe(alice);
    expect(await statusOf(fresh)).toBe(200);
  });

  it("checks membership on every request, whatever happened to the stored row", async () => {
    await groupWithMembers();
    const alice = await linkOf("alice");
    // Membership gone by a path that tells the meetings nothing: the row stays, the link still ends.
    t.db.$client.prepare("delete from group_members where member_id = ? and group_id = ?").run(memberId("alice"), groupId(t, GROUP));
    expect(feeds()).toHaveLength(1);
    await expectNotFound(await feed(alice), "no longer a member");
  });

  it("ends a member's link when a driver removes them", async () => {
    await groupWithMembers();
    const alice = await linkOf("alice");
    const bob = await linkOf("bob");
    expect((await ask("robin", `/group remove ${GROUP} @bob`, GROUP)).map((l) => l.text)).toEqual(["Removed @bob from Business Planning Group."]);
    await expectNotFound(await feed(bob), "removed");
    expect(await statusOf(alice)).toBe(200);
    expect(feeds().map((f) => f.member_id)).toEqual([memberId("alice")]);
  });

  it("--reset replaces only the asker's own link: the old one stops, the new one works, the others go on", async () => {
    await groupWithMembers();
    const alice = await linkOf("alice");
    const bob = await linkOf("bob");
    const lines = await ask("bob", `meeting feed ${GROUP} --reset`, "dm:bob");
    expect(lines[0]!.text).toContain("Your new calendar link for *Business Planning Group*; the old one has stopped working.");
    const fresh = tokenIn(lines);
    expect(fresh).not.toBe(bob);
    await expectNotFound(await feed(bob), "the link before the reset");
    expect(await statusOf(fresh)).toBe(200);
    expect(await statusOf(alice)).toBe(200);
    expect(await linkOf("bob")).toBe(fresh);
  });

  it("answers 410 Gone to a valid link once the group is archived, and still 404 to anything else", async () => {
    await groupWithMembers();
    const alice = await linkOf("alice");
    await t.say("admin", `/group archive ${GROUP}`, "general");
    const res = await feed(alice);
    expect(res.status).toBe(410);
    expect(await res.json()).toEqual({ error: "this group has been archived, so its calendar feed has ended" });
    await expectNotFound(await feed(flipped(alice)), "a wrong token for an archived group");

    t.lines.splice(0);
    const before = t.snapshot();
    expect((await ask("alice", `meeting feed ${GROUP} --reset`, "dm:alice")).map((l) => l.text)).toEqual(["Business Planning Group has been archived."]);
    expect(t.snapshot()).toEqual(before);
    // A member who leaves the archived group is no longer told anything about it.
    await t.say("alice", `leave ${GROUP}`, "dm:alice");
    await expectNotFound(await feed(alice), "left the archived group");
  });

  it("serves an admin outside the group while they are an admin", async () => {
    await groupWithMembers();
    await t.say("admin", "/role grant @carol admin", "general");
    const carol = await linkOf("carol");
    expect(await statusOf(carol)).toBe(200);
    await t.say("admin", "/role revoke @carol admin", "general");
    await expectNotFound(await feed(carol), "no longer an admin");
  });

  it("ends the links of a member merged into another or forgotten", async () => {
    await groupWithMembers();
    await t.say("carol", "whoami", "dm:carol");
    const alice = await linkOf("alice");
    const bob = await linkOf("bob");
    t.db.$client.prepare("update members set forgotten_at = ? where id = ?").run(t.clock.now(), memberId("bob"));
    await expectNotFound(await feed(bob), "forgotten");

    const [from, into] = [memberId("alice"), memberId("carol")];
    withContext(t, (ctx) => {
      mergeCoreMember(ctx.db, from, into);
      for (const merge of ctx.services.memberMergers) merge(ctx, from, into);
    });
    await expectNotFound(await feed(alice), "merged away");
    expect(feeds().map((f) => f.member_id)).toEqual([memberId("bob")]);
  });
});

describe("the message that carried a link", () => {
  it("loses its text once sent, so no copy of the database file holds a working link", async () => {
    await groupWithMembers();
    const inRoom = tokenIn(await ask("alice", `/meeting feed ${GROUP}`, GROUP));
    const inDm = await linkOf("bob");
    // Before: the file has it (so the search below can find one).
    t.db.$client.pragma("wal_checkpoint(TRUNCATE)");
    expect(readFileSync(t.dbPath).includes(inRoom)).toBe(true);
    await t.advance(5 * 60_000);
    t.db.$client.pragma("wal_checkpoint(TRUNCATE)");
    const file = readFileSync(t.dbPath);
    for (const token of [inRoom, inDm]) {
      expect(JSON.stringify(t.snapshot([]))).not.toContain(token);
      expect(file.includes(token)).toBe(false);
      expect(await statusOf(token)).toBe(200);
    }
    expect(rows(t, "outbox").filter((r) => String(r.message).includes("taken out of the bot's records once sent"))).toHaveLength(2);
  });

  it("keeps its text while it is still waiting to go out, and drops it after", async () => {
    await groupWithMembers();
    const token = await linkOf("alice");
    const id = (rows(t, "outbox").find((r) => String(r.message).includes(token)) as { id: number }).id;
    const setState = (state: string) => t.db.$client.prepare("update outbox set state = ? where id = ?").run(state, id);
    setState("pending"); // as if the platform were down
    await t.advance(5 * 60_000);
    expect(JSON.stringify(rows(t, "outbox"))).toContain(token);
    setState("sent");
    await t.advance(60 * 60_000);
    expect(JSON.stringify(rows(t, "outbox"))).not.toContain(token);
  });
});

describe("the feed key", () => {
  it("lives beside the database, not in it: a restart shows the same link; without the key links go on working but a new one is needed to see one", async () => {
    await groupWithMembers();
    const alice = await linkOf("alice");
    const keyFile = join(t.dir, FEED_KEY_FILE);
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    const dir = t.dir;
    await t.close({ keep: true });

    await start(HTTP, dir);
    expect(await linkOf("alice")).toBe(alice);
    await t.close({ keep: true });

    rmSync(keyFile);
    await start(HTTP, dir);
    expect(await statusOf(alice)).toBe(200);
    const before = feeds();
    const [answer] = (await ask("alice", `meeting feed ${GROUP}`, "dm:alice")).map((l) => l.text);
    expect(answer).toContain("I can't show your calendar link for *Business Planning Group* again");
    expect(answer).toContain(`/meeting feed ${GROUP} --reset`);
    expect(feeds()).toEqual(before);
    const fresh = tokenIn(await ask("alice", `meeting feed ${GROUP} --reset`, "dm:alice"));
    expect(await statusOf(alice)).toBe(404);
    expect(await statusOf(fresh)).toBe(200);
    expect(existsSync(keyFile)).toBe(true);
    await t.close();
    rmSync(dir, { recursive: true, force: true });
  });
});
