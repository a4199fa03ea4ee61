// Slack payloads → the core's InboundEvents (pure functions, recorded-shape fixtures).
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  type BlockActionsPayload,
  blockActionEvent,
  decodeReplyHandle,
  type MessageLikeEvent,
  messageEvent,
  normaliseText,
  roomKindOf,
  type SlashCommandPayload,
  slashCommandEvent,
} from "../../adapters/slack/inbound.ts";

const fixture = <T>(name: string): T => JSON.parse(readFileSync(new URL(`../fixtures/slack/${name}.json`, import.meta.url), "utf8")) as T;
const NOW = 1_790_000_000_000;

describe("normaliseText", () => {
  it.each([
    ["role grant <@U0BOB|bob> triager", "role grant @U0BOB triager"],
    ["role grant <@U0BOB> admin", "role grant @U0BOB admin"],
    ["group link comms <#C0COMMS|comms>", "group link comms #C0COMMS"],
    ["group link <#C0COMMS>", "group link #C0COMMS"],
    ["action log read <https://example.org/report|the report>", "action log read https://example.org/report"],
    ["mail <mailto:a@b.org|a@b.org>", "mail mailto:a@b.org"],
    ["thanks <!here> and <!subteam^S0DRIVERS|@drivers>", "thanks @here and @drivers"],
    ["ask Q&amp;A about &lt;tax&gt;", "ask Q&A about <tax>"],
    ["meeting schedule comms \u2014every monday", "meeting schedule comms --every monday"],
    ["join\u00a0comms", "join comms"],
    ["  help  ", "help"],
  ])("%s → %s", (slack, core) => {
    expect(normaliseText(slack)).toBe(core);
  });
});

describe("roomKindOf", () => {
  it.each([
    ["D0ALICE", {}, "dm"],
    ["C0GENERAL", { channelName: "directmessage" }, "dm"],
    ["C0GENERAL", { channelType: "im" }, "dm"],
    ["C0TRIAGE", { channelName: "privategroup" }, "private"],
    ["G0GROUP", { channelName: "mpdm-alice--bob--carol-1" }, "private"],
    ["G0LEGACY", {}, "private"],
    ["C0TRIAGE", { isPrivate: true }, "private"],
    ["C0GENERAL", { channelName: "general" }, "public"],
    ["C0UNKNOWN", {}, "public"],
  ] as const)("%s %j → %s", (id, hints, kind) => {
    expect(roomKindOf(id, hints)).toBe(kind);
  });
});

describe("slash commands", () => {
  it("become an addressed event keyed by trigger_id, answerable through the response_url, with the mentions Slack verified", () => {
    const payload = { ...fixture<SlashCommandPayload>("slash-command"), text: "role grant <@U0BOB|bob> admin" };

    const event = slashCommandEvent(payload, { mentionNames: { U0BOB: "Bob Bobson" } }, NOW);

    expect(event).toEqual({
      platform: "slack",
      eventId: "13345224609.738474920.8088930838d88f008e0",
      sender: { platformId: "U0ALICE", displayName: "alice" },
      room: { id: "C0GENERAL", kind: "public", name: "general" },
      text: "role grant @U0BOB admin",
      addressed: true,
      replyHandle: JSON.stringify({ channel: "C0GENERAL", user: "U0ALICE", responseUrl: payload.response_url, at: NOW }),
      mentions: [{ ref: "@U0BOB", platformId: "U0BOB", displayName: "Bob Bobson" }],
    });
  });

  it("a typed `@U0BOB` that Slack didn't turn into a mention is no verified mention", () => {
    const event = slashCommandEvent({ ...fixture<SlashCommandPayload>("slash-command"), text: "role grant @U0BOB admin" }, {}, NOW);
    expect(event.text).toBe("role grant @U0BOB admin");
    expect(event.mentions).toBeUndefined();
  });

  it("use the looked-up display name and room kind when known; private rooms keep no placeholder name", () => {
    const payload = { ...fixture<SlashCommandPayload>("slash-command"), channel_id: "C0TRIAGE", channel_name: "privategroup" };

    const event = slashCommandEvent(payload, { displayName: "Alice Liddell" }, NOW);

    expect(event.sender.displayName).toBe("Alice Liddell");
    expect(event.room).toEqual({ id: "C0TRIAGE", kind: "private" });
  });
});

