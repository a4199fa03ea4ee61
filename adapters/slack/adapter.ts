// The Slack adapter: Bolt's own receivers (Socket Mode or HTTP, so request
// signing and timestamps are checked by Bolt) for what comes in, written to
// the core's durable inbox before Slack is acknowledged (intake.ts); a
// WebClient that never retries on its own for what goes out (the dispatcher
// owns retries, rate limits and ordering).
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { type App, HTTPReceiver, SocketModeReceiver, webApi } from "@slack/bolt";
import { type Adapter, type CorePort, DeliveryError } from "../../bot/adapter.ts";
import { type Clock, systemClock } from "../../bot/clock.ts";
import type { Delivery } from "../../bot/events.ts";
import type { Logger } from "../../bot/log.ts";
import { boltLogger } from "./bolt-logger.ts";
import { errorOnce } from "../../bot/observe.ts";
import { platformErrorCode, slackCodeOf } from "./errors.ts";
import { guardHttpReceiver, guardSocketReceiver } from "./guards.ts";
import { type InboundReport, InboundWorker } from "./inbound-worker.ts";
import { SlackIntake } from "./intake.ts";
import { SlackSender } from "./outbound.ts";
import { COMMAND_PREFIX } from "./render.ts";
import { createRoomDirectory } from "./rooms.ts";
import { TOKEN_HELP, type SlackSettings } from "./settings.ts";
import { createUserNames } from "./users.ts";

export interface SlackAdapterOptions {
  settings: SlackSettings;
  log: Logger;
  /** The bot's clock (reply handles' age, caches); the system clock by default. */
  clock?: Clock;
  /** Told about every inbound payload once the core has handled it (logs, tests). */
  onInbound?: (report: InboundReport) => void;
  /** How long an inbound event waits for a users.info / conversations.info answer. */
  lookupTimeoutMs?: number;
  /** First wait before reconnecting after Slack was unreachable (doubles, up to a minute). */
  reconnectDelayMs?: number;
  /** Socket Mode: how long to wait for a pong; the SDK's own reconnect delay is a multiple of it (default 5 s). */
  socketPingTimeoutMs?: number;
}

/** Slack's answers that mean a token is wrong, not that Slack is down. */
const BAD_TOKEN = new Set(["invalid_auth", "not_authed", "account_inactive", "token_revoked", "token_expired", "invalid_token", "not_allowed_token_type", "no_permission"]);
const MAX_RECONNECT_DELAY_MS = 60_000;

export class SlackAdapter implements Adapter {
  readonly platform = "slack" as const;
  readonly capabilities = { buttons: true, ephemeral: true, edit: true, invite: true, files: true };
  readonly commandPrefix = COMMAND_PREFIX;
  /** About one message a second per channel, as Slack asks (SLACK_PACING_MS); the dispatcher does the pacing. */
  readonly minIntervalMs: number;
  readonly client: webApi.WebClient;
  private readonly log: Logger;
  private readonly sender: SlackSender;
  private readonly worker: InboundWorker;
  private readonly intake: SlackIntake;
  private core: CorePort | undefined;
  private receiver: HTTPReceiver | SocketModeReceiver | undefined;
  private server: Server | undefined;
  private bot: { userId: string; botId: string; name: string } | undefined;
  /** Connected at least once; after that, Socket Mode reconnects by itself (see guardReconnects). */
  private started = false;
  private stopping = false;
  /** Socket Mode: the socket is open (Slack said hello and it has not closed since). */
  private socketUp = false;
  /**
   * The Web API answered the last call (auth.test, or a delivery). A call
   * that could not reach Slack, or a token Slack refuses, makes it false
   * until a later call gets through: the dispatcher's retries probe it.
   */
  private apiReachable = true;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryDelay: number;

