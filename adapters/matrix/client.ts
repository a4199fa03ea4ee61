// The matrix-bot-sdk client as the adapter uses it: logged in (a stored
// token, or a password login whose token is stored), syncing safely, and
// wrapped in a small API (MatrixApi) the rest of the adapter talks to, so
// it can be tested with a fake.
import type { MatrixClient } from "matrix-bot-sdk";
import type { Logger } from "../../bot/log.ts";
import { isRateLimited, matrixErrorOf } from "./errors.ts";
import type { MatrixSdk } from "./sdk.ts";
import type { MatrixSettings } from "./settings.ts";
import type { MatrixStateStore } from "./state-store.ts";

type Json = Record<string, any>;

/** Everything the adapter asks of the homeserver, outside the sync loop. */
export interface MatrixApi {
  readonly userId: string;
  /** Sends with our own transaction id, so a retried send is never posted twice. */
  sendEvent(roomId: string, type: string, content: object, txnId: string): Promise<string>;
  redactEvent(roomId: string, eventId: string, reason: string | undefined, txnId: string): Promise<string>;
  /** Puts bytes in the homeserver's media repository; returns their mxc:// URI. */
  uploadContent(data: Buffer, contentType: string, filename: string): Promise<string>;
  /** A state event (whole event, with sender), or undefined when the room has none. */
  stateEvent(roomId: string, type: string, stateKey?: string): Promise<Json | undefined>;
  joinedMembers(roomId: string): Promise<string[]>;
  displayName(userId: string): Promise<string | undefined>;
  /** A user's profile: `{}` when they have no display name, undefined when the homeserver doesn't know them. */
  profile(userId: string): Promise<{ displayname?: string } | undefined>;
  /** Creates a DM room with `userId` (is_direct invite) and returns its id. */
  createDirectRoom(userId: string): Promise<string>;
  /** The bot's `m.direct` account data: user id → DM room ids. */
  directRooms(): Promise<Record<string, string[]>>;
  setDirectRooms(map: Record<string, string[]>): Promise<void>;
  /** Whether the SDK's DM cache (m.direct, is_direct invites) lists the room. */
  isDirect(roomId: string): boolean;
  joinRoom(roomId: string): Promise<void>;
  /** Invites a user to a room (membership follows a group: adapters/matrix/membership.ts). */
  inviteUser(roomId: string, userId: string): Promise<void>;
  kickUser(roomId: string, userId: string, reason?: string): Promise<void>;
  leaveRoom(roomId: string, reason?: string): Promise<void>;
  joinedRooms(): Promise<string[]>;
}

const enc = encodeURIComponent;

/** Wraps the SDK client (see STACK.md: only this adapter touches it). */
export class SdkMatrixApi implements MatrixApi {
  constructor(
    readonly client: MatrixClient,
    readonly userId: string,
  ) {}

  async sendEvent(roomId: string, type: string, content: object, txnId: string): Promise<string> {
    let eventType = type;
    let body: object = content;
    if (this.client.crypto && (await this.client.crypto.isRoomEncrypted(roomId))) {
      body = await this.client.crypto.encryptRoomEvent(roomId, type, content);
      eventType = "m.room.encrypted";
    }
    const res = await this.client.doRequest("PUT", `/_matrix/client/v3/rooms/${enc(roomId)}/send/${enc(eventType)}/${enc(txnId)}`, null, body);
    return res.event_id as string;
  }

  async redactEvent(roomId: string, eventId: string, reason: string | undefined, txnId: string): Promise<string> {
    const res = await this.client.doRequest("PUT", `/_matrix/client/v3/rooms/${enc(roomId)}/redact/${enc(eventId)}/${enc(txnId)}`, null, reason ? { reason } : {});
    return res.event_id as string;
  }

  uploadContent(data: Buffer, contentType: string, filename: string): Promise<string> {
    return this.client.uploadContent(data, contentType, filename);
  }

  async stateEvent(roomId: string, type: string, stateKey = ""): Promise<Json | undefined> {
    try {
      const ev = await this.client.doRequest("GET", `/_matrix/client/v3/rooms/${enc(roomId)}/state/${enc(type)}/${enc(stateKey)}`, { format: "event" });
      // Servers without `format=event` answer with the content alone.
      return ev && typeof ev === "object" && "content" in ev && "type" in ev ? ev : { type, state_key: stateKey, content: ev };
    } catch (err) {
      if (matrixErrorOf(err)?.errcode === "M_NOT_FOUND" || matrixErrorOf(err)?.statusCode === 404) return undefined;
      throw err;
    }
  }

  joinedMembers(roomId: string): Promise<string[]> {
    return this.client.getJoinedRoomMembers(roomId);
  }

  async profile(userId: string): Promise<{ displayname?: string } | undefined> {
    const profile = (await this.client.getUserProfile(userId).catch(() => undefined)) as { displayname?: unknown } | undefined;
    if (!profile) return undefined;
    return typeof profile.displayname === "string" && profile.displayname.trim() ? { displayname: profile.displayname.trim() } : {};
  }

  async displayName(userId: string): Promise<string | undefined> {
    const profile = await this.client.getUserProfile(userId).catch(() => undefined);
    return typeof profile?.displayname === "string" && profile.displayname.trim() ? profile.displayname.trim() : undefined;
  }

  createDirectRoom(userId: string): Promise<string> {
    // Unencrypted unless E2EE is on and the person has keys (as the SDK's own getOrCreateDm does).
    return this.client.createRoom({ invite: [userId], is_direct: true, preset: "trusted_private_chat" });
  }

