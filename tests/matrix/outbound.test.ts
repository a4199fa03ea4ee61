// Deliveries on Matrix with a fake homeserver API: where each target lands,
// the 📬 on a command answered privately, edits, removals, and failures.
import { describe, expect, it } from "vitest";
import { DeliveryError } from "../../bot/adapter.ts";
import { ManualClock } from "../../bot/clock.ts";
import type { Delivery } from "../../bot/events.ts";
import { silentLogger } from "../../bot/log.ts";
import type { MatrixApi } from "../../adapters/matrix/client.ts";
import { Outbound } from "../../adapters/matrix/outbound.ts";
import { RoomDirectory } from "../../adapters/matrix/rooms.ts";
import { MatrixStateStore } from "../../adapters/matrix/state-store.ts";

type Json = Record<string, any>;
const BOT = "@coopbot:hs";
const matrixError = (statusCode: number, errcode: string, error: string, retryAfterMs?: number) =>
  Object.assign(new Error(`${errcode}: ${error}`), { statusCode, errcode, error, retryAfterMs, body: { errcode, error } });

class FakeApi implements MatrixApi {
  readonly userId = BOT;
  readonly sent: { roomId: string; type: string; content: Json; txnId: string; eventId: string }[] = [];
  readonly redactions: { roomId: string; eventId: string; reason?: string }[] = [];
  readonly state = new Map<string, Json>();
  direct: Record<string, string[]> = {};
  created: string[] = [];
  failNext: unknown[] = [];
  redactFails: unknown;
  private n = 0;

  async sendEvent(roomId: string, type: string, content: Json, txnId: string): Promise<string> {
    const fault = this.failNext.shift();
    if (fault) throw fault;
    // Like a homeserver: the same transaction id gives back the same event.
    const same = this.sent.find((s) => s.txnId === txnId);
    if (same) return same.eventId;
    const eventId = `$ev${++this.n}`;
    this.sent.push({ roomId, type, content, txnId, eventId });
    return eventId;
  }
  async redactEvent(roomId: string, eventId: string, reason: string | undefined): Promise<string> {
    if (this.redactFails) throw this.redactFails;
    this.redactions.push({ roomId, eventId, reason });
    return `$redaction${++this.n}`;
  }
  readonly uploads: { data: Buffer; contentType: string; filename: string; mxc: string }[] = [];
  async uploadContent(data: Buffer, contentType: string, filename: string): Promise<string> {
    const mxc = `mxc://hs/media${this.uploads.length + 1}`;
    this.uploads.push({ data, contentType, filename, mxc });
    return mxc;
  }
  async stateEvent(roomId: string, type: string, key = ""): Promise<Json | undefined> {
    return this.state.get(`${roomId}|${type}|${key}`);
  }
  async joinedMembers(): Promise<string[]> {
    return [BOT, "@x:hs", "@y:hs"];
  }
  async displayName(): Promise<string | undefined> {
    return undefined;
  }
  async profile(): Promise<{ displayname?: string } | undefined> {
    return undefined;
  }
  async createDirectRoom(userId: string): Promise<string> {
    const id = `!dm-${userId.slice(1, userId.indexOf(":"))}-${this.created.length + 1}`;
    this.created.push(id);
    return id;
  }
  async directRooms(): Promise<Record<string, string[]>> {
    return structuredClone(this.direct);
  }
  async setDirectRooms(map: Record<string, string[]>): Promise<void> {
    this.direct = map;
  }
  isDirect(): boolean {
    return false;
  }
  async joinRoom(): Promise<void> {}
  async leaveRoom(): Promise<void> {}
  readonly invites: { roomId: string; userId: string }[] = [];
  inviteFails: unknown;
  async inviteUser(roomId: string, userId: string): Promise<void> {
    if (this.inviteFails) throw this.inviteFails;
    this.invites.push({ roomId, userId });
  }
  async kickUser(): Promise<void> {
    throw matrixError(403, "M_FORBIDDEN", "You don't have permission to kick");
  }
  async joinedRooms(): Promise<string[]> {
    return ["!comms"];
  }
}

async function setup() {
  const api = new FakeApi();
  const store = new MatrixStateStore(":memory:");
  const clock = new ManualClock(1_000_000);
  const rooms = new RoomDirectory(api, store, clock, silentLogger);
  await rooms.load();
  const senders = new Map([["$cmd", "@alice:hs"]]);
  const out = new Outbound({ api, store, rooms, log: silentLogger, clock, render: { prefix: "!coop " }, salt: "s", senderOf: (id) => senders.get(id) });
  return { api, store, rooms, out };
}

const delivery = (over: Partial<Delivery>): Delivery => ({ id: 1, maybeDelivered: false, queuedAt: 0, kind: "post", target: { kind: "room", platform: "matrix", roomId: "!comms" }, message: { text: "hi" }, mentions: {}, ...over, uid: `db1.${over.id ?? 1}` });

