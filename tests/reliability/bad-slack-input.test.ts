// Malformed Slack requests that pass the signature check (a buggy proxy, a
// changed payload shape): each is refused or ignored, nothing is written, and
// the bot keeps answering well-formed commands. (Bolt answers a request no
// listener matches with 404 after its 3 s timeout: three cases here do.)
import { randomUUID } from "node:crypto";
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

describe("signed payloads that used to end the process", () => {
  const counts = () => h.bot.db.$client.prepare("select (select count(*) from inbound_events) as events, (select count(*) from inbox) as inbox, (select count(*) from outbox) as outbox").get();

  it("a signed `payload=null`, JSON `null` or a bare number over HTTP is answered 400, logged once without its content, and the bot keeps serving", async () => {
    h = await SlackHarness.start();
    await h.slash("U0ALICE", "C0GENERAL", "whoami");
    const before = counts();
    for (const [body, type] of [["payload=null", FORM], ["null", JSON_TYPE], ["payload=12345", FORM]] as const) {
      const res = await h.post(body, type);
      expect(res.status, body).toBe(400);
    }
    await h.settle();
    expect(counts()).toEqual(before);
    const refusals = h.logged("Slack request refused before Bolt saw it");
    expect(refusals.map((l) => l.reason)).toEqual(["signed payload is null", "signed payload is null", "signed payload is number"]);
    expect(JSON.stringify(h.logs)).not.toContain("12345");
    expect((await h.slash("U0ALICE", "C0GENERAL", "whoami")).report?.result?.outcome).toBe("ok");
  });

  it("an unsigned `payload=null` is still Bolt's 401, not our 400", async () => {
    h = await SlackHarness.start();
    expect((await h.post("payload=null", FORM, { sign: false })).status).toBe(401);
  });

  it("Socket Mode envelopes without a payload (or an event) are acknowledged and ignored, and the bot keeps serving", async () => {
    h = await SlackHarness.start({ mode: "socket" });
    await h.slash("U0ALICE", "C0GENERAL", "whoami");
    const before = counts();
    const envelopes = [
      { envelope_id: randomUUID(), type: "events_api", payload: null },
      { envelope_id: randomUUID(), type: "events_api", payload: { type: "event_callback", event_id: "Ev-x" } },
      { envelope_id: randomUUID(), type: "slash_commands", payload: null },
      { envelope_id: randomUUID(), type: "interactive", payload: 7 },
      { type: "events_api", payload: null }, // not even an envelope id
    ];
    for (const envelope of envelopes) {
      const ack = await h.socket!.sendRaw(envelope);
      if (envelope.envelope_id) expect(ack?.envelope_id).toBe(envelope.envelope_id);
    }
    await h.settle();
    expect(counts()).toEqual(before);
    expect(h.logged(/Socket Mode envelope I can't use|payload I can't use/).length).toBe(envelopes.length);
    expect((await h.slash("U0ALICE", "C0GENERAL", "whoami")).report?.result?.outcome).toBe("ok");
  });
});
