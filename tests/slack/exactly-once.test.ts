// Exactly once across a crash, as far as Slack allows: every post carries
// its delivery's uid in message metadata, and a delivery that may already
// have gone out (its process died mid-send) is looked for in the channel
// before it is posted again.
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SlackHarness } from "./harness.ts";

let h: SlackHarness;
beforeEach(async () => {
  h = await SlackHarness.start();
});
afterEach(async () => {
  await h.close();
});

/**
 * As if the process that sent row `id` died before recording it sent:
 * pending again, held by a dead process. Written through a connection of its
 * own, as that other process would have: the bot notices another process's
 * commit and reads the outbox again.
 */
function forgetSent(id: number): void {
  const other = new Database(h.bot.db.$client.name);
  try {
    other.prepare("update outbox set state = 'pending', sent_at = null, platform_ref = null, lease_owner = 'a-process-that-died', lease_until = 0 where id = ?").run(id);
  } finally {
    other.close();
  }
}

const postsTagged = (uid: string) => h.fake.callsTo("chat.postMessage").filter((c) => c.response.ok && c.args.metadata?.event_payload?.uid === uid);

describe("a post that may have gone out before a crash", () => {
  it("carries its uid in message metadata", async () => {
    await h.slash("U0ALICE", "C0GENERAL", "test announce 1");

    const [row] = h.outbox();
    const [post] = h.posts("C0GENERAL");
    expect(post?.args.metadata).toEqual({ event_type: "coopbot_outbox", event_payload: { uid: expect.stringMatching(new RegExp(`^[0-9a-f]{16}\\.${row!.id}$`)) } });
  });

  it("is found in the channel's history and not posted again; the row is sent with the first post's reference", async () => {
    await h.slash("U0ALICE", "C0GENERAL", "test announce 1");
    const [row] = h.outbox();
    const uid = h.posts("C0GENERAL")[0]!.args.metadata.event_payload.uid as string;
    forgetSent(row!.id);

    await h.bot.dispatcher.drain();

    expect(postsTagged(uid)).toHaveLength(1);
    expect(h.fake.callsTo("conversations.history").map((c) => ({ channel: c.args.channel, metadata: String(c.args.include_all_metadata) }))).toEqual([{ channel: "C0GENERAL", metadata: "true" }]);
    const after = h.outbox()[0]!;
    expect(after.state).toBe("sent");
    expect(after.platformRef).toBe(h.refOf(h.posts("C0GENERAL")[0]!));
  });

  it("a DM that may have gone out is looked for in the DM, and not sent twice", async () => {
    await h.dm("U0ALICE", "whoami");
    const [row] = h.outbox();
    const uid = h.dmsTo("U0ALICE")[0]!.args.metadata.event_payload.uid as string;
    forgetSent(row!.id);

    await h.bot.dispatcher.drain();

    expect(postsTagged(uid)).toHaveLength(1);
    expect(h.outbox()[0]!.state).toBe("sent");
  });

  it("is posted when the history shows it never arrived (the crash came before Slack took it)", async () => {
    await h.slash("U0ALICE", "C0GENERAL", "test announce 1");
    const [row] = h.outbox();
    const uid = h.posts("C0GENERAL")[0]!.args.metadata.event_payload.uid as string;
    h.fake.messages.clear(); // Slack never had it
    forgetSent(row!.id);

    await h.bot.dispatcher.drain();

    expect(postsTagged(uid)).toHaveLength(2);
    expect(h.outbox()[0]!.state).toBe("sent");
  });

  it("a post in a thread is looked for among the thread's replies", async () => {
    const thread = h.posts().length === 0 ? `${Math.floor(h.clock.now() / 1000) - 30}.000001` : "";
    await h.mention("U0ALICE", "C0GENERAL", "test ask T1", { thread });
    await h.slash("U0ALICE", "C0GENERAL", "test announce 1"); // something newer in the channel itself
    const threaded = h.outbox().find((r) => JSON.parse(r.target).thread === thread);
    expect(threaded).toBeDefined();
    forgetSent(threaded!.id);

    await h.bot.dispatcher.drain();

    expect(h.fake.callsTo("conversations.replies").map((c) => c.args.ts)).toEqual([thread]);
    expect(h.fake.callsTo("conversations.history")).toEqual([]);
    expect(h.posts("C0GENERAL").filter((c) => c.args.thread_ts === thread)).toHaveLength(1);
  });

  it("when the history can't be read (a missing scope), it is posted again, and the operator is told why once", async () => {
    await h.slash("U0ALICE", "C0GENERAL", "test announce 2");
    const rows = h.outbox();
    for (const row of rows) forgetSent(row.id);
    h.fake.failNext("conversations.history", "missing_scope");
    h.fake.failNext("conversations.history", "missing_scope");

    await h.bot.dispatcher.drain();

    expect(h.posts("C0GENERAL")).toHaveLength(4); // at least once: each went out again
    expect(h.outbox().map((r) => r.state)).toEqual(["sent", "sent"]);
    expect(h.logged(/can't read a channel's history/)).toHaveLength(1);
  });

  it("a rate-limited history check waits (Retry-After) instead of posting blind", async () => {
    await h.slash("U0ALICE", "C0GENERAL", "test announce 1");
    const [row] = h.outbox();
    forgetSent(row!.id);
    h.fake.rateLimitNext("conversations.history", 2);

    await h.bot.dispatcher.drain();
    expect(h.posts("C0GENERAL")).toHaveLength(1);
    expect(h.outbox()[0]!.state).toBe("pending");

    await h.advance(2000);
    expect(h.posts("C0GENERAL")).toHaveLength(1);
    expect(h.outbox()[0]!.state).toBe("sent");
  });

  it("a message that was never tried before is posted without looking (no history call on the normal path)", async () => {
    await h.slash("U0ALICE", "C0GENERAL", "test announce 3");

    expect(h.posts("C0GENERAL")).toHaveLength(3);
    expect(h.fake.callsTo("conversations.history")).toEqual([]);
  });
});
