// A real bot on a real SQLite file in a temp dir, with the console adapter
// capturing what it sends. Tests talk to it like members would.
import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DateTime } from "luxon";
import { Bot } from "../../bot/app.ts";
import type { Capability } from "../../bot/capability.ts";
import { ManualClock } from "../../bot/clock.ts";
import { buildConfig } from "../../bot/config.ts";
import type { InboundEvent } from "../../bot/events.ts";
import { silentLogger, type Logger } from "../../bot/log.ts";
import type { HandleResult } from "../../bot/router.ts";
import { ConsoleAdapter } from "../../adapters/console/adapter.ts";
import { type ConsoleLine, formatLine } from "../../adapters/console/render.ts";
import { capabilities as allCapabilities } from "../../commands/index.ts";

/**
 * `limits` for a test in which one member sends more commands at one
 * instant of the virtual clock than a person could (a matrix of every
 * command, a fuzzer): the rate limit raised for it, the others as they are.
 */
export const MANY_AT_ONCE = { commands: { burst: 1_000_000 } };

export interface TestBotOptions {
  config?: Record<string, unknown>;
  capabilities?: readonly Capability[];
  start?: string;
  zone?: string;
  log?: Logger;
  dir?: string;
}

export class TestBot {
  readonly dir: string;
  readonly dbPath: string;
  readonly clock: ManualClock;
  readonly bot: Bot;
  readonly adapter: ConsoleAdapter;
  readonly lines: ConsoleLine[] = [];

  constructor(readonly opts: TestBotOptions = {}) {
    this.dir = opts.dir ?? mkdtempSync(join(tmpdir(), "coopbot-test-"));
    this.dbPath = join(this.dir, "coopbot.sqlite");
    const zone = opts.zone ?? "Europe/London";
    this.clock = new ManualClock(DateTime.fromISO(opts.start ?? "2026-08-17T09:00", { zone }).toMillis());
    const capabilities = opts.capabilities ?? allCapabilities;
    const config = buildConfig({ admins: ["console:admin"], timezone: zone, ...opts.config }, capabilities);
    this.bot = new Bot({ config, capabilities, clock: this.clock, log: opts.log ?? silentLogger, db: this.dbPath, dispatcher: { sleep: async () => undefined } });
    this.adapter = new ConsoleAdapter(this.clock, () => zone, (line) => this.lines.push(line), new Map(Object.entries(config.console.rooms)));
    this.bot.attach(this.adapter);
    void this.adapter.start(this.bot);
  }

  get db() {
    return this.bot.db;
  }

  event(member: string, text: string, room = "general", extra: Partial<InboundEvent> = {}): InboundEvent {
    return { ...this.adapter.eventFor(member, room, text, `test:${randomUUID()}`), ...extra };
  }

  /** `member` types `text` (with the console's `/` prefix for commands) and the bot's answers are sent. */
  async say(member: string, text: string, room = "general"): Promise<HandleResult> {
    const result = this.bot.receive(this.event(member, text, room));
    await this.bot.dispatcher.drain();
    return result;
  }

  /** Everything sent since the last call, as the console prints it. */
  take(): string[] {
    const out = this.lines.splice(0).map(formatLine);
    return out;
  }

  /** Text of the messages sent since the last call (no time or room). */
  texts(): string[] {
    return this.lines.splice(0).map((l) => l.text);
  }

  async advance(ms: number): Promise<void> {
    const target = this.clock.now() + ms;
    for (;;) {
      const next = this.bot.scheduler.nextDueAt();
      if (next === undefined || next > target) break;
      this.clock.set(Math.max(this.clock.now(), next));
      this.bot.scheduler.runDue();
      await this.bot.dispatcher.drain();
    }
    this.clock.set(target);
    this.bot.scheduler.runDue();
    await this.bot.dispatcher.drain();
  }

  /** Every row of every table except the ledgers a command always writes (inbound events, outbox). */
  snapshot(except: string[] = ["inbound_events", "outbox", "__drizzle_migrations"]): Record<string, unknown[]> {
    const tables = this.db.$client
      .prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")
      .all() as { name: string }[];
    return Object.fromEntries(
      tables.filter((t) => !except.includes(t.name)).map((t) => [t.name, this.db.$client.prepare(`select * from "${t.name}" order by rowid`).all()]),
    );
  }

  async close(opts: { keep?: boolean } = {}): Promise<void> {
    if (!this.db.$client.open) return;
    await this.bot.stop();
    this.bot.close();
    if (!opts.keep && !this.opts.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}