describe("Matrix deliveries", () => {
  it("posts a public reply as a Matrix reply that pings the asker, and remembers the room of the message", async () => {
    const { api, store, out } = await setup();
    const result = await out.deliver(delivery({ target: { kind: "room", platform: "matrix", roomId: "!comms", replyHandle: "$cmd", thread: "$root" } }));
    expect(result).toEqual({ ref: "$ev1" });
    expect(api.sent[0]).toMatchObject({
      roomId: "!comms",
      type: "m.room.message",
      content: { body: "hi", formatted_body: "hi", "m.mentions": { user_ids: ["@alice:hs"] }, "m.relates_to": { rel_type: "m.thread", event_id: "$root", "m.in_reply_to": { event_id: "$cmd" } } },
    });
    expect(store.roomOfSent("$ev1")).toBe("!comms");
  });

  it("sends a private answer to the asker's DM (opened and recorded in m.direct) and marks the command 📬 once", async () => {
    const { api, store, out } = await setup();
    const target = { kind: "ephemeral" as const, platform: "matrix" as const, roomId: "!comms", platformId: "@alice:hs", memberId: 2, replyHandle: "$cmd" };
    await out.deliver(delivery({ target, message: { text: "only for you" } }));
    await out.deliver(delivery({ id: 2, target, message: { text: "and this" } }));
    expect(api.created).toEqual(["!dm-alice-1"]);
    expect(api.direct).toEqual({ "@alice:hs": ["!dm-alice-1"] });
    expect(store.dmRoom("@alice:hs")).toBe("!dm-alice-1");
    expect(api.sent.map((s) => [s.roomId, s.type, s.content.body ?? s.content["m.relates_to"].key])).toEqual([
      ["!dm-alice-1", "m.room.message", "only for you"],
      ["!comms", "m.reaction", "📬"],
      ["!dm-alice-1", "m.room.message", "and this"],
    ]);
    expect(api.sent[1]!.content["m.relates_to"]).toEqual({ rel_type: "m.annotation", event_id: "$cmd", key: "📬" });
  });

  it("reuses a DM listed in m.direct that the person is still in", async () => {
    const { api, rooms, out } = await setup();
    api.direct = { "@bob:hs": ["!old-dm"] };
    rooms.joined.add("!old-dm");
    api.state.set("!old-dm|m.room.member|@bob:hs", { content: { membership: "join" } });
    await out.deliver(delivery({ target: { kind: "member", platform: "matrix", platformId: "@bob:hs", memberId: 3 } }));
    expect(api.created).toEqual([]);
    expect(api.sent[0]!.roomId).toBe("!old-dm");
  });

  it("edits with m.replace in the room the original went to", async () => {
    const { api, out } = await setup();
    const { ref } = await out.deliver(delivery({ target: { kind: "member", platform: "matrix", platformId: "@bob:hs", memberId: 3 }, message: { text: "card", buttons: [{ label: "Approve", command: "approve 1" }] } }));
    expect(api.sent[0]!.content.body).toBe("card\nReact with ✅ to approve or type !coop approve 1");
    await out.deliver(delivery({ id: 2, kind: "update", editsRef: ref, target: { kind: "member", platform: "matrix", platformId: "@bob:hs", memberId: 3 }, message: { text: "approved" } }));
    expect(api.sent[1]).toMatchObject({ roomId: api.sent[0]!.roomId, content: { "m.relates_to": { rel_type: "m.replace", event_id: ref }, "m.new_content": { body: "approved" } } });
  });

  it("removes a message by redacting it with the note as the reason; without the power to, posts only the note", async () => {
    const { api, out } = await setup();
    const remove = delivery({ kind: "remove", editsRef: "$question", message: { text: "Moved to the clinic queue (enquiry 4).", removes: "$question" } });
    expect(await out.deliver(remove)).toEqual({ ref: "$redaction1" });
    expect(api.redactions).toEqual([{ roomId: "!comms", eventId: "$question", reason: "Moved to the clinic queue (enquiry 4)." }]);
    api.redactFails = matrixError(403, "M_FORBIDDEN", "You don't have permission to redact events");
    await out.deliver({ ...remove, id: 2 });
    expect(api.sent.map((s) => s.content.body)).toEqual(["Moved to the clinic queue (enquiry 4)."]);
  });

  it("a rate limit becomes retryAfterMs; a retried send reuses its transaction id (no double post)", async () => {
    const { api, out } = await setup();
    api.failNext.push(matrixError(429, "M_LIMIT_EXCEEDED", "Too Many Requests", 750));
    const err = await out.deliver(delivery({})).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).opts).toEqual({ retryAfterMs: 750 });
    const first = await out.deliver(delivery({}));
    const again = await out.deliver(delivery({})); // as after a timeout that did reach the server
    expect(api.sent).toHaveLength(1);
    expect(again).toEqual(first);
  });

  it("refuses for good, with advice, in a room where the bot may not post (by power levels, or M_FORBIDDEN)", async () => {
    const { api, out } = await setup();
    api.state.set("!comms|m.room.power_levels|", { content: { users: {}, events_default: 50 } });
    api.state.set("!comms|m.room.name|", { content: { name: "Comms" } });
    const err = (await out.deliver(delivery({})).catch((e: unknown) => e)) as DeliveryError;
    expect(err.opts.permanent).toBe(true);
    expect(err.message).toBe("I'm not allowed to post in Comms: give @coopbot:hs permission to post in Comms (Room settings → Roles & Permissions → Send messages)");
    expect(api.sent).toEqual([]);

    const other = await setup();
    other.api.failNext.push(matrixError(403, "M_FORBIDDEN", "User @coopbot:hs not in room !comms"));
    const notIn = (await other.out.deliver(delivery({})).catch((e: unknown) => e)) as DeliveryError;
    expect(notIn.opts.permanent).toBe(true);
    expect(notIn.message).toMatch(/invite @coopbot:hs/);
  });

  it("a DM the bot was removed from is forgotten, and the retry opens a new one", async () => {
    const { api, store, out } = await setup();
    const target = { kind: "member" as const, platform: "matrix" as const, platformId: "@carol:hs", memberId: 4 };
    await out.deliver(delivery({ target }));
    api.failNext.push(matrixError(403, "M_FORBIDDEN", "User @coopbot:hs not in room !dm-carol-1"));
    const err = await out.deliver(delivery({ id: 2, target })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).not.toBeInstanceOf(DeliveryError);
    expect(store.dmRoom("@carol:hs")).toBeUndefined();
    await out.deliver(delivery({ id: 2, target }));
    expect(api.sent.at(-1)!.roomId).toBe("!dm-carol-2");
  });

  it("invites a member to a group's room; someone already there is no failure; without the power to, gives up saying which setting to change", async () => {
    const { api, out } = await setup();
    const membership = { memberId: 3, platformId: "@bob:hs", group: "Communications Group", room: "Comms" };
    expect(await out.deliver(delivery({ kind: "invite", message: { text: "", membership } }))).toEqual({});
    expect(api.invites).toEqual([{ roomId: "!comms", userId: "@bob:hs" }]);
    api.inviteFails = matrixError(403, "M_FORBIDDEN", "@bob:hs is already in the room.");
    expect(await out.deliver(delivery({ id: 2, kind: "invite", message: { text: "", membership } }))).toEqual({});
    api.inviteFails = matrixError(403, "M_FORBIDDEN", "You don't have permission to invite users");
    api.state.set("!comms|m.room.name|", { content: { name: "Comms" } });
    const err = (await out.deliver(delivery({ id: 3, kind: "invite", message: { text: "", membership } })).catch((e: unknown) => e)) as DeliveryError;
    expect(err.opts.permanent).toBe(true);
    expect(err.message).toMatch(/^I'm not allowed to invite people to Comms .*"Invite users" in Room settings → Roles & Permissions$/);
    expect(api.sent).toEqual([]);
  });
});

