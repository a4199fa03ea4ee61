// Socket Mode (the default: no public URL): the bot opens the socket with
// the app token, acks every envelope, and the same flows work as over HTTP.
import { afterEach, beforeEach, expect, it } from "vitest";
import { SlackHarness } from "./harness.ts";

let h: SlackHarness;
beforeEach(async () => {
  h = await SlackHarness.start({ mode: "socket" });
});
afterEach(async () => {
  await h.close();
});

it("connects with the app token and posts with the bot token", async () => {
  await h.slash("U0ALICE", "C0GENERAL", "test announce 1");

  expect(h.fake.callsTo("apps.connections.open").map((c) => c.token)).toEqual(["xapp-test-app"]);
  expect(h.posts().map((c) => c.token)).toEqual(["xoxb-test-bot"]);
  expect(h.adapter.isConnected).toBe(true);
});

it("a slash command envelope is acked and answered privately", async () => {
  const { ack, report } = await h.slash("U0ALICE", "C0GENERAL", "help");

  expect(ack?.envelope_id).toBeTruthy();
  expect(h.socket!.acks.map((a) => a.envelope_id)).toEqual([ack!.envelope_id]);
  expect(report?.result?.outcome).toBe("ok");
  expect(h.privateReplies("U0ALICE")).toEqual([expect.stringContaining("*What I can do for you*")]);
});

it("an interactive (button) envelope is acked, runs the button's command, and the buttons are removed", async () => {
  await h.slash("U0ALICE", "C0GENERAL", "test ask 9");
  const post = h.posts("C0GENERAL")[0]!;

  const { ack } = await h.click("UADMIN", post, "Approve");

  expect(ack?.envelope_id).toBeTruthy();
  expect(h.test.decisions.get("9")?.answer).toBe("approve");
  expect(h.buttonsOf(h.latest(post))).toEqual([]);
});

it("an app_mention envelope is acked and answered; its redelivery (retry_attempt 1) does nothing more", async () => {
  const first = await h.mention("U0ALICE", "C0GENERAL", "test announce 2", { eventId: "Ev0SOCKET" });
  const again = await h.mention("U0ALICE", "C0GENERAL", "test announce 2", { eventId: "Ev0SOCKET", retryNum: 1 });

  expect(first.ack?.envelope_id).toBeTruthy();
  expect(again.ack?.envelope_id).toBeTruthy();
  expect(again.report?.result?.outcome).toBe("duplicate");
  expect(h.posts("C0GENERAL").map((c) => c.args.text)).toEqual(["Announcement 1 of 2", "Announcement 2 of 2"]);
});

it("a DM envelope is answered in the DM", async () => {
  const { ack } = await h.dm("U0BOB", "whoami");

  expect(ack?.envelope_id).toBeTruthy();
  expect(h.dmsTo("U0BOB").map((c) => c.args.text)).toEqual([expect.stringMatching(/^You are \*Bob\*/)]);
});
