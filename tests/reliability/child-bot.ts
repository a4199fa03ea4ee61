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
import type { Delivery, InboundEvent } from "../../bot/events.ts";
import { silentLogger } from "../../bot/log.ts";
import { capabilities } from "../../commands/index.ts";

const { DB, SENT_LOG, LEASE_MS, CONFIG_JSON } = process.env;
if (!DB || !SENT_LOG) throw new Error("DB and SENT_LOG are required");

class SentLogAdapter implements Adapter {
  readonly platform = "console" as const;
  readonly capabilities = { buttons: true, ephemeral: true, edit: true };
  readonly commandPrefix = "/";
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async deliver(delivery: Delivery): Promise<{ ref?: string }> {
    appendFileSync(SENT_LOG!, `${delivery.id}\n`);
    return { ref: `sent-${delivery.id}` };
  }
}

const config = buildConfig(JSON.parse(CONFIG_JSON ?? '{"admins":["console:admin"]}'), capabilities);
const bot = new Bot({ config, capabilities, clock: systemClock, log: silentLogger, db: DB, dispatcher: { leaseMs: Number(LEASE_MS ?? 500) } });
bot.attach(new SentLogAdapter());
await bot.start({ schedulerIntervalMs: 50 });
process.stdout.write(JSON.stringify({ ready: true }) + "\n");

for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const event = JSON.parse(line) as InboundEvent;
  const result = bot.receive(event);
  process.stdout.write(JSON.stringify({ ack: event.eventId, outcome: result.outcome }) + "\n");
}
await bot.stop();
bot.close();
