// coopbot's whole command path: inbound event → dedupe → parse → zod →
// permission → handler + outbox in one transaction → dispatcher → an
// in-memory adapter that captures the reply.
import { join } from "node:path";
import { Bot } from "../bot/app.ts";
import { ManualClock } from "../bot/clock.ts";
import { buildConfig } from "../bot/config.ts";
import type { InboundEvent } from "../bot/events.ts";
import { silentLogger } from "../bot/log.ts";
import { capabilities } from "../commands/index.ts";
import { openDatabase } from "../db/connection.ts";
import { CountingAdapter } from "./counting-adapter.ts";
import { rounds, timeOps, type Timing } from "./stats.ts";

/**
 * Thousands of commands from 50 members on a clock that doesn't move: the
 * per-member limits (README, "Limits") would refuse nearly all of them, and
 * the benchmark measures the command path, not the refusal.
 */
export const BENCH_LIMITS = { commands: { burst: 1_000_000 }, actions: { pendingPerDay: 1_000_000 }, reminders: { perMember: 1_000_000 } };

export function benchBot(dir: string, name: string, synchronous: "NORMAL" | "FULL" = "NORMAL"): { bot: Bot; adapter: CountingAdapter } {
  const config = buildConfig(
    { admins: ["console:admin"], groups: [{ slug: "comms", name: "Communications Group", kind: "working", drivers: ["console:m0"] }], limits: BENCH_LIMITS },
    capabilities,
  );
  const db = openDatabase(join(dir, `${name}.sqlite`), { synchronous });
  const bot = new Bot({ config, capabilities, clock: new ManualClock(Date.UTC(2026, 7, 17, 9)), log: silentLogger, db, dispatcher: { sleep: async () => undefined } });
  const adapter = new CountingAdapter();
  bot.attach(adapter);
  // As the live bot does (bot.start()): WAL checkpoints run on a worker thread.
  bot.checkpointer.start();
  return { bot, adapter };
}

let seq = 0;
function event(member: string, text: string): InboundEvent {
  return { platform: "console", eventId: `bench-${++seq}`, sender: { platformId: member, displayName: member }, room: { id: "comms", kind: "public" }, text, addressed: true };
}

/** The writing command the benchmark uses: logging an action once the actions capability exists. */
export function writingCommand(bot: Bot): (i: number) => string {
  if (bot.registry.get("log")) return (i) => `log shared campaign material ${i} --group comms --hours 1`;
  return (i) => `remind me 1d shared campaign material ${i}`;
}

export async function coopbotCommands(
  dir: string,
  n: number,
  roundCount: number,
  kind: "write" | "read",
  synchronous: "NORMAL" | "FULL" = "NORMAL",
): Promise<{ timing: Timing; command: string; messagesPerCommand: number }> {
  const { bot, adapter } = benchBot(dir, `coopbot-${kind}-${synchronous}`, synchronous);
  const text = kind === "write" ? writingCommand(bot) : () => "groups";
  // Every member has spoken once, as in a running federation.
  for (let m = 0; m < 50; m++) bot.receive(event(`m${m}`, "whoami"));
  await bot.dispatcher.drain();
  const before = adapter.delivered;
  const timing = await rounds(roundCount, () =>
    timeOps(n, async (i) => {
      bot.receive(event(`m${i % 50}`, text(i)));
      await bot.dispatcher.drain();
    }),
  );
  const messagesPerCommand = (adapter.delivered - before) / (n * (roundCount + 1));
  // Every command was answered (a logged action also notifies the group's driver).
  if (messagesPerCommand < 1) throw new Error(`expected a reply per command, got ${messagesPerCommand} messages per command`);
  await bot.stop();
  bot.close();
  return { timing, command: text(0), messagesPerCommand };
}

/**
 * The part a platform waits for: receive → parsed, checked, handled and
 * committed with its outbox rows (the acknowledgement). Delivery still
 * happens between commands, as it would live, but is not timed.
 */
export async function coopbotAck(dir: string, n: number, roundCount: number): Promise<{ timing: Timing; command: string }> {
  const { bot } = benchBot(dir, "coopbot-ack");
  const text = writingCommand(bot);
  for (let m = 0; m < 50; m++) bot.receive(event(`m${m}`, "whoami"));
  await bot.dispatcher.drain();
  // router.handle is receive() without waking the dispatcher, which runs untimed after it.
  const timing = await rounds(roundCount, () => timeOps(n, (i) => bot.router.handle(event(`m${i % 50}`, text(i))), () => bot.dispatcher.drain()));
  await bot.stop();
  bot.close();
  return { timing, command: text(0) };
}
