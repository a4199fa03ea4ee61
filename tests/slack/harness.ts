// A real Bot on a temp-dir SQLite file, with the real Slack adapter (real
// Bolt, HTTP or Socket Mode) pointed at a local fake Slack. Tests speak as
// Slack would (`slash`, `click`, `mention`, `dm`) and read what reached the
// fake Web API (`posts`, `privateReplies`, `dmsTo`, `fake.callsTo(...)`).
//
//   const h = await SlackHarness.start();              // HTTP mode; { mode: "socket" } for Socket Mode
//   await h.slash("U0ALICE", "C0GENERAL", "test ask 7");
//   const post = h.posts("C0GENERAL")[0]!;
//   await h.click("UADMIN", post, "Approve");
//   expect(h.buttonsOf(h.latest(post))).toEqual([]);  // the decision removed the buttons
//   await h.close();
//
// A capability's flow: `SlackHarness.start({ config: { groups: ... } })` (the
// real capabilities are loaded; `extraCapabilities` adds test-only ones),
// then slash / click / mention / dm, and `advance(ms)` for reminders.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DestinationStream } from "pino";
import { DateTime } from "luxon";
import { Bot } from "../../bot/app.ts";
import type { Capability } from "../../bot/capability.ts";
import { ManualClock } from "../../bot/clock.ts";
import { buildConfig } from "../../bot/config.ts";
import { createLogger } from "../../bot/log.ts";
import { capabilities as realCapabilities } from "../../commands/index.ts";
import { findIdentity } from "../../db/members.ts";
import type { OutboxRow } from "../../db/outbox.ts";
import { SlackAdapter, type SlackAdapterOptions } from "../../adapters/slack/adapter.ts";
import type { InboundReport } from "../../adapters/slack/inbound-worker.ts";
import { readSlackSettings } from "../../adapters/slack/settings.ts";
import { type ApiCall, BOT, type FakeChannel, FakeSlackApi, type FakeUser } from "./fake-slack-api.ts";
import { type Ack, FakeSocketMode } from "./fake-socket-mode.ts";
import { appMention, blockActions, buttonElements, directMessage, type MessageLike, messageParts, slashCommand } from "./payloads.ts";
import { signedHeaders } from "./signing.ts";
import { roomKindOf } from "../../adapters/slack/inbound.ts";
import { assertNoEnquiryTextInPublic } from "../clinic/privacy-guard.ts";
import { type TestCapability, testCapability } from "./test-capability.ts";

export { BOT };

export const SIGNING_SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
export const DEFAULT_USERS: Record<string, FakeUser> = {
  UADMIN: { name: "ada", displayName: "Ada" },
  U0ALICE: { name: "alice", displayName: "Alice" },
  U0BOB: { name: "bob", displayName: "Bob" },
};

export interface SlackHarnessOptions {
  mode?: "http" | "socket";
  /** Merged over `{ admins: ["slack:UADMIN"] }`. */
  config?: Record<string, unknown>;
  /** The bot's capabilities (default: the real ones); the test capability is always added. */
  capabilities?: readonly Capability[];
  extraCapabilities?: readonly Capability[];
  /** People users.info knows, by Slack id (default: UADMIN "Ada", U0ALICE "Alice", U0BOB "Bob"). */
  users?: Record<string, FakeUser>;
  channels?: Record<string, FakeChannel>;
  start?: string;
  /** pino's level for the bot and the Slack SDKs (default info; SLACK_TEST_LOGS=1 makes it debug). */
  logLevel?: string;
  /** The adapter's timings (reconnect delays, Socket Mode pings), for tests that take Slack away. */
  adapter?: Pick<SlackAdapterOptions, "reconnectDelayMs" | "socketPingTimeoutMs">;
}

/** What a Slack input led to: the HTTP status or Socket Mode ack, and what the core made of it. */
export interface Handled {
  status?: number;
  ack?: Ack;
  report?: InboundReport;
}

export type { MessageLike };

