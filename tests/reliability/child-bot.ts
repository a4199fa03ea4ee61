// A coopbot process for the fault suite: reads inbound events as JSON lines
// on stdin and acknowledges each on stdout once `receive` has returned (its
// effects are committed). Deliveries are appended to a file before the
// dispatcher records them as sent, so a SIGKILL anywhere can be audited.
import { appendFileSync } from "node:fs";
import { createInterface } from "node:readline";
import type { Adapter } from "../../bot/adapter.ts";
import { Bot } from "../../bot/app.ts";
import { systemClock } from "../../bot/clock.ts";
import { buildConfig } from "../../bot/config.ts";
import type { Delivery, InboundEvent, Platform } from "../../bot/events.ts";
import { silentLogger } from "../../bot/log.ts";
import { capabilities } from "../../commands/index.ts";

// WAIT_FOR_GO: start only when the first stdin line is "go" (two processes starting together).
// DELIVER_DELAY_MS: each delivery takes this long (so two dispatchers overlap).
// PLATFORM: what the adapter calls itself (console by default).
const { DB, SENT_LOG, LEASE_MS, CONFIG_JSON, WAIT_FOR_GO, DELIVER_DELAY_MS, PLATFORM } = process.env;
if (!DB || !SENT_LOG) throw new Error("DB and SENT_LOG are required");

class SentLogAdapter implements Adapter {
  readonly platform = (PLATFORM ?? "console") as Platform;
  readonly capabilities = { buttons: true, ephemeral: true, edit: true };
  readonly commandPrefix = "/";
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async deliver(delivery: Delivery): Promise<{ ref?: string }> {
    if (DELIVER_DELAY_MS) await new Promise((r) => setTimeout(r, Number(DELIVER_DELAY_MS)));
    appendFileSync(SENT_LOG!, `${delivery.id}\n`);
    return { ref: `sent-${delivery.id}` };
  }
}

const config = buildConfig(JSON.parse(CONFIG_JSON ?? '{"admins":["console:admin"]}'), capabilities);
const bot = new Bot({ config, capabilities, clock: systemClock, log: silentLogger, db: DB, dispatcher: { leaseMs: Number(LEASE_MS ?? 500) } });
bot.attach(new SentLogAdapter());
const lines = createInterface({ input: process.stdin });
if (!WAIT_FOR_GO) await bot.start({ schedulerIntervalMs: 50 });
process.stdout.write(JSON.stringify({ ready: true }) + "\n");

// One loop over stdin (a second one would find the stream closed by the first's end).
for await (const line of lines) {
  if (!line.trim()) continue;
  if (line.trim() === "go") {
    await bot.start({ schedulerIntervalMs: 50 });
    continue;
  }
  if (line.trim() === "stats") {
    process.stdout.write(JSON.stringify({ stats: bot.dispatcher.stats }) + "\n");
    continue;
  }
  const event = JSON.parse(line) as InboundEvent;
  const result = bot.receive(event);
  process.stdout.write(JSON.stringify({ ack: event.eventId, outcome: result.outcome }) + "\n");
}
await bot.stop();
bot.close();
