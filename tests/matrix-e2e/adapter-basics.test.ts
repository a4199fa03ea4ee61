/**
 * The Matrix adapter end to end against Synapse: joining rooms, commands in
 * rooms, DMs and threads, HTML + plain bodies, posts to a group's room,
 * encrypted rooms, rooms where the bot may not post.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_ID, ID, MatrixE2E, waitFor } from "./harness.ts";

let h: MatrixE2E;

beforeAll(async () => {
  h = await MatrixE2E.start();
});

afterAll(async () => {
  await h?.teardown();
});

describe("Matrix adapter basics (real Synapse)", () => {
  let commsRoom = "";

  it("joins a room it is invited to", async () => {
    commsRoom = await h.createRoom("admin", { name: "Comms", invite: ["alice", "bob"] });
    // createRoom waits for the bot's join; the invite came from a user of an allowed server (no list set).
    expect(h.logLines("joined a room on invite").some((l) => l.roomId === commsRoom)).toBe(true);
  });

  it("answers `!coop help` typed in a room privately, in the asker's DM, with HTML and plain bodies, and marks the command 📬", async () => {
    const cmd = await h.say("alice", commsRoom, "!coop help");
    const help = await h.waitForMessage("alice", "dm", (m) => m.content.body.includes("What I can do for you"));
    expect(help.content.msgtype).toBe("m.text");
    expect(help.content.format).toBe("org.matrix.custom.html");
    expect(help.content.formatted_body).toContain("<strong>What I can do for you</strong>");
    expect(help.content.formatted_body).toContain("<code>!coop help &lt;command&gt;</code>");
    expect(help.content.body).toContain("!coop help <command>");
    expect(help.content.body).not.toContain("<strong>");
    // Nothing about it in the room, except a 📬 on the command.
    await waitFor("📬 on the command", async () => (await h.reactions("alice", commsRoom)).find((r) => r.target === cmd && r.key === "📬" && r.sender === BOT_ID));
    expect((await h.messages("alice", commsRoom)).filter((m) => m.content.body.includes("What I can do"))).toEqual([]);
    const inbound = h.received.find((e) => e.eventId === cmd)!;
    expect(inbound).toMatchObject({ platform: "matrix", text: "help", addressed: true, room: { id: commsRoom, kind: "private", name: "Comms" }, sender: { platformId: ID.alice } });
  });

  it("reads plain text in a DM as a command and answers as a Matrix reply", async () => {
    const dm = await h.dmRoom("alice");
    const cmd = await h.say("alice", dm, "whoami");
    const reply = await h.waitForMessage("alice", dm, (m) => m.inReplyTo === cmd);
    expect(reply.content.body).toContain(`Accounts: Matrix ${ID.alice}`); // accounts as people read them, not matrix:@…
    expect(reply.content.formatted_body).toContain("<strong>");
    expect(h.received.find((e) => e.eventId === cmd)?.room.kind).toBe("dm");
  });

  it("links a room to a group when an admin types `!coop group link` there, answering in the room", async () => {
    const cmd = await h.say("admin", commsRoom, "!coop group link comms");
    const reply = await h.waitForMessage("admin", commsRoom, (m) => m.inReplyTo === cmd);
    expect(reply.content.body).toBe("This room is now Communications Group's matrix room: its meeting reminders and announcements will be posted here.");
    expect(reply.content.formatted_body).toBeTruthy();
    // The asker is pinged (like Element does for a reply).
    expect(reply.content["m.mentions"]).toEqual({ user_ids: [ID.admin] });
  });

  it("answers in the thread when the command was typed in a thread", async () => {
    const room = await h.createRoom("admin", { name: "Leeds", invite: ["alice"] });
    const root = await h.say("admin", room, "Setting up the Leeds room");
    const cmd = await h.say("admin", room, "!coop group link leeds", { thread: root });
    const reply = await h.waitForMessage("admin", room, (m) => m.inReplyTo === cmd);
    expect(reply.thread).toBe(root);
    expect(reply.original["m.relates_to"]).toMatchObject({ rel_type: "m.thread", event_id: root, is_falling_back: false });
  });

  it("posts to a group's linked room (as a reminder would), with member mentions as pills", async () => {
    // alice speaks first so the core knows her Matrix identity and name.
    const aliceId = h.received.find((e) => e.sender.platformId === ID.alice)!;
    expect(aliceId).toBeDefined();
    const member = h.bot.db.$client.prepare("select member_id as id from identities where platform = 'matrix' and platform_id = ?").get(ID.alice) as { id: number };
    h.postToGroup("comms", `⏰ Reminder: *Comms call* in 15 minutes. Agenda by <@${member.id}>: <https://example.org/agenda|the agenda> & <script>alert(1)</script>`);
    const seen = await h.waitForMessage("bob", commsRoom, (m) => m.content.body.startsWith("⏰ Reminder"));
    expect(seen.content.body).toBe("⏰ Reminder: Comms call in 15 minutes. Agenda by alice: the agenda (https://example.org/agenda) & <script>alert(1)</script>");
    expect(seen.content.formatted_body).toContain(`<a href="https://matrix.to/#/${ID.alice}">alice</a>`);
    expect(seen.content.formatted_body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(seen.content.formatted_body).not.toContain("<script>");
    expect(seen.content["m.mentions"]).toEqual({ user_ids: [ID.alice] });
  });

  it("tells an encrypted room once that it can't read it", async () => {
    const room = await h.createRoom("alice", { name: "Secret", invite: ["bob"], encrypted: true });
    const notice = await h.waitForMessage("alice", room, (m) => m.content.body.includes("end-to-end encrypted"));
    expect(notice.content.formatted_body).toBeTruthy();
    const fake = { algorithm: "m.megolm.v1.aes-sha2", ciphertext: "AwgAEnAc", device_id: "X", sender_key: "k", session_id: "s" };
    await h.send(h.person("alice"), room, "m.room.encrypted", fake);
    await h.send(h.person("bob"), room, "m.room.encrypted", fake);
    // A plain command after them: once it is answered (📬), the encrypted events before it were handled too.
    const cmd = await h.say("alice", room, "!coop whoami");
    await waitFor("📬 on the sentinel", async () => (await h.reactions("alice", room)).find((r) => r.target === cmd && r.key === "📬"));
    expect((await h.messages("alice", room)).filter((m) => m.content.body.includes("encrypted"))).toHaveLength(1);
  });

  it("tells the inviter how to fix a room where it may not post, and a reply there fails with that advice", async () => {
    const room = await h.createRoom("admin", { name: "Announcements", invite: ["alice"], powerLevels: { events_default: 50 } });
    const advice = await h.waitForMessage("admin", "dm", (m) => m.content.body.includes("Announcements") && m.content.body.includes("not allowed to post"));
    expect(advice.content.body).toContain(`Give ${BOT_ID} permission to send messages`);
    const cmd = await h.say("admin", room, "!coop group link mobilising");
    // The public reply can't be posted: the dispatcher gives up and the core tells the admin why.
    const told = await h.waitForMessage("admin", "dm", (m) => m.content.body.includes("couldn't post") && m.content.body.includes("Announcements"));
    expect(told.content.body).toContain(`give ${BOT_ID} permission to post in Announcements`);
    expect(h.received.some((e) => e.eventId === cmd)).toBe(true);
  });
});