export class SlackHarness {
  readonly inbound: InboundReport[] = [];
  readonly logs: Record<string, any>[] = [];
  /** Every log line exactly as it was written (what a log file would hold). */
  readonly rawLogs: string[] = [];
  /** Waits the dispatcher asked for to pace a channel (it never really sleeps here). */
  readonly pacing: number[] = [];
  readonly test: TestCapability;
  readonly clock: ManualClock;
  readonly dir: string;
  bot!: Bot;
  adapter!: SlackAdapter;
  private readonly responders = new Map<string, string>();
  private seq = 0;

  private constructor(
    readonly fake: FakeSlackApi,
    readonly socket: FakeSocketMode | undefined,
    readonly opts: SlackHarnessOptions,
  ) {
    this.test = testCapability();
    this.dir = mkdtempSync(join(tmpdir(), "coopbot-slack-"));
    this.clock = new ManualClock(DateTime.fromISO(opts.start ?? "2026-08-17T09:00", { zone: "Europe/London" }).toMillis());
    fake.now = () => this.clock.now();
  }

  static async start(opts: SlackHarnessOptions = {}): Promise<SlackHarness> {
    const fake = await FakeSlackApi.start();
    for (const [id, user] of Object.entries(opts.users ?? DEFAULT_USERS)) fake.users.set(id, user);
    for (const [id, channel] of Object.entries(opts.channels ?? {})) fake.channels.set(id, channel);
    const socket = opts.mode === "socket" ? await FakeSocketMode.start() : undefined;
    fake.socketUrl = socket?.url;
    const h = new SlackHarness(fake, socket, opts);
    try {
      await h.boot();
    } catch (err) {
      await h.close();
      throw err;
    }
    return h;
  }

  private async boot(): Promise<void> {
    const capabilities = [...(this.opts.capabilities ?? realCapabilities), ...(this.opts.extraCapabilities ?? []), this.test.capability];
    const config = buildConfig({ admins: ["slack:UADMIN"], ...this.opts.config }, capabilities);
    const log = createLogger({ level: this.opts.logLevel ?? (process.env.SLACK_TEST_LOGS ? "debug" : "info"), destination: this.logStream() });
    this.bot = new Bot({
      config,
      capabilities,
      clock: this.clock,
      log,
      db: join(this.dir, "coopbot.sqlite"),
      // Pacing is recorded, not slept; the core's own notice on permanent failures stays in place.
      dispatcher: { sleep: async (ms) => void this.pacing.push(ms) },
    });
    const env =
      this.opts.mode === "socket"
        ? { SLACK_BOT_TOKEN: "xoxb-test-bot", SLACK_APP_TOKEN: "xapp-test-app", SLACK_API_URL: this.fake.apiUrl }
        : { SLACK_BOT_TOKEN: "xoxb-test-bot", SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_PORT: "0", SLACK_API_URL: this.fake.apiUrl };
    this.adapter = new SlackAdapter({ settings: readSlackSettings(env), log, clock: this.clock, onInbound: (r) => this.inbound.push(r), lookupTimeoutMs: 1000, ...this.opts.adapter });
    this.bot.attach(this.adapter);
    await this.bot.start();
    if (this.socket) await this.socket.whenConnected();
  }

  private logStream(): DestinationStream {
    return {
      write: (line: string) => {
        this.rawLogs.push(line);
        this.logs.push(JSON.parse(line) as Record<string, any>);
        if (process.env.SLACK_TEST_LOGS) process.stderr.write(line);
      },
    };
  }

  // ---- Slack inputs. Each resolves once the core has handled it and the dispatcher has sent what it could.

  /** `user` types `/coop <text>` in `channel`. */
  async slash(user: string, channel: string, text: string, opts: { channelName?: string } = {}): Promise<Handled> {
    const trigger = this.triggerId();
    this.responders.set(trigger, user);
    const payload = slashCommand({
      user,
      userName: this.userName(user),
      channel,
      channelName: opts.channelName ?? this.channelName(channel),
      text,
      trigger,
      responseUrl: this.fake.responseUrl(trigger),
    });
    const sent = this.socket ? { ack: await this.socket.send("slash_commands", payload) } : await this.postForm(new URLSearchParams(payload).toString());
    return this.handled(trigger, sent);
  }

