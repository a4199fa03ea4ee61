// How big the WAL gets under a sustained stream of `log` commands, with the
// live set-up (checkpoints on the worker thread). Prints the WAL file's size
// at every 10k commands and the largest size seen, sampled every 100.
//   env -u NODE_EXTRA_CA_CERTS npx tsx bench/wal.ts [commands=20000]
import { existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { InboundEvent } from "../bot/events.ts";
import { benchBot, documentedLog } from "./command-path.ts";

const MiB = 1024 * 1024;
const total = Number(process.argv[2] ?? 20_000);

const event = (i: number, text: string): InboundEvent => ({
  platform: "console",
  eventId: `wal-${i}`,
  sender: { platformId: `m${i % 50}`, displayName: `m${i % 50}` },
  room: { id: "comms", kind: "public" },
  text,
  addressed: true,
});

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "coopbot-wal-"));
  const { bot } = benchBot(dir, "wal");
  const wal = join(dir, "wal.sqlite-wal");
  const size = () => (existsSync(wal) ? statSync(wal).size : 0);
  const text = documentedLog;
  let max = 0;
  const started = performance.now();
  for (let i = 1; i <= total; i++) {
    bot.receive(event(i, text(i)));
    await bot.dispatcher.drain();
    if (i % 100 === 0) max = Math.max(max, size());
    if (i % 10_000 === 0) console.log(`after ${i} commands: WAL ${(size() / MiB).toFixed(1)} MiB (largest so far ${(max / MiB).toFixed(1)} MiB)`);
  }
  console.log(`${total} commands in ${((performance.now() - started) / 1000).toFixed(1)} s; database ${(statSync(join(dir, "wal.sqlite")).size / MiB).toFixed(1)} MiB`);
  await bot.stop();
  bot.close();
  rmSync(dir, { recursive: true, force: true });
}

await main();
