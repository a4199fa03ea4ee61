/**
 * matrix-bot-sdk 0.7.1, loaded through adapters/matrix/sdk.ts, against a real
 * Synapse. Run with `npm run test:matrix` (scripts/test-matrix.sh starts the
 * server and registers the users). Besides the smoke path, each test here
 * pins an API fact that adapters/matrix/NOTES.md relies on.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MatrixClient, MatrixError } from "matrix-bot-sdk";
import { loadMatrixSdk, redirectMatrixSdkLogs } from "../../adapters/matrix/sdk.ts";
import { resetBotAccount } from "./harness.ts";

const HS = (process.env.MATRIX_HOMESERVER_URL ?? "http://127.0.0.1:18008").replace(/\/$/, "");
const SERVER_NAME = process.env.MATRIX_SERVER_NAME ?? "localhost";

interface Creds {
  user: string;
  password: string;
}
const creds = (prefix: string, user: string): Creds => ({
  user: process.env[`MATRIX_${prefix}_USER`] ?? user,
  password: process.env[`MATRIX_${prefix}_PASSWORD`] ?? `${user}-password`,
});
const BOT = creds("BOT", "coopbot");
const ALICE = creds("ALICE", "alice");
const BOB = creds("BOB", "bob");
const CAROL = creds("CAROL", "carol");
const ADMIN = creds("ADMIN", "coopadmin");

interface Session {
  userId: string;
  accessToken: string;
  deviceId: string;
}

type Json = Record<string, any>;

async function api(token: string | null, method: string, urlPath: string, body?: unknown): Promise<{ status: number; json: Json; headers: Headers }> {
  const res = await fetch(HS + urlPath, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { "content-type": "application/json" }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Json = {};
  try {
    json = text ? (JSON.parse(text) as Json) : {};
  } catch {
    json = { raw: text };
  }
  return { status: res.status, json, headers: res.headers };
}

async function apiOk(token: string | null, method: string, urlPath: string, body?: unknown): Promise<Json> {
  const r = await api(token, method, urlPath, body);
  if (r.status < 200 || r.status >= 300) throw new Error(`${method} ${urlPath} -> ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

async function login(c: Creds): Promise<Session> {
  const j = await apiOk(null, "POST", "/_matrix/client/v3/login", {
    type: "m.login.password",
    identifier: { type: "m.id.user", user: c.user },
    password: c.password,
    initial_device_display_name: "coopbot e2e",
  });
  return { userId: j.user_id as string, accessToken: j.access_token as string, deviceId: j.device_id as string };
}

let txn = 0;
const sendAs = async (s: Session, roomId: string, type: string, content: unknown): Promise<string> =>
  (await apiOk(s.accessToken, "PUT", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/${encodeURIComponent(type)}/t${Date.now()}-${++txn}`, content)).event_id as string;

async function messagesOf(s: Session, roomId: string, limit = 50): Promise<Json[]> {
  const j = await apiOk(s.accessToken, "GET", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/messages?dir=b&limit=${limit}`);
  return j.chunk as Json[];
}

async function waitFor<T>(label: string, fn: () => T | undefined | Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Seen {
  messages: Array<{ roomId: string; event: Json; at: number }>;
  events: Array<{ roomId: string; event: Json; at: number }>;
  invites: Array<{ roomId: string; event: Json }>;
  joins: string[];
}

function watch(client: MatrixClient): Seen {
  const seen: Seen = { messages: [], events: [], invites: [], joins: [] };
  client.on("room.message", (roomId: string, event: Json) => seen.messages.push({ roomId, event, at: Date.now() }));
  client.on("room.event", (roomId: string, event: Json) => seen.events.push({ roomId, event, at: Date.now() }));
  client.on("room.invite", (roomId: string, event: Json) => seen.invites.push({ roomId, event }));
  client.on("room.join", (roomId: string) => seen.joins.push(roomId));
  return seen;
}

/**
 * MatrixClient.stop() does not abort the in-flight long-poll (events from it are
 * still emitted); with a short syncingTimeout the loop ends soon after, and says
 * so in the log. Tests stop one client at a time, so counting those lines works.
 */
