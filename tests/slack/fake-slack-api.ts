// A local stand-in for Slack's Web API (and for response_url), for the real
// Bolt and WebClient to talk to. Records every call; answers the methods the
// adapter uses; can rate-limit, refuse, or go away on demand.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo, Socket } from "node:net";

export interface ApiCall {
  /** Web API method (`chat.postMessage`), or `response_url` for posts to a response URL. */
  method: string;
  /** Arguments as the method received them (`blocks` parsed back from JSON). */
  args: Record<string, any>;
  /** Bearer token from the Authorization header. */
  token?: string;
  /** HTTP status the fake answered with. */
  status: number;
  /** The JSON it answered with. */
  response: Record<string, any>;
  /** For response_url posts: the id in the URL (the harness uses the trigger_id). */
  responseId?: string;
}

export interface FakeUser {
  name: string;
  displayName?: string;
  realName?: string;
}

export interface FakeChannel {
  name?: string;
  isPrivate?: boolean;
  isMpim?: boolean;
  /** Error every post to this channel gets (`not_in_channel`, `is_archived`, ...). */
  error?: string;
}

export type Outage = "refuse" | "503";

/** A message as the fake keeps it (edits applied, deletions removed). */
export interface FakeMessage {
  channel: string;
  ts: string;
  text?: string;
  blocks?: any[];
  thread_ts?: string;
  metadata?: { event_type: string; event_payload: Record<string, unknown> };
}

/** A file uploaded the files.uploadV2 way: URL asked for, bytes sent there, upload completed into a channel. */
export interface FakeFile {
  id: string;
  filename: string;
  /** The length announced when the upload URL was asked for. */
  length: number;
  alt_text?: string;
  /** The bytes that reached the upload URL. */
  bytes?: Buffer;
  /** Set by files.completeUploadExternal. */
  channel?: string;
  title?: string;
  initial_comment?: string;
  thread_ts?: string;
}

export const BOT = { userId: "UBOT", botId: "BBOT", name: "coopbot", teamId: "T0COOPS" } as const;
const TS_BASE = 1712345678;

export class FakeSlackApi {
  readonly calls: ApiCall[] = [];
  readonly users = new Map<string, FakeUser>();
  readonly channels = new Map<string, FakeChannel>();
  /** Latest text and blocks of every message, by `channel/ts` (edits applied). */
  readonly messages = new Map<string, FakeMessage>();
  /** Who is in each channel (conversations.invite adds, conversations.kick removes). */
  readonly members = new Map<string, Set<string>>();
  /** Files, by id, from the moment an upload URL was asked for. */
  readonly files = new Map<string, FakeFile>();
  /** Where apps.connections.open sends Socket Mode clients. */
  socketUrl: string | undefined;
  /**
   * Runs after a call is carried out and before it is answered: a test can
   * hold the answer (Slack has the message; the bot doesn't know yet) or
   * slow a method down.
   */
  beforeAnswer: ((method: string, args: Record<string, any>) => Promise<void> | void) | undefined;
  /** Slack's clock, for message timestamps (the harness gives it the bot's). */
  now: () => number = () => TS_BASE * 1000;
  private readonly rateLimits = new Map<string, number[]>();
  private readonly failures = new Map<string, string[]>();
  private readonly expiredResponseIds = new Set<string>();
  private readonly sockets = new Set<Socket>();
  private outage: Outage | undefined;
  private seq = 0;
  private port = 0;

  private server!: Server;

  private constructor() {}

  static async start(): Promise<FakeSlackApi> {
    const fake = new FakeSlackApi();
    await fake.listen();
    return fake;
  }