describe("button clicks", () => {
  it("run the button's value as the command, with the clicked message's reference", () => {
    const payload = fixture<BlockActionsPayload>("block-actions");

    const event = blockActionEvent(payload, payload.actions[0]!, { displayName: "Alice" }, NOW);

    expect(event).toMatchObject({
      eventId: "12466734323.1395872398.e4d3f2b0b6fa8e5d64c4e9b5a41c7aa8",
      text: "approve 12",
      addressed: true,
      button: { messageRef: "C0GENERAL/1712345679.000100" },
      sender: { platformId: "U0ALICE", displayName: "Alice" },
      room: { id: "C0GENERAL", kind: "public", name: "general" },
    });
    expect(decodeReplyHandle(event!.replyHandle)).toEqual({ channel: "C0GENERAL", user: "U0ALICE", responseUrl: payload.response_url, at: NOW });
  });

  it("ignore anything that is not a button with a value", () => {
    const payload = fixture<BlockActionsPayload>("block-actions");
    expect(blockActionEvent(payload, { type: "static_select", action_id: "coop_btn_0" }, {}, NOW)).toBeUndefined();
    expect(blockActionEvent(payload, { type: "button", action_id: "coop_btn_0" }, {}, NOW)).toBeUndefined();
  });

  it("in a thread carry the thread", () => {
    const payload = fixture<BlockActionsPayload>("block-actions");
    payload.container = { ...payload.container, thread_ts: "1712340000.000001" };
    expect(blockActionEvent(payload, payload.actions[0]!, {}, NOW)?.thread).toBe("1712340000.000001");
  });
});

describe("mentions and DMs", () => {
  const mention = fixture<{ event_id: string; event: MessageLikeEvent }>("app-mention");
  const im = fixture<{ event_id: string; event: MessageLikeEvent }>("message-im");

  it("@coopbot <command> in a channel: the bot's mention is dropped, the event_id kept", () => {
    const event = messageEvent(mention.event_id, mention.event, "UBOT", { displayName: "Alice" });

    expect(event).toMatchObject({ eventId: "Ev0MENTION01", text: "whoami", addressed: true, room: { id: "C0GENERAL", kind: "public" } });
    expect(event?.thread).toBeUndefined();
  });

  it("a mention in a thread answers in that thread; a /coop typed after the mention is tolerated", () => {
    const event = messageEvent("Ev1", { ...mention.event, text: "<@UBOT|coopbot> /coop help join", thread_ts: "1712340000.000100" }, "UBOT", {});

    expect(event).toMatchObject({ text: "help join", thread: "1712340000.000100" });
    expect(decodeReplyHandle(event!.replyHandle)).toEqual({ channel: "C0GENERAL", user: "U0ALICE", thread: "1712340000.000100" });
  });

  it("plain text in the bot's DM is addressed to it", () => {
    expect(messageEvent(im.event_id, im.event, "UBOT", {})).toMatchObject({ eventId: "Ev0MESSAGE01", text: "whoami", addressed: true, room: { id: "D0ALICE", kind: "dm" } });
  });

  it("ignores other bots, edits, deletions, its own messages, and the app_mention twin of a DM", () => {
    expect(messageEvent("e", { ...im.event, bot_id: "B0OTHER" }, "UBOT", {})).toBeUndefined();
    expect(messageEvent("e", { ...im.event, subtype: "message_changed" }, "UBOT", {})).toBeUndefined();
    expect(messageEvent("e", { ...im.event, subtype: "message_deleted" }, "UBOT", {})).toBeUndefined();
    expect(messageEvent("e", { ...im.event, user: "UBOT" }, "UBOT", {})).toBeUndefined();
    expect(messageEvent("e", { ...mention.event, channel: "D0ALICE" }, "UBOT", {})).toBeUndefined();
  });

  it("a channel message (if subscribed) reaches listeners unaddressed, unless it mentions the bot (app_mention covers that)", () => {
    const plain = { type: "message", user: "U0ALICE", text: "#action wrote the minutes", channel: "C0COMMS", channel_type: "channel", ts: "1.1" };
    expect(messageEvent("e", plain, "UBOT", {})).toMatchObject({ addressed: false, text: "#action wrote the minutes" });
    expect(messageEvent("e", { ...plain, text: "<@UBOT> help" }, "UBOT", {})).toBeUndefined();
  });
});

describe("reply handles", () => {
  it("are JSON; anything else decodes to nothing", () => {
    expect(decodeReplyHandle(undefined)).toBeUndefined();
    expect(decodeReplyHandle("not json")).toBeUndefined();
    expect(decodeReplyHandle('{"no":"channel"}')).toBeUndefined();
  });
});
