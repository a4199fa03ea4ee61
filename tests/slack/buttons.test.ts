// Block Kit buttons: how they look, what a click runs, and that a decided
// message loses its buttons so they can't be clicked again.
import { afterEach, beforeEach, expect, it } from "vitest";
import { SlackHarness } from "./harness.ts";

let h: SlackHarness;
beforeEach(async () => {
  h = await SlackHarness.start();
});
afterEach(async () => {
  await h.close();
});

it("a message with buttons is a mrkdwn section plus an actions block, with its text as the notification fallback", async () => {
  await h.slash("U0ALICE", "C0GENERAL", "test ask 12");

  const [post] = h.posts("C0GENERAL");
  expect(post?.args.text).toBe("Request *12* from <@U0ALICE> is waiting for a decision.");
  expect(post?.args.blocks).toEqual([
    { type: "section", text: { type: "mrkdwn", text: "Request *12* from <@U0ALICE> is waiting for a decision." } },
    {
      type: "actions",
      block_id: "coop_actions_0",
      elements: [
        { type: "button", action_id: "coop_btn_0", text: { type: "plain_text", text: "Approve", emoji: true }, value: "test decide 12 approve", style: "primary" },
        { type: "button", action_id: "coop_btn_1", text: { type: "plain_text", text: "Decline", emoji: true }, value: "test decide 12 decline", style: "danger" },
      ],
    },
  ]);
  // The reference the dispatcher keeps for later edits is channel/ts.
  expect(h.outbox()[0]?.platformRef).toBe(h.refOf(post!));
});

it("clicking Approve runs the button's command, and the message is edited so its buttons are gone", async () => {
  await h.slash("U0ALICE", "C0GENERAL", "test ask 12");
  const post = h.posts("C0GENERAL")[0]!;

  const { status, report } = await h.click("UADMIN", post, "Approve");

  expect(status).toBe(200);
  expect(report?.event).toMatchObject({ text: "test decide 12 approve", button: { messageRef: h.refOf(post) }, room: { id: "C0GENERAL", kind: "public" } });
  expect(h.test.decisions.get("12")).toEqual({ answer: "approve", by: h.memberId("UADMIN") });
  const [update] = h.fake.callsTo("chat.update");
  expect(update?.args).toMatchObject({ channel: "C0GENERAL", ts: post.response.ts, text: "Request *12*: approved by <@UADMIN>." });
  expect(update?.args.blocks).toEqual([{ type: "section", text: { type: "mrkdwn", text: "Request *12*: approved by <@UADMIN>." } }]);
  expect(h.buttonsOf(h.latest(post))).toEqual([]);
  expect(h.privateReplies("UADMIN")).toEqual(["You approved request 12."]);
});

it("a double click (two clicks, two trigger ids) on a real join request decides it once; the second click is told it is already decided", async () => {
  await h.close();
  h = await SlackHarness.start({ config: { groups: [{ slug: "comms", name: "Comms", kind: "working", drivers: ["slack:U0BOB"] }] } });
  await h.slash("U0ALICE", "C0GENERAL", "join comms I do graphic design");
  const [card] = h.dmsTo("U0BOB");

  const first = await h.click("U0BOB", card!, "Approve");
  const second = await h.click("U0BOB", card!, "Decline"); // the stale copy still on someone's screen

  expect(first.report?.eventId).not.toBe(second.report?.eventId);
  expect(first.report?.result?.outcome).toBe("ok");
  expect(second.report?.result?.outcome).toBe("refused");
  const requests = h.bot.db.$client.prepare("select state, decided_by as by from join_requests").all();
  expect(requests).toEqual([{ state: "approved", by: h.memberId("U0BOB") }]);
  expect(h.bot.db.$client.prepare("select count(*) from group_members where member_id = ?").pluck().get(h.memberId("U0ALICE"))).toBe(1);
  expect(h.fake.callsTo("chat.update")).toHaveLength(1);
  expect(h.dmsTo("U0BOB").at(-1)?.args.text).toMatch(/already approved/);
});

it("buttons in the bot's DM work the same way, and the DM copy is edited", async () => {
  await h.dm("U0ALICE", "test ask 5");
  const post = h.dmsTo("U0ALICE")[0]!;

  await h.click("U0ALICE", post, "Decline");

  expect(h.test.decisions.get("5")?.answer).toBe("decline");
  expect(h.fake.callsTo("chat.update")[0]?.args).toMatchObject({ channel: "D0ALICE", ts: post.response.ts });
  // In a DM the reply is an ordinary message there.
  expect(h.dmsTo("U0ALICE").map((c) => c.args.text)).toEqual([post.args.text, "You declined request 5."]);
});
