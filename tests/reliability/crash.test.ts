// SIGKILL at random points while commands stream in: every acknowledged
// command's effect is present exactly once, and every message is sent.
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { consoleEvent, sleep, startChild } from "./processes.ts";

const EVENTS = 150;
const KILLS = 5;

describe("crash safety", () => {
  it("keeps every acknowledged command exactly once and sends every message across repeated SIGKILLs", async () => {
    const dir = mkdtempSync(join(tmpdir(), "coopbot-crash-"));
    const env = { DB: join(dir, "bot.sqlite"), SENT_LOG: join(dir, "sent.log"), LEASE_MS: "300" };
    const events = Array.from({ length: EVENTS }, (_, i) => consoleEvent(`crash-${i}`, `member${i % 12}`, `remind me 1d note number ${i}`));
    const acked = new Set<string>();
    const progress: number[] = [];
    const inFlightAtKill: number[] = [];
    // A deterministic "random" so a failure can be reproduced.
    let seed = 42;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

    for (let round = 0; round <= KILLS; round++) {
      const child = startChild(env);
      await child.ready;
      // Redeliver everything not acknowledged, plus some that were (platform retries).
      const redelivered = events.filter((e) => acked.has(e.eventId) && random() < 0.1);
      const stream = [...redelivered, ...events.filter((e) => !acked.has(e.eventId))];
      if (round < KILLS) {
        // A steady stream, like a busy workspace (a few events always on their way), cut off
        // by state: once this process has acknowledged a chosen number of them.
        const killAfter = 5 + Math.floor(random() * 30);
        let sent = 0;
        while (child.acks.size < killAfter && child.proc.exitCode === null) {
          if (sent < stream.length && sent - child.acks.size < 8) child.send([stream[sent++]!]);
          else if (sent >= stream.length && child.acks.size >= sent) break;
          else await sleep(1);
        }
        inFlightAtKill.push(sent - child.acks.size);
        child.proc.kill("SIGKILL");
        await child.exited;
      } else {
        child.send(stream);
        await child.waitForAcks(events.map((e) => e.eventId).filter((id) => !acked.has(id)));
        await waitUntil(() => allSent(env.DB), 15_000);
        child.proc.stdin.end();
        await child.exited;
      }
      for (const id of child.acks.keys()) acked.add(id);
      progress.push(acked.size);
    }

    // The kills landed mid-stream: events were on their way when each came, and work was half done.
    expect(inFlightAtKill.filter((n) => n > 0).length).toBeGreaterThan(0);
    expect(progress.some((n) => n > 0 && n < EVENTS)).toBe(true);
    expect(acked.size).toBe(EVENTS);
    const db = new Database(env.DB, { readonly: true });
    const reminders = db.prepare("select json_extract(payload, '$.text') as text from jobs where kind = 'core.remind'").all() as { text: string }[];
    // Every command set exactly one reminder: none lost, none doubled.
    const expected = events.map((_e, i) => `note number ${i}`);
    expect(reminders.map((r) => r.text).sort()).toEqual(expected.sort());
    const outbox = db.prepare("select id, state from outbox").all() as { id: number; state: string }[];
    // One reply per command, each recorded sent once, each actually delivered at least once.
    expect(outbox).toHaveLength(EVENTS);
    expect(outbox.every((r) => r.state === "sent")).toBe(true);
    const delivered = new Set(readFileSync(env.SENT_LOG, "utf8").split("\n").filter(Boolean).map(Number));
    expect(outbox.filter((r) => !delivered.has(r.id))).toEqual([]);
    db.close();
  }, 120_000);
});

function allSent(dbPath: string): boolean {
  if (!existsSync(dbPath)) return false;
  const db = new Database(dbPath, { readonly: true });
  try {
    const row = db.prepare("select count(*) as n from outbox where state != 'sent'").get() as { n: number };
    const total = db.prepare("select count(*) as n from outbox").get() as { n: number };
    return row.n === 0 && total.n === EVENTS;
  } finally {
    db.close();
  }
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!check()) {
    if (performance.now() > deadline) throw new Error("timed out");
    await sleep(25);
  }
}
