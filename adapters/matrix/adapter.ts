// The Matrix adapter: matrix-bot-sdk's sync loop in (see inbox.ts), the
// outbox out (see outbound.ts). This file is the lifecycle: log in, sync,
// reconnect while the homeserver is unreachable at start, stop.
//
// Old events: on an initial sync (no stored token: first start, or a lost
// state file) the homeserver sends recent history; anything older than our
// start (minus a margin for clock skew) is ignored. When resuming from a
// stored token, what arrives is what happened while we were down: handled,
// up to `catchUpMs` old. The core dedupes event ids anyway.
import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type { MatrixClient } from "matrix-bot-sdk";
import type { Adapter, CorePort } from "../../bot/adapter.ts";
import { type Clock, systemClock } from "../../bot/clock.ts";
import type { Delivery } from "../../bot/events.ts";
import type { Logger } from "../../bot/log.ts";
import { createSdkClient, resolveAccessToken, SdkMatrixApi } from "./client.ts";
import { describe, isTransient, matrixErrorOf } from "./errors.ts";
import { Inbox } from "./inbox.ts";
import { Outbound } from "./outbound.ts";
import { RoomDirectory } from "./rooms.ts";
import { loadMatrixSdk, type LoadedMatrixSdk, redirectMatrixSdkLogs } from "./sdk.ts";
import type { MatrixSettings } from "./settings.ts";
import { MatrixStateStore, STATE_FILE } from "./state-store.ts";

type Json = Record<string, any>;

export interface MatrixAdapterOptions {
  settings: MatrixSettings;
  /** `<dataDir>/matrix-state.sqlite` and, with E2EE, `<dataDir>/matrix-crypto/`. */
  dataDir: string;
  log: Logger;
  clock?: Clock;
  /** Long-poll timeout of each /sync (default 30 s). stop() can't cancel one in flight. */
  syncTimeoutMs?: number;
  /** On an initial sync, events older than start minus this are ignored (default 30 s). */
  startMarginMs?: number;
  /** When resuming, events older than this are ignored (default 24 h). */
  catchUpMs?: number;
  loadSdk?: () => LoadedMatrixSdk;
}

/** Filter for /sync: no presence, typing or receipts; more history per room after a long downtime. */
const SYNC_FILTER = {
  presence: { types: [] as string[] },
  room: { ephemeral: { types: [] as string[] }, timeline: { limit: 50 } },
};

const MAX_RECONNECT_MS = 60_000;

let e2eeWarned = false;

export class MatrixAdapter implements Adapter {
  readonly platform = "matrix" as const;
  readonly capabilities = { buttons: false, ephemeral: false, edit: true, invite: true, files: true };
  readonly commandPrefix: string;
  private readonly log: Logger;
  private readonly clock: Clock;
  private core: CorePort | undefined;
  private sdk: LoadedMatrixSdk | undefined;
  private client: MatrixClient | undefined;
  private store: MatrixStateStore | undefined;
  private outbound: Outbound | undefined;
  private inbox: Inbox | undefined;
  private botUserId: string | undefined;
  private startedAt = 0;
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** The last /sync reached the homeserver (see watchSync). */
  private syncing = false;
  private intakeStopped = false;

  constructor(private readonly opts: MatrixAdapterOptions) {
    this.commandPrefix = `${opts.settings.commandPrefix} `;
    this.log = opts.log.child({ adapter: "matrix" });
    this.clock = opts.clock ?? systemClock;
  }

  /** Syncing with the homeserver now (`/readyz`): the last /sync got an answer. */
  connected(): boolean {
    return this.client !== undefined && this.syncing && !this.intakeStopped;
  }

  /**
   * matrix-bot-sdk keeps syncing through outages (logging and backing off)
   * and tells its caller nothing, so the adapter watches each /sync's
   * outcome. `doSync` is the SDK's own per-request method (0.7.1, pinned);
   * should a later version rename it, this does nothing and `connected`
   * says only whether the client was started.
   */
  private watchSync(client: MatrixClient): void {
    const sdkClient = client as unknown as { doSync?: (token: string | null) => Promise<unknown> };
    const doSync = sdkClient.doSync?.bind(client);
    if (!doSync) return;
    sdkClient.doSync = async (token) => {
      try {
        const response = await doSync(token);
        this.syncing = true;
        return response;
      } catch (err) {
        this.syncing = false;
        throw err;
      }
    };
  }

  /** The bot's user id, once connected. */
  get userId(): string | undefined {
    return this.botUserId;
  }

  /**
   * Logs in and starts syncing. If the homeserver can't be reached, keeps
   * trying in the background (messages wait in the outbox meanwhile); a
   * refused token or password fails the start.
   */
  async start(core: CorePort): Promise<void> {
    this.core = core;
    this.intakeStopped = false;
    this.startedAt = this.clock.now();
    this.sdk = (this.opts.loadSdk ?? loadMatrixSdk)();
    redirectMatrixSdkLogs(this.log);
    if (!this.sdk.e2ee && !e2eeWarned) {
      e2eeWarned = true;
      this.log.warn({ reason: this.sdk.e2eeError }, "matrix: end-to-end encryption unavailable (native crypto binding not installed): the bot runs unencrypted and cannot read encrypted rooms; it says so once in each such room");
    }
    this.store = new MatrixStateStore(join(this.opts.dataDir, STATE_FILE));
    try {
      await this.connect();
    } catch (err) {
      if (!isTransient(err)) {
        this.core = undefined;
        this.store.close();
        throw err;
      }
      this.log.warn({ homeserver: this.opts.settings.homeserverUrl, error: describe(err) }, "matrix: homeserver unreachable; retrying in the background");
      this.reconnect(1000);
    }
  }