const SYNC_TIMEOUT_MS = 1_000;
const sdkLog: string[] = [];
const stopLines = () => sdkLog.filter((l) => l.includes("Client stop requested")).length;
async function stopClient(client: MatrixClient): Promise<void> {
  const before = stopLines();
  client.stop();
  await waitFor("sync loop to end after stop()", () => (stopLines() > before ? true : undefined), SYNC_TIMEOUT_MS + 10_000);
}

const { sdk, e2ee } = loadMatrixSdk();

let alice: Session;
let bob: Session;
let carol: Session;
let botSession: Session;
let tmp: string;
const clients: MatrixClient[] = [];

function makeBotClient(storageFile: string | null): MatrixClient {
  const storage = storageFile ? new sdk.SimpleFsStorageProvider(storageFile) : new sdk.MemoryStorageProvider();
  const client = new sdk.MatrixClient(HS, botSession.accessToken, storage);
  client.syncingTimeout = SYNC_TIMEOUT_MS;
  clients.push(client);
  return client;
}

beforeAll(async () => {
  redirectMatrixSdkLogs({
    debug: (m) => sdkLog.push(`DEBUG ${m}`),
    info: (m) => sdkLog.push(`INFO ${m}`),
    warn: (m) => sdkLog.push(`WARN ${m}`),
    error: (m) => sdkLog.push(`ERROR ${m}`),
  });
  tmp = mkdtempSync(path.join(tmpdir(), "coopbot-matrix-e2e-"));
  const versions = await api(null, "GET", "/_matrix/client/versions").catch((err: unknown) => {
    throw new Error(`no Matrix homeserver at ${HS} (${String(err)}): run these tests via npm run test:matrix`);
  });
  expect(versions.status, `no Matrix homeserver at ${HS}: run via npm run test:matrix`).toBe(200);
  [alice, bob, carol] = await Promise.all([login(ALICE), login(BOB), login(CAROL)]);
  // The bot logs in through the SDK's own MatrixAuth.
  const authed = await new sdk.MatrixAuth(HS).passwordLogin(BOT.user, BOT.password, "coopbot e2e");
  const whoami = await authed.getWhoAmI();
  botSession = { userId: whoami.user_id, accessToken: authed.accessToken, deviceId: whoami.device_id ?? "" };
  expect(botSession.userId).toBe(`@${BOT.user}:${SERVER_NAME}`);
});

afterAll(async () => {
  for (const c of clients) c.stop();
  await sleep(SYNC_TIMEOUT_MS + 200);
  // This file's DM with carol (in m.direct, the bot still in it) would otherwise be the next file's bot's DM with her.
  await resetBotAccount();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
  // MATRIX_E2E_SDK_LOG=1 prints what matrix-bot-sdk logged (info and up) during the run.
  if (process.env.MATRIX_E2E_SDK_LOG) console.log(sdkLog.join("\n"));
});