  constructor(private readonly opts: SlackAdapterOptions) {
    this.log = opts.log.child({ platform: "slack" });
    this.minIntervalMs = opts.settings.pacingMs;
    const clock = opts.clock ?? systemClock;
    const now = () => clock.now();
    this.client = new webApi.WebClient(opts.settings.botToken, this.clientOptions());
    const lookups = { timeoutMs: opts.lookupTimeoutMs ?? 2000, now };
    const users = createUserNames(this.client, lookups);
    const rooms = createRoomDirectory(this.client, lookups);
    this.sender = new SlackSender({
      client: this.client,
      log: this.log,
      now,
      botMention: () => `@${this.bot?.name ?? "coopbot"}`,
      names: { channel: (id) => rooms.peek(id)?.name, user: (id) => users.peek(id) },
    });
    this.worker = new InboundWorker({ core: () => this.core, users, rooms, log: this.log, clock, botUserId: () => this.bot?.userId, onInbound: opts.onInbound });
    this.intake = new SlackIntake({
      core: () => this.core,
      log: this.log,
      onStored: (entry) => this.worker.push(entry),
      onSkipped: (eventId, reason) => opts.onInbound?.({ eventId, skipped: reason }),
      onRename: (eventId, userId, name) => {
        users.remember(userId, name);
        this.core?.renamed("slack", userId, name);
        opts.onInbound?.({ eventId, skipped: "a rename, not a command" });
      },
    });
    this.retryDelay = opts.reconnectDelayMs ?? 1000;
  }

  /** Rate limits come back as errors at once (never a 30-minute internal retry). */
  private clientOptions(): webApi.WebClientOptions {
    return {
      slackApiUrl: this.opts.settings.apiUrl,
      retryConfig: { retries: 0 },
      rejectRateLimitedCalls: true,
      timeout: 30_000,
      logger: boltLogger(this.opts.log),
    };
  }

  get mode(): SlackSettings["mode"] {
    return this.opts.settings.mode;
  }

  /** The HTTP receiver's port (HTTP mode, once started). */
  get httpPort(): number | undefined {
    const address = this.server?.address();
    return address && typeof address === "object" ? (address as AddressInfo).port : undefined;
  }

  /** Whether the adapter has connected to Slack since it was started. */
  get isConnected(): boolean {
    return this.started;
  }

  /**
   * Connected now (`/readyz`): started and not stopping, the Socket Mode
   * socket open (HTTP mode has no socket: Slack calls us), and the Web API
   * answering.
   */
  connected(): boolean {
    if (!this.started || this.stopping) return false;
    if (this.receiver instanceof SocketModeReceiver && !this.socketUp) return false;
    return this.apiReachable;
  }

  /** Resolves once every Slack event stored so far has reached the core. */
  idle(): Promise<void> {
    return this.worker.idle();
  }

  /**
   * Checks the bot token and connects. A token Slack refuses fails the start
   * with the variable to fix; Slack being unreachable does not: the adapter
   * keeps trying in the background and messages wait in the outbox.
   */
  async start(core: CorePort): Promise<void> {
    this.core = core;
    this.stopping = false;
    // What was stored (and acknowledged) before the last stop runs first, in order.
    for (const entry of core.inbox.leftovers("slack")) this.worker.push(entry);
    await this.connect();
  }

  private async connect(): Promise<void> {
    let step: "auth" | "connect" = "auth";
    try {
      if (!this.bot) {
        const auth = await this.client.auth.test();
        this.bot = { userId: auth.user_id ?? "", botId: auth.bot_id ?? "", name: auth.user ?? "coopbot" };
      }
      step = "connect";
      this.receiver ??= this.buildReceiver();
      if (this.receiver instanceof HTTPReceiver) this.server = (await this.receiver.start(this.opts.settings.mode === "http" ? this.opts.settings.port : 0)) as Server;
      else await this.receiver.start();
      this.started = true;
      this.apiReachable = true;
      this.retryDelay = this.opts.reconnectDelayMs ?? 1000;
      this.log.info({ mode: this.opts.settings.mode, bot: this.bot.name, port: this.httpPort }, "connected to Slack");
    } catch (err) {
      const fatal = this.fatalMessage(err, step);
      if (fatal) throw new Error(fatal, { cause: err });
      this.log.warn({ ...errorOnce(err), retryInMs: this.retryDelay }, "Slack is unreachable; I'll keep trying, and messages wait until it answers");
      this.scheduleReconnect(() => this.connect());
    }
  }

  private fatalMessage(err: unknown, step: "auth" | "connect"): string | undefined {
    const code = platformErrorCode(err);
    if (code && BAD_TOKEN.has(code)) {
      const variable = step === "auth" || this.opts.settings.mode === "http" ? "SLACK_BOT_TOKEN" : "SLACK_APP_TOKEN";
      return `Slack refused ${variable} (${code}): ${TOKEN_HELP[variable]}`;
    }
    const sys = (err as NodeJS.ErrnoException).code;
    if ((sys === "EADDRINUSE" || sys === "EACCES") && this.opts.settings.mode === "http") {
      return `the Slack HTTP receiver can't listen on SLACK_PORT ${this.opts.settings.port} (${sys}); choose another port`;
    }
    return undefined;
  }

