/**
 * Rate limits: Synapse answers M_LIMIT_EXCEEDED with retry_after_ms; the
 * adapter hands that to the dispatcher (DeliveryError retryAfterMs), which
 * waits exactly that long and keeps the room's messages in order.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, apiOk, BOT_ID, MatrixE2E } from "./harness.ts";

let h: MatrixE2E;
const overridePath = `/_synapse/admin/v1/users/${encodeURIComponent(BOT_ID)}/override_ratelimit`;

beforeAll(async () => {
  h = await MatrixE2E.start();
});

afterAll(async () => {
  if (h) await api(h.person("admin").token, "DELETE", overridePath);
  await h?.teardown();
});

describe("rate limits (real Synapse)", () => {
  it("a rate-limited send is delivered later, in order", async () => {
    const room = await h.createRoom("admin", { name: "Busy", invite: ["alice"] });
    await apiOk(h.person("admin").token, "POST", overridePath, { messages_per_second: 2, burst_count: 1 });
    const texts = ["first", "second", "third", "fourth"].map((w) => `Reminder ${w}`);
    h.toRoom(room, texts);
    await h.waitForMessage("alice", room, (m) => m.content.body === "Reminder fourth", { timeoutMs: 30_000 });
    const seen = (await h.messages("alice", room)).map((m) => m.content.body).filter((b) => b.startsWith("Reminder"));
    expect(seen).toEqual(texts);
    const retries = h.logLines("message delivery will be retried").filter((l) => l.rateLimited === true);
    expect(retries.length).toBeGreaterThan(0);
    expect(retries[0]!.retryInMs).toBeGreaterThan(0);
    expect(retries[0]!.retryInMs).toBeLessThanOrEqual(2000);
  });
});
