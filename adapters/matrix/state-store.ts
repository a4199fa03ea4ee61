// The Matrix adapter's own SQLite file (`<dataDir>/matrix-state.sqlite`),
// separate from the bot's database: matrix-bot-sdk's sync state (it
// implements the SDK's IStorageProvider, so a restart resumes from the last
// sync token) plus a few small tables of our own:
//   inbox       events taken from a sync batch, kept until handled (so the
//               sync token can move on without losing them on a crash)
//   dm_rooms    the direct-message room the bot uses with each person
//   notices     rooms already told something once (e.g. "encrypted, I can't read it")
//   sent        which room each message the bot sent is in (for edits)
//   meta        the stored login token and similar single values
import { chmodSync, mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import type { IFilterInfo, IStorageProvider } from "matrix-bot-sdk";

export const STATE_FILE = "matrix-state.sqlite";

const SCHEMA_VERSION = 1;
const SCHEMA = `
  create table if not exists sdk_kv (key text primary key, value text not null);
  create table if not exists inbox (
    id integer primary key autoincrement,
    kind text not null,
    room_id text not null,
    event text not null,
    received_at integer not null
  );
  create table if not exists dm_rooms (user_id text primary key, room_id text not null, updated_at integer not null);
  create index if not exists dm_rooms_room on dm_rooms (room_id);
  create table if not exists notices (room_id text not null, kind text not null, at integer not null, primary key (room_id, kind));
  create table if not exists sent (event_id text primary key, room_id text not null, at integer not null);
  create index if not exists sent_at on sent (at);
  create table if not exists meta (key text primary key, value text not null);
`;

export type InboxKind = "event" | "invite";

export interface InboxRow {
  id: number;
  kind: InboxKind;
  roomId: string;
  event: Record<string, any>;
  receivedAt: number;
}

export interface StoredLogin {
  homeserverUrl: string;
  user: string;
  accessToken: string;
  deviceId?: string;
}

/**
 * Synchronous (better-sqlite3), so the SDK's `setSyncToken` and the inbox
 * writes done inside sync listeners are on disk before the SDK goes on.
 * After `close()` every write is a no-op and every read answers "nothing":
 * a stopped client's late sync (stop() does not cancel the in-flight
 * long-poll) can then neither advance the token nor queue events.
 */
export class MatrixStateStore implements IStorageProvider {
  private readonly db: Database.Database;
  private closed = false;
  private readonly stmts;
  /** The sync token the SDK read when it started syncing (null: an initial sync, which replays history). */
  tokenAtStart: string | null | undefined;

  constructor(path: string) {
    if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    if (path !== ":memory:") chmodSync(path, 0o600); // it holds the access token
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("busy_timeout = 5000");
    this.db.pragma("synchronous = NORMAL");
    // Raw events (a clinic question typed in a room among them) pass through
    // the inbox here: deleted content is zeroed, and the WAL is kept short.
    this.db.pragma("secure_delete = ON");
    this.db.pragma(`journal_size_limit = ${4 * 1024 * 1024}`);
    this.db.exec(SCHEMA);
    this.db.pragma(`user_version = ${SCHEMA_VERSION}`);
    const db = this.db;
    this.stmts = {
      kvGet: db.prepare<[string], { value: string }>("select value from sdk_kv where key = ?"),
      kvSet: db.prepare("insert into sdk_kv (key, value) values (?, ?) on conflict (key) do update set value = excluded.value"),
      kvDel: db.prepare("delete from sdk_kv where key = ?"),
      inboxAdd: db.prepare("insert into inbox (kind, room_id, event, received_at) values (?, ?, ?, ?)"),
      inboxPending: db.prepare<[number], { id: number; kind: InboxKind; room_id: string; event: string; received_at: number }>(
        "select id, kind, room_id, event, received_at from inbox order by id limit ?",
      ),
      inboxDone: db.prepare("delete from inbox where id = ?"),
      dmGet: db.prepare<[string], { room_id: string }>("select room_id from dm_rooms where user_id = ?"),
      dmSet: db.prepare("insert into dm_rooms (user_id, room_id, updated_at) values (?, ?, ?) on conflict (user_id) do update set room_id = excluded.room_id, updated_at = excluded.updated_at"),
      dmForget: db.prepare("delete from dm_rooms where user_id = ? and room_id = ?"),
      dmForgetRoom: db.prepare("delete from dm_rooms where room_id = ?"),
      dmByRoom: db.prepare<[string], { user_id: string }>("select user_id from dm_rooms where room_id = ?"),
      noticeAdd: db.prepare("insert or ignore into notices (room_id, kind, at) values (?, ?, ?)"),
      noticeHas: db.prepare<[string, string], { at: number }>("select at from notices where room_id = ? and kind = ?"),
      sentAdd: db.prepare("insert or ignore into sent (event_id, room_id, at) values (?, ?, ?)"),
      sentRoom: db.prepare<[string], { room_id: string }>("select room_id from sent where event_id = ?"),
      sentPrune: db.prepare("delete from sent where at < ?"),
      metaGet: db.prepare<[string], { value: string }>("select value from meta where key = ?"),
      metaSet: db.prepare("insert into meta (key, value) values (?, ?) on conflict (key) do update set value = excluded.value"),
      metaDel: db.prepare("delete from meta where key = ?"),
    };
  }

  get isClosed(): boolean {
    return this.closed;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  // --- IStorageProvider (matrix-bot-sdk) ---

  setSyncToken(token: string | null): void {
    if (this.closed) return;
    if (token === null) this.stmts.kvDel.run("sync_token");
    else this.stmts.kvSet.run("sync_token", token);
  }

  getSyncToken(): string | null {
    if (this.closed) return null;
    const token = this.stmts.kvGet.get("sync_token")?.value ?? null;
    if (this.tokenAtStart === undefined) this.tokenAtStart = token;
    return token;
  }

  setFilter(filter: IFilterInfo): void {
    if (this.closed) return;
    this.stmts.kvSet.run("filter", JSON.stringify(filter));
  }

  getFilter(): IFilterInfo {
    if (this.closed) return undefined as unknown as IFilterInfo;
    const raw = this.stmts.kvGet.get("filter")?.value;
    // The SDK's type says IFilterInfo, but it checks for a falsy answer ("no filter yet").
    return (raw ? JSON.parse(raw) : undefined) as IFilterInfo;
  }

  storeValue(key: string, value: string): void {
    if (this.closed) return;
    this.stmts.kvSet.run(`value:${key}`, value);
  }

  readValue(key: string): string | null | undefined {
    if (this.closed) return undefined;
    return this.stmts.kvGet.get(`value:${key}`)?.value;
  }

  // --- inbox ---

  enqueue(kind: InboxKind, roomId: string, event: object, now: number): number | undefined {
    if (this.closed) return undefined;
    return Number(this.stmts.inboxAdd.run(kind, roomId, JSON.stringify(event), now).lastInsertRowid);
  }

  pending(limit = 500): InboxRow[] {
    if (this.closed) return [];
    return this.stmts.inboxPending.all(limit).map((r) => ({ id: r.id, kind: r.kind, roomId: r.room_id, event: JSON.parse(r.event), receivedAt: r.received_at }));
  }

  done(id: number): void {
    if (this.closed) return;
    this.stmts.inboxDone.run(id);
  }

  // --- direct-message rooms ---

  dmRoom(userId: string): string | undefined {
    if (this.closed) return undefined;
    return this.stmts.dmGet.get(userId)?.room_id;
  }

  setDmRoom(userId: string, roomId: string, now: number): void {
    if (this.closed) return;
    this.stmts.dmSet.run(userId, roomId, now);
  }

  forgetDmRoom(userId: string, roomId: string): void {
    if (this.closed) return;
    this.stmts.dmForget.run(userId, roomId);
  }

  forgetRoom(roomId: string): void {
    if (this.closed) return;
    this.stmts.dmForgetRoom.run(roomId);
  }

  /** The person a room is the DM with, if it is one we know. */
  dmPartner(roomId: string): string | undefined {
    if (this.closed) return undefined;
    return this.stmts.dmByRoom.get(roomId)?.user_id;
  }

  // --- one-time notices ---

  noticed(roomId: string, kind: string): boolean {
    if (this.closed) return true;
    return this.stmts.noticeHas.get(roomId, kind) !== undefined;
  }

  markNoticed(roomId: string, kind: string, now: number): void {
    if (this.closed) return;
    this.stmts.noticeAdd.run(roomId, kind, now);
  }

  // --- messages the bot sent ---

  recordSent(eventId: string, roomId: string, now: number): void {
    if (this.closed) return;
    this.stmts.sentAdd.run(eventId, roomId, now);
  }

  roomOfSent(eventId: string): string | undefined {
    if (this.closed) return undefined;
    return this.stmts.sentRoom.get(eventId)?.room_id;
  }

  pruneSent(before: number): number {
    if (this.closed) return 0;
    return this.stmts.sentPrune.run(before).changes;
  }

  // --- single values ---

  meta(key: string): string | undefined {
    if (this.closed) return undefined;
    return this.stmts.metaGet.get(key)?.value;
  }

  setMeta(key: string, value: string | undefined): void {
    if (this.closed) return;
    if (value === undefined) this.stmts.metaDel.run(key);
    else this.stmts.metaSet.run(key, value);
  }

  storedLogin(): StoredLogin | undefined {
    const raw = this.meta("login");
    return raw ? (JSON.parse(raw) as StoredLogin) : undefined;
  }

  storeLogin(login: StoredLogin | undefined): void {
    this.setMeta("login", login === undefined ? undefined : JSON.stringify(login));
  }
}
