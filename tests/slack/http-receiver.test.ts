// HTTP mode: Bolt's own receiver checks Slack's signature and timestamp, and
// Slack's retries of an event never run it twice.
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, expect, it } from "vitest";
import { SlackHarness } from "./harness.ts";

let h: SlackHarness;
beforeEach(async () => {
  h = await SlackHarness.start();
});
afterEach(async () => {
  await h.close();
});

const slashBody = (text: string) =>
  new URLSearchParams({ ...JSON.parse(readFileSync(new URL("../fixtures/slack/slash-command.json", import.meta.url), "utf8")), text }).toString();

it("an unsigned request is refused with 401 and runs nothing", async () => {
  const { status } = await h.post(slashBody("test announce 1"), "application/x-www-form-urlencoded", { sign: false });

  expect(status).toBe(401);
  expect(h.inbound).toEqual([]);
  expect(h.fake.calls.map((c) => c.method)).toEqual(["auth.test"]);
  expect(h.outbox()).toEqual([]);
});

it("a request signed with another secret is refused with 401", async () => {
  const { status } = await h.post(slashBody("test announce 1"), "application/x-www-form-urlencoded", { secret: "not-our-signing-secret" });

  expect(status).toBe(401);
  expect(h.outbox()).toEqual([]);
});

it("a stale request (signed, but timestamped over 5 minutes ago) is refused with 401, so a captured request can't be replayed", async () => {
  const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;

  const { status } = await h.post(slashBody("test announce 1"), "application/x-www-form-urlencoded", { timestamp: sixMinutesAgo });

  expect(status).toBe(401);
  expect(h.inbound).toEqual([]);
  expect(h.outbox()).toEqual([]);
});

it("Slack's URL verification challenge is answered (so the Request URL can be saved)", async () => {
  const body = readFileSync(new URL("../fixtures/slack/url-verification.json", import.meta.url), "utf8");

  const { status, text } = await h.post(body, "application/json");

  expect(status).toBe(200);
  expect(text).toContain("3eZbrw1aBm2rZgRNFdxV2595E9CY3gmdALWMmHkvFXO7tYXAYM8P");
});

it("an Events API retry (same event_id, x-slack-retry-num: 1) has no second effect", async () => {
  const first = await h.mention("U0ALICE", "C0GENERAL", "test announce 1", { eventId: "Ev0RETRIED" });
  const retry = await h.mention("U0ALICE", "C0GENERAL", "test announce 1", { eventId: "Ev0RETRIED", retryNum: 1 });

  expect(first.report?.result?.outcome).toBe("ok");
  expect(retry.status).toBe(200);
  expect(retry.report?.result?.outcome).toBe("duplicate");
  expect(h.posts("C0GENERAL").map((c) => c.args.text)).toEqual(["Announcement 1 of 1"]);
});

it("a slash command is acknowledged at once with an empty 200, before any answer is sent", async () => {
  const { status, text } = await h.post(slashBody("whoami"), "application/x-www-form-urlencoded");

  expect(status).toBe(200);
  expect(text).toBe("");
});