  private scheduleReconnect(attempt: () => Promise<void>): void {
    if (this.stopping || this.retryTimer) return;
    const delay = this.retryDelay;
    this.retryDelay = Math.min(this.retryDelay * 2, MAX_RECONNECT_DELAY_MS);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      if (!this.stopping) attempt().catch((err) => this.log.error({ err }, "Slack adapter can't connect; fix the setting and restart"));
    }, delay);
  }

  /**
   * Bolt's receiver for the configured mode, feeding the intake (not a Bolt
   * App: see intake.ts for why), behind the guards that keep a malformed
   * payload from ending the process.
   */
  private buildReceiver(): HTTPReceiver | SocketModeReceiver {
    const { settings } = this.opts;
    const logger = boltLogger(this.opts.log);
    const receiver =
      settings.mode === "socket"
        ? new SocketModeReceiver({
            appToken: settings.appToken,
            logger,
            clientPingTimeout: this.opts.socketPingTimeoutMs,
            installerOptions: { clientOptions: this.clientOptions() },
          })
        : new HTTPReceiver({ signingSecret: settings.signingSecret, port: settings.port, logger });
    if (receiver instanceof SocketModeReceiver) {
      this.guardReconnects(receiver);
      guardSocketReceiver(receiver, this.log);
    } else if (settings.mode === "http") {
      guardHttpReceiver(receiver, settings.signingSecret, this.log);
    }
    receiver.init({ processEvent: (event) => this.intake.processEvent(event) } as Pick<App, "processEvent"> as App);
    return receiver;
  }

  /**
   * The Socket Mode client reconnects by itself, but when a reconnect fails
   * (Slack unreachable, or stopped mid-way) its promise rejects with no one
   * listening, which ends the process (node-slack-sdk#2656). Once connected,
   * such a failure is caught here and retried with back-off instead.
   */
  private guardReconnects(receiver: SocketModeReceiver): void {
    const client = receiver.client;
    const start = client.start.bind(client);
    client.on("connected", () => {
      this.socketUp = true;
      this.retryDelay = this.opts.reconnectDelayMs ?? 1000;
    });
    client.on("close", () => {
      this.socketUp = false;
    });
    client.start = () => {
      // Before the first connection, connect() itself awaits and handles the failure.
      if (!this.started && !this.stopping) return start();
      const guarded = start().catch((err: unknown) => {
        if (this.stopping) return undefined;
        this.log.warn({ ...errorOnce(err), retryInMs: this.retryDelay }, "Slack Socket Mode reconnect failed; trying again");
        this.scheduleReconnect(() => client.start().then(() => undefined));
        return undefined;
      });
      return guarded as ReturnType<typeof start>;
    };
  }

  /**
   * Takes nothing more from Slack (the socket closes, or the HTTP listener
   * stops), and waits until what was taken in has reached the core.
   * Deliveries still go out through the Web API until `stop`.
   */
  async stopIntake(): Promise<void> {
    this.stopping = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    if (this.started && this.receiver) {
      this.started = false;
      if (this.receiver instanceof SocketModeReceiver) await withTimeout(this.receiver.client.disconnect(), 3000);
      else await this.receiver.stop().catch((err) => this.log.warn({ err }, "Slack HTTP receiver did not stop cleanly"));
    }
    this.server = undefined;
    await this.worker.idle();
  }

  async stop(): Promise<void> {
    await this.stopIntake();
    this.core = undefined;
  }

  async deliver(delivery: Delivery): Promise<{ ref?: string }> {
    try {
      const result = await this.sender.deliver(delivery);
      this.apiReachable = true;
      return result;
    } catch (err) {
      if (cannotReachSlack(err)) this.apiReachable = false;
      throw err;
    }
  }
}

/** A delivery error that says Slack can't be used at all now (unreachable, or the token refused), not that one message failed. */
function cannotReachSlack(err: unknown): boolean {
  if (err instanceof DeliveryError) return false; // a rate limit or a refusal of this message: Slack answered
  const code = slackCodeOf(err);
  return code === undefined || BAD_TOKEN.has(code);
}

function withTimeout(promise: Promise<unknown>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(() => undefined),
    new Promise<void>((resolve) => {
      timer = setTimeout(resolve, ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
