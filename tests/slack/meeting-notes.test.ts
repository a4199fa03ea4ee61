// Meeting notes on Slack. With the optional `message.channels` subscription
// (see the manifest), `#action @bea …` typed as a plain message in the
// group's channel during a meeting is recorded; every other channel message
// is dropped before it is stored. Without it, `/coop #action …` does the same.
import { afterEach, expect, it } from "vitest";
import { SlackHarness } from "./harness.ts";
import { directMessage } from "./payloads.ts";

let h: SlackHarness;
afterEach(async () => {
  await h.close();
});

let seq = 0;
/** A plain message in a channel, as `message.channels` delivers it. */
function channelMessage(user: string, channel: string, text: string): Record<string, any> {
  const ts = `${1712360000 + ++seq}.000100`;
  const body = directMessage({ user, channel, text, ts, eventId: `Ev0CHAN${String(seq).padStart(4, "0")}` });
  return { ...body, event: { ...body.event, channel_type: "channel" } };
}

async function meetingUnderWay(): Promise<SlackHarness> {
  const harness = await SlackHarness.start({
    config: { groups: [{ slug: "comms", name: "Communications Group", kind: "working", drivers: ["slack:U0BOB"] }] },
    channels: { C0COMMS: { name: "comms" } },
  });
  await harness.slash("U0BOB", "C0COMMS", "group link comms");
  await harness.slash("U0BOB", "C0COMMS", 'meeting schedule comms "Newsletter sync" 2026-08-17 09:30');
  await harness.advance(35 * 60_000);
  return harness;
}

it("#action typed in the group's channel during its meeting is recorded; other chatter never reaches the bot's store", async () => {
  h = await meetingUnderWay();

  const chatter = await h.event(channelMessage("U0ALICE", "C0COMMS", "morning all, the coffee is on"));
  const note = await h.event(channelMessage("U0BOB", "C0COMMS", "#action <@U0ALICE> send the minutes"));

  expect(chatter.report).toMatchObject({ skipped: "a channel message not for the bot" });
  expect(h.bot.db.$client.prepare("select count(*) as n from inbound_events where event_id = ?").get(chatter.report!.eventId)).toEqual({ n: 0 });
  expect(note.report?.skipped).toBeUndefined();
  expect(h.privateReplies("U0BOB").at(-1)).toBe("📝 Noted (action 1 for <@U0ALICE>) for *Newsletter sync*.");

  await h.slash("U0BOB", "C0COMMS", "meeting notes 1");
  expect(h.privateReplies("U0BOB").at(-1)).toContain("1. <@U0ALICE>: send the minutes");
});

it("without the subscription, /coop #action does the same", async () => {
  h = await meetingUnderWay();

  await h.slash("U0BOB", "C0COMMS", "#agreed the newsletter goes out on Fridays");

  expect(h.privateReplies("U0BOB").at(-1)).toBe("📝 Noted (agreed) for *Newsletter sync*.");
});