  async directRooms(): Promise<Record<string, string[]>> {
    try {
      return ((await this.client.getAccountData("m.direct")) ?? {}) as Record<string, string[]>;
    } catch (err) {
      if (matrixErrorOf(err)?.errcode === "M_NOT_FOUND" || matrixErrorOf(err)?.statusCode === 404) return {};
      throw err;
    }
  }

  async setDirectRooms(map: Record<string, string[]>): Promise<void> {
    await this.client.setAccountData("m.direct", map);
    await this.client.dms.update();
  }

  isDirect(roomId: string): boolean {
    return this.client.dms.isDm(roomId);
  }

  async joinRoom(roomId: string): Promise<void> {
    await this.client.joinRoom(roomId);
  }

  async inviteUser(roomId: string, userId: string): Promise<void> {
    await this.client.inviteUser(userId, roomId);
  }

  async kickUser(roomId: string, userId: string, reason?: string): Promise<void> {
    await this.client.kickUser(userId, roomId, reason);
  }

  async leaveRoom(roomId: string, reason?: string): Promise<void> {
    await this.client.leaveRoom(roomId, reason);
  }

  joinedRooms(): Promise<string[]> {
    return this.client.getJoinedRooms();
  }
}

export interface ClientOptions {
  homeserverUrl: string;
  accessToken: string;
  storage: MatrixStateStore;
  /** Only when E2EE loaded (STACK.md): a RustSdkCryptoStorageProvider. */
  cryptoStore?: unknown;
  syncTimeoutMs: number;
  /** A sync listener threw or rejected: logged, and the rest of the batch still runs. */
  onListenerError: (err: unknown, event: string) => void;
}

/**
 * A MatrixClient that (1) stores the sync token only after a batch has been
 * emitted (our listeners put its events in the inbox first, so a crash loses
 * nothing), (2) never lets one listener's throw or rejection abort the batch
 * or crash the process — the SDK's own listeners included.
 */
export function createSdkClient(sdk: MatrixSdk, opts: ClientOptions): MatrixClient {
  const guard =
    (event: string | symbol, listener: (...args: any[]) => unknown) =>
    (...args: any[]): void => {
      try {
        const result = listener(...args);
        if (result && typeof (result as Promise<unknown>).catch === "function") {
          (result as Promise<unknown>).catch((err) => opts.onListenerError(err, String(event)));
        }
      } catch (err) {
        opts.onListenerError(err, String(event));
      }
    };

  class CoopMatrixClient extends sdk.MatrixClient {
    protected override persistTokenAfterSync = true;

    override on(event: string | symbol, listener: (...args: any[]) => void): this {
      return super.on(event, guard(event, listener));
    }

    override addListener(event: string | symbol, listener: (...args: any[]) => void): this {
      return super.addListener(event, guard(event, listener));
    }

    protected override startSyncInternal(): Promise<any> {
      return this.startSync(async (type: string, ...payload: any[]) => {
        try {
          this.emit(type, ...payload);
        } catch (err) {
          opts.onListenerError(err, type);
        }
      });
    }
  }

  const client = new CoopMatrixClient(opts.homeserverUrl, opts.accessToken, opts.storage, opts.cryptoStore as never);
  client.syncingTimeout = opts.syncTimeoutMs;
  return client;
}

export interface ResolvedToken {
  accessToken: string;
  source: "env" | "stored" | "login";
}

/**
 * The access token to use: MATRIX_ACCESS_TOKEN, else the one stored by an
 * earlier password login for the same homeserver and user, else a new login
 * (stored for next time; every login makes a new device, so we log in once).
 */
export async function resolveAccessToken(
  sdk: MatrixSdk,
  settings: MatrixSettings,
  store: MatrixStateStore,
  log: Logger,
  opts: { forceLogin?: boolean } = {},
): Promise<ResolvedToken> {
  if (settings.auth.kind === "token") return { accessToken: settings.auth.accessToken, source: "env" };
  const { user, password } = settings.auth;
  const stored = store.storedLogin();
  if (!opts.forceLogin && stored && stored.homeserverUrl === settings.homeserverUrl && stored.user === user) {
    return { accessToken: stored.accessToken, source: "stored" };
  }
  let client: MatrixClient;
  for (let attempt = 0; ; attempt++) {
    try {
      client = await new sdk.MatrixAuth(settings.homeserverUrl).passwordLogin(user, password, "coopbot");
      break;
    } catch (err) {
      const m = matrixErrorOf(err);
      if (isRateLimited(err) && attempt < 3) {
        await new Promise((r) => setTimeout(r, m?.retryAfterMs ?? 1000));
        continue;
      }
      if (m?.errcode === "M_FORBIDDEN" || m?.errcode === "M_INVALID_USERNAME" || m?.errcode === "M_USER_DEACTIVATED") {
        throw new Error(`Matrix login refused for MATRIX_USER ${user} (${m.errcode}${m.error ? `: ${m.error}` : ""}): check MATRIX_USER and MATRIX_PASSWORD`);
      }
      throw err;
    }
  }
  const whoami = await client.getWhoAmI();
  store.storeLogin({ homeserverUrl: settings.homeserverUrl, user, accessToken: client.accessToken, deviceId: whoami.device_id });
  log.info({ userId: whoami.user_id, deviceId: whoami.device_id }, "matrix: logged in with MATRIX_USER/MATRIX_PASSWORD; token stored in the data dir for next time");
  return { accessToken: client.accessToken, source: "login" };
}