  /** `user` clicks the button labelled `label` on a message the bot posted. */
  async click(user: string, message: MessageLike, label: string, opts: { ephemeral?: boolean } = {}): Promise<Handled> {
    const found = buttonElements(message);
    const button = found.find((e) => e.text?.text === label);
    if (!button) throw new Error(`no button "${label}" on ${this.refOf(message)}; buttons: ${found.map((e) => e.text?.text).join(", ") || "none"}`);
    const trigger = this.triggerId();
    this.responders.set(trigger, user);
    const payload = blockActions({
      user,
      userName: this.userName(user),
      message,
      channelName: this.channelName(messageParts(message).channel),
      button,
      trigger,
      responseUrl: this.fake.responseUrl(trigger),
      ephemeral: opts.ephemeral,
      actionTs: `${Math.floor(Date.now() / 1000)}.${String(++this.seq).padStart(6, "0")}`,
    });
    const sent = this.socket
      ? { ack: await this.socket.send("interactive", payload) }
      : await this.postForm(new URLSearchParams({ payload: JSON.stringify(payload) }).toString());
    return this.handled(trigger, sent);
  }

  /** `user` writes `@coopbot <text>` in `channel`. */
  mention(user: string, channel: string, text: string, opts: { thread?: string; eventId?: string; retryNum?: number } = {}): Promise<Handled> {
    const body = appMention({ user, channel, text, botUserId: BOT.userId, ts: this.ts(), eventId: opts.eventId ?? this.eventId(), thread: opts.thread });
    return this.event(body, { retryNum: opts.retryNum });
  }

  /** `user` writes `text` in their DM with the bot. */
  dm(user: string, text: string, opts: { eventId?: string; retryNum?: number } = {}): Promise<Handled> {
    const body = directMessage({ user, channel: this.dmChannel(user), text, ts: this.ts(), eventId: opts.eventId ?? this.eventId() });
    return this.event(body, { retryNum: opts.retryNum });
  }

  /** An Events API payload, as HTTP (with `x-slack-retry-num` for a retry) or a Socket Mode envelope. */
  async event(body: Record<string, any>, opts: { retryNum?: number } = {}): Promise<Handled> {
    const retry = opts.retryNum ? { retry_attempt: opts.retryNum, retry_reason: "http_timeout" } : {};
    const headers: Record<string, string> = opts.retryNum ? { "x-slack-retry-num": String(opts.retryNum), "x-slack-retry-reason": "http_timeout" } : {};
    const sent = this.socket
      ? { ack: await this.socket.send("events_api", body, retry) }
      : await this.post(JSON.stringify(body), "application/json", { headers });
    return this.handled(body.event_id as string, sent);
  }

  // ---- Raw HTTP to Bolt's receiver (HTTP mode).

  async post(body: string, contentType: string, opts: { timestamp?: number; secret?: string; sign?: boolean; headers?: Record<string, string> } = {}): Promise<{ status: number; text: string }> {
    const port = this.adapter.httpPort;
    if (port === undefined) throw new Error("the Slack adapter is not in HTTP mode (or not started)");
    const signature = opts.sign === false ? {} : signedHeaders(opts.secret ?? SIGNING_SECRET, body, opts.timestamp);
    const response = await fetch(`http://127.0.0.1:${port}/slack/events`, { method: "POST", headers: { "content-type": contentType, ...signature, ...opts.headers }, body });
    return { status: response.status, text: await response.text() };
  }

  private postForm(body: string): Promise<{ status: number; text: string }> {
    return this.post(body, "application/x-www-form-urlencoded");
  }

  private async handled(eventId: string, sent: { status?: number; ack?: Ack }): Promise<Handled> {
    if (sent.status !== undefined && sent.status !== 200) return { status: sent.status };
    await this.waitFor(() => this.inbound.some((r) => r.eventId === eventId), { what: `the adapter to hand ${eventId} to the core` });
    await this.settle();
    return { ...sent, report: this.inbound.findLast((r) => r.eventId === eventId) };
  }

  // ---- Time and waiting.

