// The bound the README states: under a sustained stream of commands through
// a real bot (checkpointer on its worker, as live), the WAL file stays under
// WAL_LIMITS.boundBytes, checked all along the stream, not only at the end.
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { Adapter } from "../../bot/adapter.ts";
import { Bot } from "../../bot/app.ts";
import { ManualClock } from "../../bot/clock.ts";
import { buildConfig } from "../../bot/config.ts";
import type { InboundEvent } from "../../bot/events.ts";
import { silentLogger } from "../../bot/log.ts";
import { capabilities } from "../../commands/index.ts";
import { WAL_LIMITS } from "../../db/connection.ts";
import { MANY_AT_ONCE } from "../helpers/bot.ts";

const COMMANDS = 20_000;
const MiB = 1024 * 1024;

/** Takes every message at once, as a platform with no rate limit would. */
class InstantAdapter implements Adapter {
  readonly platform = "console" as const;
  readonly capabilities = { buttons: true, ephemeral: true, edit: true };
  readonly commandPrefix = "/";
  delivered = 0;
  async start(): Promise<void> {}
  async stop(): Promise<void> {}
  async deliver(): Promise<{ ref?: string }> {
    this.delivered++;
    return {};
  }
}

const dir = mkdtempSync(join(tmpdir(), "coopbot-wal-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const logCommand = (i: number): InboundEvent => ({
  platform: "console",
  eventId: `wal-${i}`,
  sender: { platformId: `m${i % 50}`, displayName: `m${i % 50}` },
  room: { id: "comms", kind: "public" },
  text: `log shared campaign material ${i} --group comms --hours 1`,
  addressed: true,
});

describe("the WAL under sustained load", () => {
  it(`stays under ${WAL_LIMITS.boundBytes / MiB} MiB through ${COMMANDS} logged actions`, async () => {
    // 400 actions from each member at one instant: a load test, not people, so the limits that would stop them are raised.
    const limits = { ...MANY_AT_ONCE, actions: { pendingPerDay: COMMANDS } };
    const config = buildConfig({ admins: ["console:admin"], groups: [{ slug: "comms", name: "Communications Group", kind: "working", drivers: ["console:m0"] }], limits }, capabilities);
    const path = join(dir, "coopbot.sqlite");
    const bot = new Bot({ config, capabilities, clock: new ManualClock(Date.UTC(2026, 7, 17, 9)), log: silentLogger, db: path, dispatcher: { sleep: async () => undefined } });
    const adapter = new InstantAdapter();
    bot.attach(adapter);
    bot.checkpointer.start();
    const walSize = () => (existsSync(`${path}-wal`) ? statSync(`${path}-wal`).size : 0);
    let largest = 0;
    const over: string[] = [];
    for (let i = 1; i <= COMMANDS; i++) {
      expect(bot.receive(logCommand(i)).outcome).toBe("ok");
      await bot.dispatcher.drain();
      if (i % 100 === 0) {
        const size = walSize();
        largest = Math.max(largest, size);
        if (size >= WAL_LIMITS.boundBytes) over.push(`${(size / MiB).toFixed(1)} MiB after ${i} commands`);
      }
    }
    await bot.stop();
    bot.close();
    expect(over).toEqual([]);
    // Each command was answered (and its driver told), so the stream did write all along.
    expect(adapter.delivered).toBeGreaterThanOrEqual(COMMANDS);
    expect(largest).toBeGreaterThan(0);
  }, 300_000);
});