describe("matrix-bot-sdk 0.7.1 via adapters/matrix/sdk.ts against Synapse", () => {
  let roomId = "";
  let helloEventId = "";
  let storageFile = "";

  it("loads the SDK without the native crypto binding", () => {
    expect(typeof sdk.MatrixClient).toBe("function");
    expect(typeof sdk.SimpleFsStorageProvider).toBe("function");
    expect(loadMatrixSdk().sdk).toBe(sdk);
    console.log(`[e2e] e2ee available: ${e2ee}`);
  });

  it("smoke: invite -> autojoin -> receive -> HTML reply -> read back", async () => {
    storageFile = path.join(tmp, "bot-storage.json");
    const bot = makeBotClient(storageFile);
    sdk.AutojoinRoomsMixin.setupOnClient(bot);
    const seen = watch(bot);
    const t0 = Date.now();
    await bot.start();
    const tStarted = Date.now();

    const created = await apiOk(alice.accessToken, "POST", "/_matrix/client/v3/createRoom", {
      preset: "private_chat",
      name: "coopbot e2e smoke",
      invite: [botSession.userId],
    });
    roomId = created.room_id as string;
    const tCreated = Date.now();
    await waitFor("bot to join", async () => {
      const members = await apiOk(alice.accessToken, "GET", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/joined_members`);
      return botSession.userId in (members.joined as Json) ? true : undefined;
    });
    const tJoined = Date.now();
    expect(seen.invites.map((i) => i.roomId)).toContain(roomId);
    await waitFor("room.join", () => (seen.joins.includes(roomId) ? true : undefined));

    const tSend = Date.now();
    helloEventId = await sendAs(alice, roomId, "m.room.message", { msgtype: "m.text", body: "hello coopbot" });
    const got = await waitFor("room.message from alice", () =>
      seen.messages.find((m) => m.roomId === roomId && m.event.event_id === helloEventId),
    );
    const arrivalMs = got.at - tSend;
    expect(got.event.sender).toBe(alice.userId);
    expect(got.event.content.body).toBe("hello coopbot");
    // Every room.message is also a room.event (room.event fires for all timeline events).
    expect(seen.events.some((e) => e.event.event_id === helloEventId)).toBe(true);

    const html = "<b>Hi</b> <i>alice</i>, I got: <code>hello coopbot</code>";
    const replyId = await bot.sendMessage(roomId, {
      msgtype: "m.notice",
      body: "Hi alice, I got: hello coopbot",
      format: "org.matrix.custom.html",
      formatted_body: html,
      "m.relates_to": { "m.in_reply_to": { event_id: helloEventId } },
    });
    expect(replyId).toMatch(/^\$/);

    const chunk = await messagesOf(alice, roomId);
    const reply = chunk.find((e) => e.event_id === replyId);
    expect(reply).toBeDefined();
    expect(reply!.sender).toBe(botSession.userId);
    expect(reply!.content.format).toBe("org.matrix.custom.html");
    expect(reply!.content.formatted_body).toBe(html);
    expect(reply!.content.body).toBe("Hi alice, I got: hello coopbot");
    expect(reply!.content["m.relates_to"]["m.in_reply_to"].event_id).toBe(helloEventId);

    // The bot's own messages come back through room.message too: adapters must filter sender === self.
    await waitFor("own message echoed", () => seen.messages.find((m) => m.event.event_id === replyId));

    await stopClient(bot);
    const token = await bot.storageProvider.getSyncToken();
    expect(typeof token).toBe("string");
    console.log(
      `[e2e timing] client.start() ${tStarted - t0} ms; createRoom ${tCreated - tStarted} ms; ` +
        `invite->joined ${tJoined - tCreated} ms; alice send -> bot room.message ${arrivalMs} ms`,
    );
  });

  it("a restarted client with the persisted sync token does not replay old events; a fresh one does", async () => {
    expect(roomId).not.toBe("");
    const offlineId = await sendAs(alice, roomId, "m.room.message", { msgtype: "m.text", body: "sent while the bot was down" });

    const restarted = makeBotClient(storageFile); // same SimpleFsStorageProvider file
    const seenRestarted = watch(restarted);
    await restarted.start();
    await waitFor("message sent while down", () => seenRestarted.messages.find((m) => m.event.event_id === offlineId));
    await sleep(500);
    expect(seenRestarted.messages.some((m) => m.event.event_id === helloEventId)).toBe(false);
    await stopClient(restarted);

    const fresh = makeBotClient(null); // MemoryStorageProvider: no token -> initial sync
    const seenFresh = watch(fresh);
    await fresh.start();
    await waitFor("initial-sync replay", () => seenFresh.messages.find((m) => m.event.event_id === helloEventId));
    await stopClient(fresh);
  });

  it("threads, replies, reactions and m.direct DMs", async () => {
    const bot = makeBotClient(path.join(tmp, "bot-storage-2.json"));
    sdk.AutojoinRoomsMixin.setupOnClient(bot);
    const seen = watch(bot);
    await bot.start();

    // Thread: alice starts a thread under her earlier message; the bot answers in the thread.
    const inThreadId = await sendAs(alice, roomId, "m.room.message", {
      msgtype: "m.text",
      body: "thread reply",
      "m.relates_to": { rel_type: "m.thread", event_id: helloEventId, is_falling_back: true, "m.in_reply_to": { event_id: helloEventId } },
    });
    const threadMsg = await waitFor("thread message", () => seen.messages.find((m) => m.event.event_id === inThreadId));
    expect(threadMsg.event.content["m.relates_to"].rel_type).toBe("m.thread");
    const botThreadId = await bot.sendMessage(roomId, {
      msgtype: "m.text",
      body: "bot in thread",
      "m.relates_to": { rel_type: "m.thread", event_id: helloEventId, is_falling_back: true, "m.in_reply_to": { event_id: inThreadId } },
    });
    const rel = await apiOk(alice.accessToken, "GET", `/_matrix/client/v1/rooms/${encodeURIComponent(roomId)}/relations/${encodeURIComponent(helloEventId)}/m.thread`);
    expect((rel.chunk as Json[]).map((e) => e.event_id)).toEqual(expect.arrayContaining([inThreadId, botThreadId]));

    // SDK reply helper: RichReply fallback (body quote + mx-reply), m.in_reply_to.
    const helloEvent = await bot.getEvent(roomId, helloEventId);
    const richId = await bot.replyHtmlText(roomId, helloEvent, "<b>rich</b> reply");
    const rich = await bot.getEvent(roomId, richId);
    expect(rich.content["m.relates_to"]["m.in_reply_to"].event_id).toBe(helloEventId);
    expect(rich.content.formatted_body).toContain("<mx-reply>");

    // Reactions: not room.message, only room.event.
    const reactionId = await sendAs(alice, roomId, "m.reaction", {
      "m.relates_to": { rel_type: "m.annotation", event_id: botThreadId, key: "👍" },
    });
    const reaction = await waitFor("reaction as room.event", () => seen.events.find((e) => e.event.event_id === reactionId));
    expect(reaction.event.type).toBe("m.reaction");
    expect(reaction.event.content["m.relates_to"].key).toBe("👍");
    expect(seen.messages.some((m) => m.event.event_id === reactionId)).toBe(false);
    // The bot reacts through the SDK's helper (unstableApis.addReactionToEvent = sendRawEvent m.reaction).
    const botReactionId = await bot.unstableApis.addReactionToEvent(roomId, inThreadId, "✅");
    const annotations = await apiOk(alice.accessToken, "GET", `/_matrix/client/v1/rooms/${encodeURIComponent(roomId)}/relations/${encodeURIComponent(inThreadId)}/m.annotation`);
    const botReaction = (annotations.chunk as Json[]).find((e) => e.event_id === botReactionId);
    expect(botReaction?.type).toBe("m.reaction");
    expect(botReaction?.content["m.relates_to"]).toEqual({ rel_type: "m.annotation", event_id: inThreadId, key: "✅" });

    // DM from a person: invite carries is_direct; the SDK's DMs helper records it in m.direct.
    const dm = await apiOk(carol.accessToken, "POST", "/_matrix/client/v3/createRoom", {
      preset: "trusted_private_chat",
      is_direct: true,
      invite: [botSession.userId],
    });
    const dmRoom = dm.room_id as string;
    const invite = await waitFor("DM invite", () => seen.invites.find((i) => i.roomId === dmRoom));
    expect(invite.event.content.is_direct).toBe(true);
    await waitFor("DM recorded", () => (bot.dms.isDm(dmRoom) ? true : undefined));
    // The cache flips first; the m.direct write-back follows asynchronously.
    await waitFor("m.direct written", async () => {
      const direct = await bot.getAccountData<Record<string, string[]>>("m.direct").catch(() => undefined);
      return direct?.[carol.userId]?.includes(dmRoom) ? true : undefined;
    });
    // getOrCreateDm returns the existing DM (and works without crypto: client.crypto is unset).
    expect(bot.crypto).toBeFalsy();
    await waitFor("bot joined DM", async () => ((await bot.getJoinedRooms()).includes(dmRoom) ? true : undefined));
    expect(await bot.dms.getOrCreateDm(carol.userId)).toBe(dmRoom);
    // And creates one (unencrypted, is_direct invite) when none exists.
    const dmBob = await bot.dms.getOrCreateDm(bob.userId);
    const bobInvite = await waitFor("bob's DM invite", async () => {
      const s = await apiOk(bob.accessToken, "GET", `/_matrix/client/v3/sync?timeout=0`);
      return (s.rooms?.invite ?? {})[dmBob] as Json | undefined;
    });
    const inviteMember = (bobInvite.invite_state.events as Json[]).find((e) => e.type === "m.room.member" && e.state_key === bob.userId);
    expect(inviteMember?.content.is_direct).toBe(true);

    await stopClient(bot);
  });

  it("power levels via userHasPowerLevelFor / userHasPowerLevelForAction", async () => {
    const bot = makeBotClient(null);
    const { PowerLevelAction } = sdk;
    expect(await bot.userHasPowerLevelFor(botSession.userId, roomId, "m.room.message", false)).toBe(true);
    expect(await bot.userHasPowerLevelFor(botSession.userId, roomId, "m.room.name", true)).toBe(false);
    expect(await bot.userHasPowerLevelForAction(botSession.userId, roomId, PowerLevelAction.Kick)).toBe(false);
    // Room version 12 (Synapse's default now): creators have "infinite" power and are NOT listed in
    // m.room.power_levels `users`, and 0.7.1's checks don't know that, so they say false for the creator.
    const create = await apiOk(alice.accessToken, "GET", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/m.room.create/`);
    const roomVersion = String(create.room_version ?? "1");
    const creatorsImplicit = Number(roomVersion) >= 12;
    console.log(`[e2e] room version ${roomVersion}; creator listed in power_levels.users: ${!creatorsImplicit}`);
    expect(await bot.userHasPowerLevelForAction(alice.userId, roomId, PowerLevelAction.Kick)).toBe(!creatorsImplicit);
    // Promote the bot to moderator (alice is the room creator, PL 100).
    const pl = await apiOk(alice.accessToken, "GET", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/m.room.power_levels/`);
    pl.users = { ...(pl.users as Json), [botSession.userId]: 50 };
    await apiOk(alice.accessToken, "PUT", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/state/m.room.power_levels/`, pl);
    expect(await bot.userHasPowerLevelForAction(botSession.userId, roomId, PowerLevelAction.Kick)).toBe(true);
    expect(await bot.userHasPowerLevelFor(botSession.userId, roomId, "m.room.name", true)).toBe(true);
  });

  it("M_LIMIT_EXCEEDED surfaces as MatrixError {statusCode 429, errcode, retryAfterMs}", async () => {
    const admin = await login(ADMIN);
    const overridePath = `/_synapse/admin/v1/users/${encodeURIComponent(bob.userId)}/override_ratelimit`;
    await apiOk(admin.accessToken, "POST", overridePath, { messages_per_second: 1, burst_count: 1 });
    try {
      const bobClient = new sdk.MatrixClient(HS, bob.accessToken, new sdk.MemoryStorageProvider());
      clients.push(bobClient);
      await apiOk(alice.accessToken, "POST", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/invite`, { user_id: bob.userId });
      await bobClient.joinRoom(roomId);
      let caught: unknown;
      for (let i = 0; i < 10 && caught === undefined; i++) {
        try {
          await bobClient.sendText(roomId, `burst ${i}`);
        } catch (err) {
          caught = err;
        }
      }
      expect(caught).toBeInstanceOf(sdk.MatrixError);
      const err = caught as MatrixError;
      expect(err.statusCode).toBe(429);
      expect(err.errcode).toBe("M_LIMIT_EXCEEDED");
      expect(err.body.errcode).toBe("M_LIMIT_EXCEEDED");
      expect(typeof err.retryAfterMs).toBe("number");
      expect(err.message).toMatch(/^M_LIMIT_EXCEEDED: /);
      // The raw HTTP answer also carries a Retry-After header (seconds).
      const raw = await api(bob.accessToken, "PUT", `/_matrix/client/v3/rooms/${encodeURIComponent(roomId)}/send/m.room.message/raw-${Date.now()}`, { msgtype: "m.text", body: "raw burst" });
      console.log(
        `[e2e] 429: MatrixError statusCode=${err.statusCode} errcode=${err.errcode} retryAfterMs=${err.retryAfterMs}; ` +
          `raw status=${raw.status} retry-after header=${raw.headers.get("retry-after")} body=${JSON.stringify(raw.json)}`,
      );
    } finally {
      await apiOk(admin.accessToken, "DELETE", overridePath);
    }
  });
});