  private async listen(): Promise<void> {
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.on("connection", (socket) => {
      this.sockets.add(socket);
      socket.on("close", () => this.sockets.delete(socket));
    });
    await new Promise<void>((resolve, reject) => {
      this.server.once("error", reject);
      this.server.listen(this.port, "127.0.0.1", () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  /** Base URL for SLACK_API_URL / the WebClient's slackApiUrl. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}/api/`;
  }

  responseUrl(id: string): string {
    return `http://127.0.0.1:${this.port}/respond/${encodeURIComponent(id)}`;
  }

  /** Calls to one method (all calls without one), oldest first. */
  callsTo(method?: string): ApiCall[] {
    return method ? this.calls.filter((c) => c.method === method) : [...this.calls];
  }

  /** The next `times` calls to `method` get HTTP 429 with `Retry-After: seconds`. */
  rateLimitNext(method: string, seconds: number, times = 1): void {
    this.rateLimits.set(method, [...(this.rateLimits.get(method) ?? []), ...Array<number>(times).fill(seconds)]);
  }

  /** The next call to `method` answers `{ok: false, error}`. */
  failNext(method: string, error: string): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  /** Slack answers 404 `expired_url` on this response_url (`*`: on every one) from now on. */
  expireResponseUrl(id: string): void {
    this.expiredResponseIds.add(id);
  }

  /** `refuse`: nothing listens (connection refused); `503`: every call gets Service Unavailable. */
  async goOffline(mode: Outage): Promise<void> {
    this.outage = mode;
    if (mode === "refuse") await this.shutdown();
  }

  async comeBack(): Promise<void> {
    const wasRefusing = this.outage === "refuse";
    this.outage = undefined;
    if (wasRefusing) await this.listen();
  }

  async close(): Promise<void> {
    if (this.outage !== "refuse") await this.shutdown();
  }

  private async shutdown(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://fake");
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? "")?.[1];
    if (this.outage === "503") return this.answer(res, { method: url.pathname, args: {}, token }, 503, { ok: false, error: "service_unavailable" });

    if (url.pathname.startsWith("/respond/")) {
      const responseId = decodeURIComponent(url.pathname.slice("/respond/".length));
      const args = JSON.parse(body || "{}") as Record<string, any>;
      const expired = this.expiredResponseIds.has(responseId) || this.expiredResponseIds.has("*");
      return this.answer(res, { method: "response_url", args, token, responseId }, expired ? 404 : 200, expired ? { ok: false, error: "expired_url" } : { ok: true });
    }

    if (url.pathname.startsWith("/upload/")) return this.receiveUpload(url.pathname.slice("/upload/".length), Buffer.concat(chunks), req, res, token);

    const method = url.pathname.replace(/^\/api\//, "");
    const args = parseArgs(body, req.headers["content-type"]);
    const limited = this.rateLimits.get(method)?.shift();
    if (limited !== undefined) {
      return this.answer(res, { method, args, token }, 429, { ok: false, error: "ratelimited" }, { "retry-after": String(limited) });
    }
    const failure = this.failures.get(method)?.shift();
    if (failure) return this.answer(res, { method, args, token }, 200, { ok: false, error: failure });
    const response = this.respond(method, args);
    if (this.beforeAnswer) await this.beforeAnswer(method, args);
    return this.answer(res, { method, args, token }, 200, response);
  }

  private answer(res: ServerResponse, call: Omit<ApiCall, "status" | "response">, status: number, response: Record<string, any>, headers: Record<string, string> = {}): void {
    this.calls.push({ ...call, status, response });
    if (res.destroyed) return; // the caller went away (a killed bot) while the answer was held
    res.writeHead(status, { "content-type": "application/json", ...headers });
    res.end(JSON.stringify(response));
  }

  private respond(method: string, args: Record<string, any>): Record<string, any> {
    switch (method) {
      case "auth.test":
        return { ok: true, url: "https://coops.slack.com/", team: "Co-op Federation", user: BOT.name, team_id: BOT.teamId, user_id: BOT.userId, bot_id: BOT.botId };
      case "apps.connections.open":
        return this.socketUrl ? { ok: true, url: this.socketUrl } : { ok: false, error: "socket_mode_not_enabled" };
      case "users.info": {
        const user = this.users.get(args.user);
        if (!user) return { ok: false, error: "user_not_found" };
        return {
          ok: true,
          user: { id: args.user, team_id: BOT.teamId, name: user.name, real_name: user.realName ?? user.name, profile: { display_name: user.displayName ?? user.name, real_name: user.realName ?? user.name } },
        };
      }
      case "conversations.info": {
        const id = String(args.channel);
        const known = this.channels.get(id);
        if (!known && !id.startsWith("C")) return { ok: false, error: "channel_not_found" };
        return { ok: true, channel: { id, name: known?.name ?? id.toLowerCase(), is_channel: true, is_private: known?.isPrivate ?? false, is_mpim: known?.isMpim ?? false, is_im: false } };
      }
      case "conversations.open":
        return { ok: true, channel: { id: `D${String(args.users).replace(/^[UW]/, "")}` } };
      case "chat.postMessage": {
        const error = this.channels.get(args.channel)?.error;
        if (error) return { ok: false, error };
        const ts = this.nextTs();
        this.messages.set(`${args.channel}/${ts}`, { channel: args.channel, ts, text: args.text, blocks: args.blocks, thread_ts: args.thread_ts, metadata: args.metadata });
        return { ok: true, channel: args.channel, ts, message: { type: "message", text: args.text, user: BOT.userId, bot_id: BOT.botId, ts } };
      }
      case "chat.postEphemeral": {
        const error = this.channels.get(args.channel)?.error;
        return error ? { ok: false, error } : { ok: true, message_ts: this.nextTs() };
      }
      case "chat.update": {
        const key = `${args.channel}/${args.ts}`;
        const message = this.messages.get(key);
        if (!message) return { ok: false, error: "message_not_found" };
        this.messages.set(key, { ...message, text: args.text, blocks: args.blocks });
        return { ok: true, channel: args.channel, ts: args.ts, text: args.text };
      }
      case "chat.delete": {
        const key = `${args.channel}/${args.ts}`;
        if (!this.messages.has(key)) return { ok: false, error: "message_not_found" };
        this.messages.delete(key);
        return { ok: true, channel: args.channel, ts: args.ts };
      }
      case "conversations.invite": {
        const channel = String(args.channel);
        const known = this.channels.get(channel);
        if (known?.error) return { ok: false, error: known.error };
        const inChannel = (this.members.get(channel) ?? new Set<string>());
        const users = String(args.users).split(",");
        if (users.every((u) => inChannel.has(u))) return { ok: false, error: "already_in_channel" };
        for (const u of users) inChannel.add(u);
        this.members.set(channel, inChannel);
        return { ok: true, channel: { id: channel } };
      }
      case "conversations.kick": {
        const inChannel = this.members.get(String(args.channel));
        if (!inChannel?.delete(String(args.user))) return { ok: false, error: "not_in_channel" };
        return { ok: true };
      }
      case "files.getUploadURLExternal": {
        const id = `F${String(this.files.size + 1).padStart(6, "0")}`;
        this.files.set(id, { id, filename: String(args.filename), length: Number(args.length), alt_text: args.alt_text ?? args.alt_txt });
        return { ok: true, upload_url: `http://127.0.0.1:${this.port}/upload/${id}`, file_id: id };
      }
      case "files.completeUploadExternal": {
        const listed = (typeof args.files === "string" ? JSON.parse(args.files) : args.files) as { id: string; title?: string }[];
        const missing = listed.find((f) => !this.files.get(f.id)?.bytes);
        if (missing) return { ok: false, error: "file_not_found" };
        const error = this.channels.get(args.channel_id)?.error;
        if (error) return { ok: false, error };
        for (const f of listed) Object.assign(this.files.get(f.id)!, { channel: args.channel_id, title: f.title, initial_comment: args.initial_comment, thread_ts: args.thread_ts });
        return { ok: true, files: listed.map((f) => ({ id: f.id, title: f.title, name: this.files.get(f.id)!.filename })) };
      }
      case "conversations.history":
        return this.history(args, (m) => m.channel === args.channel && (!m.thread_ts || m.thread_ts === m.ts));
      case "conversations.replies":
        return this.history(args, (m) => m.channel === args.channel && (m.ts === args.ts || m.thread_ts === args.ts));
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  /** The bytes of a file, sent to the URL files.getUploadURLExternal gave (multipart, as the WebClient sends them). */
  private async receiveUpload(id: string, body: Buffer, req: IncomingMessage, res: ServerResponse, token: string | undefined): Promise<void> {
    const file = this.files.get(id);
    if (!file) return this.answer(res, { method: "upload", args: { id }, token }, 404, { ok: false, error: "no_such_upload" });
    const form = await new Response(body, { headers: { "content-type": String(req.headers["content-type"]) } }).formData();
    const part = [...form.values()].find((v) => typeof v !== "string") as Blob | undefined;
    file.bytes = part ? Buffer.from(await part.arrayBuffer()) : body;
    this.calls.push({ method: "upload", args: { id, length: file.bytes.length }, token, status: 200, response: { ok: true } });
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(`OK - ${file.bytes.length}`);
  }

  /** Newest first, `oldest` exclusive, paged by `limit` with a cursor; metadata only when asked for, as Slack does. */
  private history(args: Record<string, any>, where: (m: FakeMessage) => boolean): Record<string, any> {
    const oldest = Number(args.oldest ?? 0);
    const all = [...this.messages.values()].filter((m) => where(m) && Number(m.ts) > oldest).sort((a, b) => Number(b.ts) - Number(a.ts));
    const start = Number(args.cursor ?? 0);
    const limit = Number(args.limit ?? 100);
    const page = all.slice(start, start + limit).map(({ channel: _channel, metadata, ...m }) => ({
      type: "message",
      user: BOT.userId,
      bot_id: BOT.botId,
      ...m,
      ...(metadata && String(args.include_all_metadata) === "true" ? { metadata } : {}),
    }));
    const more = start + limit < all.length;
    return { ok: true, messages: page, has_more: more, response_metadata: { next_cursor: more ? String(start + limit) : "" } };
  }

  /** Seconds from the clock, made unique by a counter in the fraction, as Slack's are unique per channel. */
  private nextTs(): string {
    this.seq += 1;
    return `${Math.floor(this.now() / 1000)}.${String(this.seq).padStart(6, "0")}`;
  }
}

/** The WebClient posts form fields, with objects (blocks) as JSON strings. */
function parseArgs(body: string, contentType: string | undefined): Record<string, any> {
  if (contentType?.includes("application/json")) return JSON.parse(body || "{}") as Record<string, any>;
  const out: Record<string, any> = {};
  for (const [key, value] of new URLSearchParams(body)) {
    out[key] = /^[[{]/.test(value) ? tryJson(value) : value;
  }
  return out;
}

function tryJson(value: string): unknown {
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}
