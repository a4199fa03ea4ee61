/**
 * Restarts: the Matrix adapter keeps its sync token in its own state file,
 * so a restarted bot (new Bot + adapter, same data dir and database) never
 * runs an old command again, and does run, once, a command sent while it was
 * down. With no token at all (state file lost), history the initial sync
 * replays is older than the start and ignored.
 */
import { rmSync } from "node:fs";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import Database from "better-sqlite3";
import { HS, MatrixE2E, waitFor } from "./harness.ts";

let h: MatrixE2E;
let dm = "";

beforeAll(async () => {
  h = await MatrixE2E.start();
  dm = await h.dmRoom("alice");
});

afterAll(async () => {
  await h?.teardown();
});

const receivedCount = (eventId: string) => h.received.filter((e) => e.eventId === eventId).length;
const repliesTo = async (eventId: string) => (await h.messages("alice", dm)).filter((m) => m.inReplyTo === eventId).length;

/**
 * A command that writes (its event is recorded, its answer stored in the
 * outbox): what a restart must neither lose nor run twice. A read-only
 * command such as `whoami` is answered from memory and never stored.
 */
const WRITES = "profile set interests tea";

/** A command after the restart, answered: everything before it in the DM has been handled. */
async function sentinel(): Promise<void> {
  // Read-only: answered from memory, with a transaction id of its own dispatcher (a restarted bot must not reuse one).
  const ping = await h.say("alice", dm, "whoami");
  await h.waitForMessage("alice", dm, (m) => m.inReplyTo === ping);
}

describe("restarts (real Synapse)", () => {
  let before = "";

  it("does not run a command again after a restart", async () => {
    before = await h.say("alice", dm, WRITES);
    await h.waitForMessage("alice", dm, (m) => m.inReplyTo === before);
    await h.restartBot();
    await sentinel();
    expect(receivedCount(before)).toBe(1);
    expect(await repliesTo(before)).toBe(1);
    expect(h.logLines("matrix: syncing").at(-1)).toMatchObject({ resumed: true });
  });

  it("runs a command sent while the bot was down, once", async () => {
    await h.stopBot();
    const whileDown = await h.say("alice", dm, WRITES);
    await h.startBot();
    await h.waitForMessage("alice", dm, (m) => m.inReplyTo === whileDown);
    await sentinel();
    expect(receivedCount(whileDown)).toBe(1);
    expect(await repliesTo(whileDown)).toBe(1);
    expect(receivedCount(before)).toBe(1);
  });

  it("a reply whose send was not recorded before the process stopped is not posted twice: the same transaction id gives back the first event", async () => {
    const command = await h.say("alice", dm, WRITES);
    const first = await h.waitForMessage("alice", dm, (m) => m.inReplyTo === command);
    await h.stopBot();
    // As if the process had died after Synapse took the message and before the outbox recorded it sent.
    const db = new Database(h.dbPath);
    const row = db.prepare("select id, platform_ref as ref from outbox where platform = 'matrix' and platform_ref = ?").get(first.eventId) as { id: number; ref: string } | undefined;
    expect(row).toBeDefined();
    db.prepare("update outbox set state = 'pending', sent_at = null, platform_ref = null, lease_owner = 'a-process-that-died', lease_until = 0 where id = ?").run(row!.id);
    db.close();

    await h.startBot();
    await waitFor("the resent row to be recorded as sent", () => {
      const again = h.bot.db.$client.prepare("select state, platform_ref as ref from outbox where id = ?").get(row!.id) as { state: string; ref: string | null };
      return again.state === "sent" ? again : undefined;
    });
    await sentinel();
    expect(await repliesTo(command)).toBe(1);
    const after = h.bot.db.$client.prepare("select platform_ref as ref from outbox where id = ?").get(row!.id) as { ref: string };
    expect(after.ref).toBe(first.eventId);
  });

  it("accepts an invite sent while it was down", async () => {
    await h.stopBot();
    const room = await h.createRoom("alice", { name: "Invited while down", invite: ["bob"], bot: false });
    await h.invite("alice", room, "bot");
    await h.startBot();
    await h.waitForBotJoined(room, "alice");
  });

  it("ignores history replayed by an initial sync (state file lost): nothing older than the start runs", async () => {
    await h.stopBot();
    const old = await h.say("alice", dm, WRITES);
    rmSync(path.join(h.dataDir, "matrix-state.sqlite"), { force: true });
    rmSync(path.join(h.dataDir, "matrix-state.sqlite-wal"), { force: true });
    rmSync(path.join(h.dataDir, "matrix-state.sqlite-shm"), { force: true });
    const seen = h.received.length;
    await h.startBot({ startMarginMs: 0 });
    expect(h.logLines("matrix: syncing").at(-1)).toMatchObject({ resumed: false });
    await sentinel();
    const replayed = h.received.slice(seen).filter((e) => e.eventId === old || e.eventId === before);
    expect(replayed).toEqual([]);
    expect(await repliesTo(old)).toBe(0);
  });

  it("starts while the homeserver is unreachable and connects when it comes up, then answers what was sent meanwhile", async () => {
    await h.stopBot();
    // A TCP proxy to Synapse on a port that is closed until we open it.
    const target = new URL(HS);
    const proxy = net.createServer((socket) => {
      const upstream = net.connect(Number(target.port), target.hostname);
      socket.pipe(upstream).pipe(socket);
      const close = () => (socket.destroy(), upstream.destroy());
      socket.on("error", close);
      upstream.on("error", close);
    });
    const port = await new Promise<number>((resolve) => {
      const probe = net.createServer().listen(0, "127.0.0.1", () => {
        const { port } = probe.address() as net.AddressInfo;
        probe.close(() => resolve(port));
      });
    });
    try {
      await h.startBot({ homeserverUrl: `http://127.0.0.1:${port}`, requireConnected: false });
      expect(h.adapter.userId).toBeUndefined();
      expect(h.logLines("homeserver unreachable; retrying in the background")).not.toEqual([]);
      const meanwhile = await h.say("alice", dm, "whoami");
      await new Promise<void>((resolve) => proxy.listen(port, "127.0.0.1", resolve));
      await h.waitForMessage("alice", dm, (m) => m.inReplyTo === meanwhile);
      expect(h.adapter.userId).toBeDefined();
      await h.stopBot();
      await h.startBot(); // back to the direct address for teardown
    } finally {
      proxy.close();
    }
  });
});
