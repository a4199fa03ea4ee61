/**
 * A real coopbot (bot/app.ts on a temp-dir SQLite, the Matrix adapter) and
 * real people (alice, bob, carol, coopadmin) talking to it through a live
 * Synapse. Start it with `npm run test:matrix` (scripts/test-matrix.sh).
 *
 *   const h = await MatrixE2E.start();
 *   const room = await h.createRoom("admin", { name: "Comms", invite: ["alice"] });
 *   const cmd = await h.say("admin", room, "!coop group link comms");
 *   const reply = await h.waitForMessage("admin", room, (m) => m.inReplyTo === cmd);
 *   await h.react("bob", dm, reply.eventId, "✅");
 *   await h.teardown();
 *
 * People's views are read from the server (`/messages`), with edits applied,
 * so nothing depends on sync timing. Every wait has a timeout; there are no
 * fixed sleeps. MATRIX_E2E_LOG=1 prints the bot's log after each file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { MatrixClient } from "matrix-bot-sdk";
import { pino } from "pino";
import { Bot } from "../../bot/app.ts";
import { systemClock } from "../../bot/clock.ts";
import { buildConfig } from "../../bot/config.ts";
import { BaseContext } from "../../bot/context.ts";
import type { InboundEvent } from "../../bot/events.ts";
import type { Logger } from "../../bot/log.ts";
import { capabilities } from "../../commands/index.ts";
import { postToGroupRooms } from "../../commands/groups/lookup.ts";
import { inTransaction } from "../../db/connection.ts";
import { findGroupBySlug } from "../../db/groups.ts";
import { createMatrixAdapter, type MatrixAdapter } from "../../adapters/matrix/index.ts";
import { loadMatrixSdk, redirectMatrixSdkLogs } from "../../adapters/matrix/sdk.ts";

export const HS = (process.env.MATRIX_HOMESERVER_URL ?? "http://127.0.0.1:18008").replace(/\/$/, "");
export const SERVER_NAME = process.env.MATRIX_SERVER_NAME ?? "localhost";

type Json = Record<string, any>;
export type PersonName = "alice" | "bob" | "carol" | "admin";

const creds = (prefix: string, user: string) => ({
  user: process.env[`MATRIX_${prefix}_USER`] ?? user,
  password: process.env[`MATRIX_${prefix}_PASSWORD`] ?? `${user}-password`,
});
export const BOT_CREDS = creds("BOT", "coopbot");
const PEOPLE: Record<PersonName, { user: string; password: string }> = {
  alice: creds("ALICE", "alice"),
  bob: creds("BOB", "bob"),
  carol: creds("CAROL", "carol"),
  admin: creds("ADMIN", "coopadmin"),
};
export const userIdOf = (user: string) => `@${user}:${SERVER_NAME}`;
export const BOT_ID = userIdOf(BOT_CREDS.user);
export const ID: Record<PersonName, string> = {
  alice: userIdOf(PEOPLE.alice.user),
  bob: userIdOf(PEOPLE.bob.user),
  carol: userIdOf(PEOPLE.carol.user),
  admin: userIdOf(PEOPLE.admin.user),
};

/** The federation as the e2e tests see it: coopadmin is admin, bob drives two groups, carol co-drives comms. */
export function e2eConfig(): Record<string, unknown> {
  return {
    federation: { name: "e2e.coop" },
    admins: [`matrix:${ID.admin}`],
    groups: [
      { slug: "comms", name: "Communications Group", kind: "working", policy: "approval", drivers: [`matrix:${ID.bob}`, `matrix:${ID.carol}`] },
      { slug: "mobilising", name: "Mobilising Group", kind: "working", policy: "approval", drivers: [`matrix:${ID.bob}`] },
      { slug: "leeds", name: "Leeds network", kind: "network", policy: "open" },
    ],
  };
}

