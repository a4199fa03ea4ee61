// coopbot's whole command path, measured fairly: the shipped example config
// (all its groups), the commands as the README documents them, typed in the
// group's linked room, through an in-memory adapter that returns references
// as a real one does; receive → handled, committed → delivered → recorded
// sent. Each run also counts the SQL statements and write transactions one
// command costs.
import { join } from "node:path";
import { Bot } from "../bot/app.ts";
import { ManualClock } from "../bot/clock.ts";
import { readFileSync } from "node:fs";
import { parse as parseYaml } from "yaml";
import { buildConfig, type Config } from "../bot/config.ts";
import type { InboundEvent } from "../bot/events.ts";
import { silentLogger } from "../bot/log.ts";
import { capabilities } from "../commands/index.ts";
import { openDatabase } from "../db/connection.ts";
import { CountingAdapter } from "./counting-adapter.ts";
import { rounds, timeOps, type Timing } from "./stats.ts";

/** Limits a person would hit long before a benchmark's thousands of commands: raised here. */
export const BENCH_LIMITS = { commands: { burst: 1_000_000 }, actions: { pendingPerDay: 1_000_000 }, reminders: { perMember: 1_000_000 } };
const EXAMPLE = new URL("../examples/workers-coop.yaml", import.meta.url).pathname;

/** The federation's own config, as shipped (22 groups), with the benchmark's limits. */
export function shippedConfig(): Config {
  const shipped = parseYaml(readFileSync(EXAMPLE, "utf8")) as Record<string, unknown>;
  return buildConfig({ ...shipped, limits: BENCH_LIMITS }, capabilities, EXAMPLE);
}

/** SQL statements and write transactions, counted while `counting` is on. */
export class StatementCounter {
  counting = false;
  statements = 0;
  writes = 0;
  /** When set, every counted statement's SQL is kept here (to see where they come from). */
  trace: string[] | undefined;
  readonly observe = (sql: unknown) => {
    if (!this.counting) return;
    this.statements++;
    this.trace?.push(String(sql).slice(0, 160));
    if (/^BEGIN/i.test(String(sql))) this.writes++;
  };
}

export interface BenchBot {
  bot: Bot;
  adapter: CountingAdapter;
  counter: StatementCounter;
}

export function benchBot(dir: string, name: string, synchronous: "NORMAL" | "FULL" = "NORMAL", config: Config = shippedConfig()): BenchBot {
  const counter = new StatementCounter();
  const db = openDatabase(join(dir, `${name}.sqlite`), { synchronous, verbose: counter.observe });
  const bot = new Bot({ config, capabilities, clock: new ManualClock(Date.UTC(2026, 7, 17, 9)), log: silentLogger, db, dispatcher: { sleep: async () => undefined } });
  const adapter = new CountingAdapter();
  bot.attach(adapter);
  // As the live bot does (bot.start()): WAL checkpoints run on a worker thread.
  bot.checkpointer.start();
  return { bot, adapter, counter };
}

let seq = 0;
export function event(member: string, text: string, room = "comms"): InboundEvent {
  const id = `bench-${++seq}`;
  return { platform: "console", eventId: id, messageRef: `msg-${id}`, visibleInRoom: true, sender: { platformId: member, displayName: member }, room: { id: room, kind: "public" }, text, addressed: true };
}

/** The README's form: a catalogue job, a note, the group and hours, typed in the group's room. */
export const documentedLog = (i: number) => `log share-campaign posted the leaflet round ${i} --group comms --hours 1`;

export interface CommandResult {
  timing: Timing;
  command: string;
  messagesPerCommand: number;
  statementsPerCommand: number;
  writeTransactionsPerCommand: number;
}

/** Fifty members who have each spoken once, as in a running federation. */
async function warmUp(b: BenchBot): Promise<void> {
  for (let m = 0; m < 50; m++) b.bot.receive(event(`m${m}`, "whoami"));
  await b.bot.dispatcher.sendDue();
}

/** One command, then one sample counted; receive → delivered and recorded sent, timed. */
export async function measureCommand(b: BenchBot, n: number, roundCount: number, text: (i: number) => string, who: (i: number) => string): Promise<CommandResult> {
  await warmUp(b);
  const run = async (i: number) => {
    b.bot.receive(event(who(i), text(i)));
    await b.bot.dispatcher.sendDue();
  };
  const before = b.adapter.delivered;
  const timing = await rounds(roundCount, () => timeOps(n, run));
  const messagesPerCommand = (b.adapter.delivered - before) / (n * (roundCount + 1));
  if (messagesPerCommand < 1) throw new Error(`expected a reply per command, got ${messagesPerCommand} messages per command`);
  const sample = 50;
  b.counter.statements = 0;
  b.counter.writes = 0;
  b.counter.counting = true;
  for (let i = 0; i < sample; i++) await run(1_000_000 + i);
  b.counter.counting = false;
  return { timing, command: text(0), messagesPerCommand, statementsPerCommand: b.counter.statements / sample, writeTransactionsPerCommand: b.counter.writes / sample };
}

export async function coopbotCommands(dir: string, n: number, roundCount: number, kind: "write" | "groups" | "help", synchronous: "NORMAL" | "FULL" = "NORMAL"): Promise<CommandResult> {
  const b = benchBot(dir, `coopbot-${kind}-${synchronous}`, synchronous);
  try {
    if (kind === "write") return await measureCommand(b, n, roundCount, documentedLog, (i) => `m${i % 50}`);
    if (kind === "groups") return await measureCommand(b, n, roundCount, () => "groups", (i) => `m${i % 50}`);
    return await measureCommand(b, n, roundCount, () => "help", () => "admin");
  } finally {
    await b.bot.stop();
    b.bot.close();
  }
}

/**
 * The part a platform waits for: receive → parsed, checked, handled and
 * committed with its outbox rows (the acknowledgement). Delivery still
 * happens between commands, as it would live, but is not timed.
 */
export async function coopbotAck(dir: string, n: number, roundCount: number): Promise<{ timing: Timing; command: string }> {
  const b = benchBot(dir, "coopbot-ack");
  await warmUp(b);
  const timing = await rounds(roundCount, () => timeOps(n, (i) => b.bot.router.handle(event(`m${i % 50}`, documentedLog(i))), () => b.bot.dispatcher.sendDue()));
  await b.bot.stop();
  b.bot.close();
  return { timing, command: documentedLog(0) };
}

/**
 * The same `log`, ten arriving together and applied as the Slack inbound
 * worker applies them (Bot.receiveMany: one transaction, a savepoint each),
 * then delivered. Commands per second; the latencies are a batch's (each
 * command waits for its batch's commit).
 */
export async function coopbotGroupCommit(dir: string, n: number, roundCount: number, batch = 10): Promise<{ timing: Timing; batch: number }> {
  const b = benchBot(dir, "coopbot-group-commit");
  try {
    await warmUp(b);
    const timing = await rounds(roundCount, () =>
      timeOps(Math.ceil(n / batch), async (i) => {
        const arrivals = Array.from({ length: batch }, (_, j) => ({ event: event(`m${(i * batch + j) % 50}`, documentedLog(i * batch + j)) }));
        const results = b.bot.receiveMany(arrivals);
        if (results.some((r) => r.outcome !== "ok")) throw new Error(`a batched log was not applied: ${JSON.stringify(results.find((r) => r.outcome !== "ok"))}`);
        await b.bot.dispatcher.sendDue();
      }),
    );
    return { timing: { ...timing, perSecond: timing.perSecond * batch }, batch };
  } finally {
    await b.bot.stop();
    b.bot.close();
  }
}