  async waitFor(condition: () => boolean, opts: { timeoutMs?: number; what?: string } = {}): Promise<void> {
    const deadline = Date.now() + (opts.timeoutMs ?? 5000);
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${opts.what ?? "a condition"}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** Lets every received event reach the core, then sends whatever is due. */
  async settle(): Promise<void> {
    await this.adapter.idle();
    await this.bot.dispatcher.drain();
  }

  /** Moves the bot's clock (retries and jobs fall due) and sends what is due. */
  async advance(ms: number): Promise<void> {
    this.clock.advance(ms);
    this.bot.tick();
    await this.settle();
  }

  // ---- Reading what the bot did.

  /** Messages posted (chat.postMessage that succeeded), optionally in one channel. */
  posts(channel?: string): ApiCall[] {
    return this.fake.callsTo("chat.postMessage").filter((c) => c.response.ok && (!channel || c.args.channel === channel));
  }

  /** Texts only `user` could see: response_url replies to their invocations and chat.postEphemeral to them. */
  privateReplies(user: string): string[] {
    return this.fake.calls
      .filter((c) => c.status === 200 && c.response.ok)
      .filter((c) => (c.method === "response_url" && this.responders.get(c.responseId!) === user) || (c.method === "chat.postEphemeral" && c.args.user === user))
      .map((c) => String(c.args.text));
  }

  dmChannel(user: string): string {
    return `D${user.replace(/^[UW]/, "")}`;
  }

  /** Messages posted in `user`'s DM with the bot. */
  dmsTo(user: string): ApiCall[] {
    return this.posts(this.dmChannel(user));
  }

  /** The reference `deliver` returned for a posted message (`C…/ts`). */
  refOf(message: MessageLike): string {
    const { channel, ts } = messageParts(message);
    return `${channel}/${ts}`;
  }

  /** The message as it is now in Slack (edits applied). */
  latest(message: MessageLike): { channel: string; ts: string; text?: string; blocks?: any[] } {
    const now = this.fake.messages.get(this.refOf(message));
    if (!now) throw new Error(`the fake Slack has no message ${this.refOf(message)}`);
    return now;
  }

  /** The message's buttons as people see them. */
  buttonsOf(message: MessageLike): { label: string; command: string; style?: string }[] {
    const { blocks } = messageParts(message);
    return (blocks ?? []).flatMap((b: any) => (b.type === "actions" ? b.elements : [])).map((e: any) => ({ label: e.text.text, command: e.value, ...(e.style ? { style: e.style } : {}) }));
  }

  memberId(slackUser: string): number | undefined {
    return findIdentity(this.bot.db, "slack", slackUser)?.memberId;
  }

  outbox(): OutboxRow[] {
    return this.bot.db.$client.prepare("select id, kind, platform, channel, target, message, state, attempts, last_error as lastError, platform_ref as platformRef from outbox order by id").all() as OutboxRow[];
  }

  logged(message: string | RegExp): Record<string, any>[] {
    return this.logs.filter((l) => (typeof message === "string" ? l.msg === message : message.test(String(l.msg))));
  }

  private userName(user: string): string {
    return this.fake.users.get(user)?.name ?? user.toLowerCase();
  }

  private channelName(channel: string): string {
    if (channel.startsWith("D")) return "directmessage";
    if (channel.startsWith("G") || this.fake.channels.get(channel)?.isPrivate) return "privategroup";
    return this.fake.channels.get(channel)?.name ?? channel.toLowerCase();
  }

  private triggerId(): string {
    return `${Date.now()}.${++this.seq}.${randomBytes(8).toString("hex")}`;
  }

  private eventId(): string {
    return `Ev${String(++this.seq).padStart(4, "0")}${randomBytes(3).toString("hex").toUpperCase()}`;
  }

  private ts(): string {
    return `${1712350000 + ++this.seq}.000${String(this.seq).padStart(3, "0")}`;
  }

  /**
   * The clinic's privacy rule over everything this bot queued: no enquiry
   * text or note in a Slack channel that isn't private (ephemeral replies
   * there included). Every Slack test gets it at close.
   */
  assertClinicPrivacy(): void {
    if (!this.bot?.db.$client.open) return;
    assertNoEnquiryTextInPublic(this.bot.db, (_platform, roomId) => roomKindOf(roomId, { isPrivate: this.fake.channels.get(roomId)?.isPrivate }));
  }

  async close(): Promise<void> {
    this.assertClinicPrivacy();
    if (this.bot) {
      await this.bot.stop().catch(() => undefined);
      this.bot.close();
    }
    await this.socket?.close();
    await this.fake.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
