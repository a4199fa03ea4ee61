// Malformed Slack requests that pass the signature check (a buggy proxy, a
// changed payload shape): each is refused or ignored, nothing is written, and
// the bot keeps answering well-formed commands. (Bolt answers a request no
// listener matches with 404 after its 3 s timeout: three cases here do.)
import { afterEach, describe, expect, it } from "vitest";
import { SlackHarness } from "../slack/harness.ts";

let h: SlackHarness;
afterEach(async () => h?.close());

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";

describe("malformed Slack payloads", () => {
  it("changes nothing and does not stop the bot", async () => {
    h = await SlackHarness.start();
    await h.slash("U0ALICE", "C0GENERAL", "whoami");
    const before = h.bot.db.$client.prepare("select count(*) as n from inbound_events").get();
    const bodies: [string, string][] = [
      ["payload=%7Bnot%20json", FORM],
      [`payload=${encodeURIComponent(JSON.stringify({ type: "block_actions" }))}`, FORM],
      [`payload=${encodeURIComponent(JSON.stringify({ type: "block_actions", user: { id: "U0ALICE" }, actions: [{ type: "button", value: 42 }], trigger_id: "t-bad" }))}`, FORM],
      ["command=%2Fcoop&text=whoami", FORM],
      ["{not json", JSON_TYPE],
      [JSON.stringify({ type: "event_callback" }), JSON_TYPE],
      [JSON.stringify({ type: "event_callback", event_id: "Ev-bad", event: { type: "app_mention" } }), JSON_TYPE],
      [JSON.stringify({ type: "event_callback", event_id: "Ev-bad2", event: { type: "message", channel_type: "im", user: "U0ALICE", text: 7 } }), JSON_TYPE],
      ["x".repeat(200_000), JSON_TYPE],
    ];
    for (const [body, type] of bodies) {
      const res = await h.post(body, type);
      expect(res.status, `${body.slice(0, 60)} got ${res.status}`).toBeLessThan(500);
    }
    await h.settle();
    expect(h.bot.db.$client.prepare("select count(*) as n from inbound_events").get()).toEqual(before);
    // Still alive and answering.
    const after = await h.slash("U0ALICE", "C0GENERAL", "whoami");
    expect(after.report?.result?.outcome).toBe("ok");
  });
});