describe("Matrix files", () => {
  const file = (data: string) => ({ name: "members-2026-08-17.csv", mimeType: "text/csv", data, alt: "CSV, 2 rows: member_id, external_id" });

  it("uploads the bytes to the media repository and sends an m.file naming them, under the delivery's transaction id", async () => {
    const { api, out } = await setup();
    const bytes = Buffer.from("member_id,external_id\r\n1,matrix:@a:hs\r\n");
    await out.deliver(delivery({ target: { kind: "member", platform: "matrix", platformId: "@bob:hs", memberId: 3 }, message: { text: "📄 the members table", file: file(bytes.toString("base64")) } }));
    expect(api.uploads).toEqual([{ data: bytes, contentType: "text/csv", filename: "members-2026-08-17.csv", mxc: "mxc://hs/media1" }]);
    expect(api.sent[0]!.content).toMatchObject({
      msgtype: "m.file",
      filename: "members-2026-08-17.csv",
      url: "mxc://hs/media1",
      info: { mimetype: "text/csv", size: bytes.length },
      body: "📄 the members table\n\nCSV, 2 rows: member_id, external_id",
    });
    expect(api.sent[0]!.txnId).toContain("db1.1");
  });

  it("gives up for good on a file whose bytes already left the outbox, uploading nothing", async () => {
    const { api, out } = await setup();
    const sending = out.deliver(delivery({ message: { text: "a chart", file: { ...file(""), name: "progress.png", mimeType: "image/png" } } }));
    await expect(sending).rejects.toMatchObject({ opts: { permanent: true } });
    expect(api.uploads).toEqual([]);
    expect(api.sent).toEqual([]);
  });
});