  private reconnect(delayMs: number): void {
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = undefined;
      if (!this.core) return;
      this.connect().catch((err: unknown) => {
        if (!this.core) return;
        if (isTransient(err)) {
          this.log.warn({ error: describe(err), retryInMs: Math.min(delayMs * 2, MAX_RECONNECT_MS) }, "matrix: homeserver still unreachable");
          this.reconnect(Math.min(delayMs * 2, MAX_RECONNECT_MS));
        } else {
          this.log.error({ err }, "matrix: could not connect; the Matrix adapter stays off until the bot is restarted");
        }
      });
    }, delayMs);
  }

  private async connect(): Promise<void> {
    const { settings, dataDir } = this.opts;
    const { sdk, e2ee } = this.sdk!;
    const store = this.store!;
    let token = await resolveAccessToken(sdk, settings, store, this.log);
    const cryptoStore = e2ee ? new sdk.RustSdkCryptoStorageProvider(join(dataDir, "matrix-crypto")) : undefined;
    const make = (accessToken: string) =>
      createSdkClient(sdk, {
        homeserverUrl: settings.homeserverUrl,
        accessToken,
        storage: store,
        cryptoStore,
        syncTimeoutMs: this.opts.syncTimeoutMs ?? 30_000,
        onListenerError: (err, event) => this.log.error({ err, event }, "matrix: a sync listener failed; the rest of the batch goes on"),
      });
    let client = make(token.accessToken);
    let userId: string;
    try {
      userId = await client.getUserId();
    } catch (err) {
      if (matrixErrorOf(err)?.errcode !== "M_UNKNOWN_TOKEN") throw err;
      if (token.source !== "stored") throw new Error(`the homeserver refused MATRIX_ACCESS_TOKEN (${describe(err)}): set a valid token`);
      this.log.warn("matrix: the stored access token was refused; logging in again");
      token = await resolveAccessToken(sdk, settings, store, this.log, { forceLogin: true });
      client = make(token.accessToken);
      userId = await client.getUserId();
    }
    const api = new SdkMatrixApi(client, userId);
    const rooms = new RoomDirectory(api, store, this.clock, this.log);
    rooms.onRename = (userId, name) => this.core?.renamed("matrix", userId, name);
    await rooms.load();
    let salt = store.meta("txn_salt");
    if (!salt) store.setMeta("txn_salt", (salt = randomBytes(6).toString("hex")));
    store.pruneSent(this.startedAt - 180 * 24 * 3600_000);
    // Recent command event → its sender: the inbox notes them, replies ping them.
    const senders = new Map<string, string>();
    const outbound = new Outbound({ api, store, rooms, log: this.log, clock: this.clock, render: { prefix: this.commandPrefix }, salt, senderOf: (id) => senders.get(id) });
    const inbox = new Inbox({ settings, api, store, rooms, outbound, senders, log: this.log, clock: this.clock, e2ee, core: () => this.core, cutoff: () => this.cutoff() });

    client.on("room.event", (roomId: string, event: Json) => inbox.onTimelineEvent(roomId, event));
    client.on("room.invite", (roomId: string, event: Json) => inbox.onInvite(roomId, event));
    client.on("room.leave", (roomId: string) => rooms.forget(roomId));
    client.on("room.join", (roomId: string) => rooms.joined.add(roomId));
    if (!this.core || this.intakeStopped) return; // stopped while connecting
    this.watchSync(client);
    this.syncing = true; // getUserId just reached the homeserver
    this.client = client;
    this.inbox = inbox;
    this.outbound = outbound;
    this.botUserId = userId;
    await client.start(SYNC_FILTER);
    if (!this.core || this.intakeStopped) {
      client.stop(); // stop() came while start() was under way (start() clears the stop flag)
      return;
    }
    this.log.info({ userId, homeserver: settings.homeserverUrl, resumed: store.tokenAtStart != null, e2ee }, "matrix: syncing");
    inbox.schedule(); // events left in the inbox by the last run
  }

  /**
   * Stops syncing: nothing new is taken in. A /sync already in flight still
   * lands in the adapter's inbox and reaches the core as usual, and messages
   * still go out until `stop`.
   */
  async stopIntake(): Promise<void> {
    this.intakeStopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    this.client?.stop();
  }

  async stop(): Promise<void> {
    this.intakeStopped = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
    // First the core and the store: a sync still in flight (stop() can't
    // cancel it) can then neither reach the core, queue events nor move the token.
    this.core = undefined;
    this.store?.close();
    this.client?.stop();
    this.outbound = undefined;
    await this.inbox?.settle(5000);
  }

  deliver(delivery: Delivery): Promise<{ ref?: string }> {
    if (!this.core || !this.outbound) return Promise.reject(new Error("the Matrix adapter is not connected"));
    return this.outbound.deliver(delivery);
  }

  /** Events before this (homeserver time) are not acted on. */
  private cutoff(): number {
    const resumed = this.store?.tokenAtStart != null;
    return resumed ? this.startedAt - (this.opts.catchUpMs ?? 24 * 3600_000) : this.startedAt - (this.opts.startMarginMs ?? 30_000);
  }
}