export async function api(token: string | null, method: string, urlPath: string, body?: unknown): Promise<{ status: number; json: Json }> {
  const res = await fetch(HS + urlPath, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body === undefined ? {} : { "content-type": "application/json" }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Json = {};
  try {
    json = text ? (JSON.parse(text) as Json) : {};
  } catch {
    json = { raw: text };
  }
  return { status: res.status, json };
}

export async function apiOk(token: string | null, method: string, urlPath: string, body?: unknown): Promise<Json> {
  const r = await api(token, method, urlPath, body);
  if (r.status < 200 || r.status >= 300) throw new Error(`${method} ${urlPath} -> ${r.status} ${JSON.stringify(r.json)}`);
  return r.json;
}

export async function login(user: string, password: string): Promise<{ userId: string; token: string }> {
  const j = await apiOk(null, "POST", "/_matrix/client/v3/login", { type: "m.login.password", identifier: { type: "m.id.user", user }, password, initial_device_display_name: "coopbot e2e" });
  return { userId: j.user_id as string, token: j.access_token as string };
}

/** Polls `fn` until it returns something other than undefined/false. */
export async function waitFor<T>(label: string, fn: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 20_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v !== undefined && v !== false) return v;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${label}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A message as a person sees it now (edits applied). */
export interface SeenMessage {
  eventId: string;
  roomId: string;
  sender: string;
  ts: number;
  /** The content as first sent. */
  original: Json;
  /** The content after the newest edit (`m.new_content`), else the original. */
  content: Json;
  edited: boolean;
  redacted: boolean;
  inReplyTo?: string;
  thread?: string;
}

const enc = encodeURIComponent;
let txn = 0;

export interface Person {
  name: PersonName;
  userId: string;
  token: string;
  client: MatrixClient;
  /** Rooms the bot invited them to as a DM (or they opened as one with the bot). */
  dms: Set<string>;
}

/**
 * The bot's account as a fresh install finds it: in no room, no invite
 * waiting, no DMs in m.direct. Otherwise a later file's bot would find an earlier file's DM
 * with someone (m.direct, both still in it) and write there, where that
 * file's people aren't looking.
 */
export async function resetBotAccount(): Promise<void> {
  const { token } = await login(BOT_CREDS.user, BOT_CREDS.password);
  const joined = (await apiOk(token, "GET", "/_matrix/client/v3/joined_rooms")).joined_rooms as string[];
  for (const roomId of joined) await api(token, "POST", `/_matrix/client/v3/rooms/${enc(roomId)}/leave`, {});
  // Invites it never accepted (a file that stopped its bot first) are declined too: the next bot would
  // accept an is_direct one at its start and take that room as its DM with whoever sent it.
  const filter = JSON.stringify({ room: { timeline: { limit: 0 }, state: { types: [] }, ephemeral: { types: [] }, account_data: { types: [] } }, presence: { types: [] }, account_data: { types: [] } });
  const sync = await apiOk(token, "GET", `/_matrix/client/v3/sync?timeout=0&filter=${enc(filter)}`);
  for (const roomId of Object.keys((sync.rooms as Json | undefined)?.invite ?? {})) await api(token, "POST", `/_matrix/client/v3/rooms/${enc(roomId)}/leave`, {});
  await api(token, "PUT", `/_matrix/client/v3/user/${enc(BOT_ID)}/account_data/m.direct`, {});
  await api(token, "POST", "/_matrix/client/v3/logout", {});
}

export class MatrixE2E {
  readonly people = {} as Record<PersonName, Person>;
  /** Every InboundEvent the core received, across restarts. */
  readonly received: InboundEvent[] = [];
  /** The bot's log lines (pino JSON), across restarts. */
  readonly logs: Json[] = [];
  readonly log: Logger;
  bot!: Bot;
  adapter!: MatrixAdapter;
  private readonly createdRooms: string[] = [];

  private constructor(
    readonly dataDir: string,
    readonly dbPath: string,
  ) {
    this.log = pino({ level: "debug" }, { write: (line: string) => void this.logs.push(JSON.parse(line) as Json) });
  }

  /** Logs the people in (their clients accept invites, like a person clicking Join) and starts the bot. */
  static async start(opts: { startBot?: boolean } = {}): Promise<MatrixE2E> {
    const dir = mkdtempSync(path.join(tmpdir(), "coopbot-matrix-e2e-"));
    const h = new MatrixE2E(dir, path.join(dir, "coopbot.sqlite"));
    const versions = await api(null, "GET", "/_matrix/client/versions").catch((err: unknown) => {
      throw new Error(`no Matrix homeserver at ${HS} (${String(err)}): run these tests via npm run test:matrix`);
    });
    if (versions.status !== 200) throw new Error(`no Matrix homeserver at ${HS}: run via npm run test:matrix`);
    // Whatever ran before (a file that crashed before its teardown, the SDK smoke test), the bot starts in no room with no DMs.
    await resetBotAccount();
    const { sdk } = loadMatrixSdk();
    // The people's clients log through the same SDK logger: into the bot's log, not the test output.
    redirectMatrixSdkLogs(h.log);
    for (const name of Object.keys(PEOPLE) as PersonName[]) {
      const { userId, token } = await login(PEOPLE[name].user, PEOPLE[name].password);
      const client = new sdk.MatrixClient(HS, token, new sdk.MemoryStorageProvider());
      client.syncingTimeout = 1000;
      const person: Person = { name, userId, token, client, dms: new Set() };
      client.on("room.invite", (roomId: string, ev: Json) => {
        if (ev.sender === BOT_ID && ev.content?.is_direct) person.dms.add(roomId);
        client.joinRoom(roomId).catch(() => undefined);
      });
      h.people[name] = person;
    }
    await Promise.all(Object.values(h.people).map((p) => p.client.start()));
    if (opts.startBot !== false) await h.startBot();
    return h;
  }

  /** A fresh Bot + Matrix adapter on this harness's data dir and database (a restart when called again). */
  async startBot(
    overrides: { syncTimeoutMs?: number; startMarginMs?: number; homeserverUrl?: string; requireConnected?: boolean; config?: Record<string, unknown> } = {},
  ): Promise<void> {
    const { homeserverUrl = HS, requireConnected = true, config: extra = {}, ...adapterOptions } = overrides;
    const config = buildConfig({ ...e2eConfig(), ...extra }, capabilities);
    const bot = new Bot({ config, capabilities, clock: systemClock, log: this.log, db: this.dbPath });
    const receive = bot.receive.bind(bot);
    bot.receive = (event) => {
      this.received.push(event);
      return receive(event);
    };
    const env = { MATRIX_HOMESERVER_URL: homeserverUrl, MATRIX_USER: BOT_CREDS.user, MATRIX_PASSWORD: BOT_CREDS.password };
    this.adapter = await createMatrixAdapter({ env, config, log: this.log, dataDir: this.dataDir }, { ...adapterOptions, syncTimeoutMs: adapterOptions.syncTimeoutMs ?? 1000 });
    bot.attach(this.adapter);
    this.bot = bot;
    await bot.start({ schedulerIntervalMs: 500 });
    if (requireConnected && !this.adapter.userId) throw new Error("the Matrix adapter did not start: see the log (MATRIX_E2E_LOG=1)");
  }

  async stopBot(): Promise<void> {
    await this.bot.stop();
    this.bot.close();
  }

  async restartBot(): Promise<void> {
    await this.stopBot();
    await this.startBot();
  }

  person(name: PersonName): Person {
    return this.people[name];
  }

  /** A room made by `owner`, the bot and `invite` invited; waits until everyone is in. */
  async createRoom(owner: PersonName, opts: { name: string; invite?: PersonName[]; bot?: boolean; public?: boolean; encrypted?: boolean; powerLevels?: Json }): Promise<string> {
    const o = this.person(owner);
    const others = (opts.invite ?? []).map((n) => this.person(n));
    const created = await apiOk(o.token, "POST", "/_matrix/client/v3/createRoom", {
      name: opts.name,
      preset: opts.public ? "public_chat" : "private_chat",
      invite: [...others.map((p) => p.userId), ...(opts.bot === false ? [] : [BOT_ID])],
      ...(opts.encrypted ? { initial_state: [{ type: "m.room.encryption", state_key: "", content: { algorithm: "m.megolm.v1.aes-sha2" } }] } : {}),
      ...(opts.powerLevels ? { power_level_content_override: opts.powerLevels } : {}),
    });
    const roomId = created.room_id as string;
    this.createdRooms.push(roomId);
    for (const p of others) await apiOk(p.token, "POST", `/_matrix/client/v3/join/${enc(roomId)}`, {});
    if (opts.bot !== false) await this.waitForBotJoined(roomId);
    return roomId;
  }

  async invite(by: PersonName, roomId: string, who: PersonName | "bot"): Promise<void> {
    const userId = who === "bot" ? BOT_ID : this.person(who).userId;
    await apiOk(this.person(by).token, "POST", `/_matrix/client/v3/rooms/${enc(roomId)}/invite`, { user_id: userId });
  }

  async waitForBotJoined(roomId: string, by: PersonName = "admin"): Promise<void> {
    const someone = Object.values(this.people).find((p) => p.name === by) ?? this.person("admin");
    await waitFor(`bot to join ${roomId}`, async () => {
      const r = await api(someone.token, "GET", `/_matrix/client/v3/rooms/${enc(roomId)}/joined_members`);
      if (r.status !== 200) {
        // Not a member themselves: ask as the room's members would see it.
        const any = await this.anyMemberToken(roomId);
        const r2 = await api(any, "GET", `/_matrix/client/v3/rooms/${enc(roomId)}/joined_members`);
        return r2.status === 200 && BOT_ID in (r2.json.joined as Json);
      }
      return BOT_ID in (r.json.joined as Json);
    });
  }

  private async anyMemberToken(roomId: string): Promise<string> {
    for (const p of Object.values(this.people)) {
      const r = await api(p.token, "GET", `/_matrix/client/v3/rooms/${enc(roomId)}/joined_members`);
      if (r.status === 200) return p.token;
    }
    return this.person("admin").token;
  }

  /** The person's DM room with the bot: the newest the bot opened with them, else one they open now. */
  async dmRoom(name: PersonName): Promise<string> {
    const p = this.person(name);
    for (const roomId of [...p.dms].reverse()) {
      const members = await api(p.token, "GET", `/_matrix/client/v3/rooms/${enc(roomId)}/joined_members`);
      if (members.status === 200 && BOT_ID in (members.json.joined as Json)) return roomId;
    }
    const created = await apiOk(p.token, "POST", "/_matrix/client/v3/createRoom", { preset: "trusted_private_chat", is_direct: true, invite: [BOT_ID] });
    const roomId = created.room_id as string;
    p.dms.add(roomId);
    this.createdRooms.push(roomId);
    await this.waitForBotJoined(roomId, name);
    return roomId;
  }

  /** `name` sends a text message; returns its event id. `thread`: the root to answer in its thread. */
  async say(name: PersonName, room: string | "dm", text: string, opts: { thread?: string; html?: string } = {}): Promise<string> {
    const p = this.person(name);
    const roomId = room === "dm" ? await this.dmRoom(name) : room;
    const content: Json = { msgtype: "m.text", body: text };
    if (opts.html) Object.assign(content, { format: "org.matrix.custom.html", formatted_body: opts.html });
    if (opts.thread) content["m.relates_to"] = { rel_type: "m.thread", event_id: opts.thread, is_falling_back: true, "m.in_reply_to": { event_id: opts.thread } };
    return this.send(p, roomId, "m.room.message", content);
  }

  async send(p: Person, roomId: string, type: string, content: Json): Promise<string> {
    const j = await apiOk(p.token, "PUT", `/_matrix/client/v3/rooms/${enc(roomId)}/send/${enc(type)}/e2e-${process.pid}-${++txn}`, content);
    return j.event_id as string;
  }

  async react(name: PersonName, roomId: string, eventId: string, emoji: string): Promise<string> {
    return this.send(this.person(name), roomId, "m.reaction", { "m.relates_to": { rel_type: "m.annotation", event_id: eventId, key: emoji } });
  }

  /** Every event in a room as `name` can read it, oldest first (the newest 100). */
  async timeline(name: PersonName, roomId: string): Promise<Json[]> {
    const r = await api(this.person(name).token, "GET", `/_matrix/client/v3/rooms/${enc(roomId)}/messages?dir=b&limit=100`);
    if (r.status !== 200) return [];
    return (r.json.chunk as Json[]).reverse();
  }

  /** Messages in a room as `name` sees them now, edits applied, oldest first. `from` defaults to the bot. */
  async messages(name: PersonName, room: string | "dm", from: string | null = BOT_ID): Promise<SeenMessage[]> {
    const rooms = room === "dm" ? [...this.person(name).dms] : [room];
    const out: SeenMessage[] = [];
    for (const roomId of rooms) {
      const events = await this.timeline(name, roomId);
      const edits = new Map<string, Json>();
      for (const ev of events) {
        const rel = ev.content?.["m.relates_to"];
        if (ev.type === "m.room.message" && rel?.rel_type === "m.replace" && ev.content["m.new_content"]) edits.set(rel.event_id, ev.content["m.new_content"]);
      }
      for (const ev of events) {
        if (ev.type !== "m.room.message" || (from && ev.sender !== from)) continue;
        const rel = ev.content?.["m.relates_to"];
        if (rel?.rel_type === "m.replace") continue;
        const edit = edits.get(ev.event_id);
        out.push({
          eventId: ev.event_id,
          roomId,
          sender: ev.sender,
          ts: ev.origin_server_ts,
          original: ev.content,
          content: edit ?? ev.content,
          edited: edit !== undefined,
          redacted: Object.keys(ev.content ?? {}).length === 0,
          inReplyTo: rel?.["m.in_reply_to"]?.event_id,
          thread: rel?.rel_type === "m.thread" ? rel.event_id : undefined,
        });
      }
    }
    return out.sort((a, b) => a.ts - b.ts);
  }

  /** Waits until `name` sees a message (from the bot, by default) in the room matching `predicate`. */
  waitForMessage(name: PersonName, room: string | "dm", predicate: (m: SeenMessage) => boolean, opts: { timeoutMs?: number; from?: string | null } = {}): Promise<SeenMessage> {
    return waitFor(`${name} to see a matching message in ${room}`, async () => (await this.messages(name, room, opts.from === undefined ? BOT_ID : opts.from)).find(predicate), opts.timeoutMs);
  }

  /** Reactions in a room (newest 100 events), as `name` sees them. */
  async reactions(name: PersonName, roomId: string): Promise<{ sender: string; target: string; key: string; eventId: string }[]> {
    return (await this.timeline(name, roomId))
      .filter((e) => e.type === "m.reaction" && e.content?.["m.relates_to"])
      .map((e) => ({ sender: e.sender, target: e.content["m.relates_to"].event_id, key: e.content["m.relates_to"].key, eventId: e.event_id }));
  }

  /** Queues a message to a group's linked rooms, as a reminder job would; the dispatcher sends it. */
  postToGroup(slug: string, text: string): void {
    const db = this.bot.db;
    inTransaction(db, () => {
      const group = findGroupBySlug(db, slug);
      if (!group) throw new Error(`no group ${slug}`);
      postToGroupRooms(new BaseContext(this.bot.services, "e2e:postToGroup"), group.id, text);
    });
    this.bot.dispatcher.kick();
  }

  /** Queues messages to one room in one transaction (so they are sent in this order). */
  toRoom(roomId: string, texts: string[]): void {
    inTransaction(this.bot.db, () => {
      const ctx = new BaseContext(this.bot.services, "e2e:toRoom");
      for (const text of texts) ctx.toRoom({ platform: "matrix", id: roomId }, text);
    });
    this.bot.dispatcher.kick();
  }

  /** Log lines whose message contains `text`. */
  logLines(text: string): Json[] {
    return this.logs.filter((l) => typeof l.msg === "string" && l.msg.includes(text));
  }

  /**
   * Stops the bot and the people's clients, and makes the bot leave every
   * room and forget its DMs, so the next test file's fresh bot doesn't get
   * this file's history.
   */
  async teardown(): Promise<void> {
    try {
      if (this.bot) await this.stopBot().catch(() => undefined);
      for (const p of Object.values(this.people)) p.client.stop();
      await resetBotAccount();
    } finally {
      if (process.env.MATRIX_E2E_LOG) console.log(this.logs.map((l) => JSON.stringify(l)).join("\n"));
      rmSync(this.dataDir, { recursive: true, force: true });
    }
  }
}
