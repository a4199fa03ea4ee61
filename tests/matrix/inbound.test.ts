import { describe, expect, it } from "vitest";
import { tokenize } from "../../bot/grammar.ts";
import { addressing, editToInbound, htmlToText, isOlderThan, messageText, messageToInbound, reactionOf, reactionToInbound, stripReplyFallback, type MessageContext } from "../../adapters/matrix/inbound.ts";
import { BOT, fixture } from "./fixtures.ts";

const comms = { id: "!comms:example.org", kind: "private" as const, name: "Comms" };
const ctx = (over: Partial<MessageContext> = {}): MessageContext => ({ botUserId: BOT, prefix: "!coop", room: comms, displayName: "Alice Smith", ...over });

describe("Matrix events → InboundEvent", () => {
  it("reads `!coop <command>` in a room as a command without the prefix, with the event id for dedupe, replies and removal", () => {
    expect(messageToInbound(fixture("message-command"), ctx())).toEqual({
      platform: "matrix",
      eventId: "$cmd-join:example.org",
      sender: { platformId: "@alice:example.org", displayName: "Alice Smith" },
      room: { id: "!comms:example.org", kind: "private", name: "Comms" },
      text: "join comms I can help with design",
      addressed: true,
      replyHandle: "$cmd-join:example.org",
      messageRef: "$cmd-join:example.org",
      visibleInRoom: true,
    });
  });

  it("passes other room messages on unaddressed (for listeners), text untouched", () => {
    const event = { ...fixture("message-command"), content: { msgtype: "m.text", body: "  see you at the meeting" } };
    expect(messageToInbound(event, ctx())).toMatchObject({ addressed: false, text: "  see you at the meeting" });
  });

  it("honours a configured prefix, in any case, and only as a whole word", () => {
    expect(addressing("!Coop help", { prefix: "!coop", botUserId: BOT, isDm: false })).toEqual({ addressed: true, text: "help" });
    expect(addressing("!coophelp", { prefix: "!coop", botUserId: BOT, isDm: false }).addressed).toBe(false);
    expect(addressing("?co help me", { prefix: "?co", botUserId: BOT, isDm: false })).toEqual({ addressed: true, text: "help me" });
    expect(addressing("!coop", { prefix: "!coop", botUserId: BOT, isDm: false })).toEqual({ addressed: true, text: "" });
  });

  it("reads plain text in a DM as a command (and a prefix there is stripped too)", () => {
    const dm = { id: "!dm-alice:example.org", kind: "dm" as const };
    expect(messageToInbound(fixture("message-dm-plain"), ctx({ room: dm }))).toMatchObject({ text: "whoami", addressed: true, room: { id: "!dm-alice:example.org", kind: "dm" } });
    expect(messageToInbound(fixture("message-command"), ctx({ room: dm }))?.text).toBe("join comms I can help with design");
  });

  it("turns a pill into the user id, which the grammar reads as a mention", () => {
    const inbound = messageToInbound(fixture("message-pill"), ctx())!;
    expect(inbound.text).toBe("group driver add comms @bob:example.org");
    expect(tokenize(inbound.text).at(-1)).toMatchObject({ kind: "mention", value: "@bob:example.org" });
  });

  it("treats a message starting with the bot's pill as addressed, and decodes entities", () => {
    expect(messageToInbound(fixture("message-bot-pill"), ctx())).toMatchObject({ addressed: true, text: "groups & more" });
  });

  it("keeps the thread root of a command typed in a thread", () => {
    expect(messageToInbound(fixture("message-thread"), ctx())).toMatchObject({ text: "group link comms", thread: "$thread-root:example.org", replyHandle: "$cmd-thread:example.org" });
  });

  it("drops the quoted fallback of a reply", () => {
    expect(messageToInbound(fixture("message-reply"), ctx())?.text).toBe("approve 12");
    const plain = fixture("message-reply").content;
    delete plain.format;
    delete plain.formatted_body;
    expect(messageText(plain)).toBe("!coop approve 12");
    expect(stripReplyFallback("> quoted\n> more\n\nanswer")).toBe("answer");
    expect(stripReplyFallback(">not a quote")).toBe(">not a quote");
  });

  it("ignores the bot's own messages, notices (other bots), edits and redacted messages", () => {
    for (const name of ["message-own", "message-notice", "message-edit", "message-redacted"]) {
      expect(messageToInbound(fixture(name), ctx()), name).toBeUndefined();
    }
    expect(messageToInbound(fixture("reaction"), ctx())).toBeUndefined();
  });

  it("reads an edit as the new text of the message it replaces, for the room guards only", () => {
    expect(editToInbound(fixture("message-edit"), ctx())).toMatchObject({
      eventId: "$edit:example.org",
      text: "join comms",
      addressed: true,
      messageRef: "$edit:example.org",
      edits: "$cmd-join:example.org",
      visibleInRoom: true,
    });
    expect(editToInbound(fixture("message-command"), ctx())).toBeUndefined();
  });

  it("tells events older than a cutoff (homeserver time)", () => {
    const event = fixture("message-command");
    expect(isOlderThan(event, event.origin_server_ts + 1)).toBe(true);
    expect(isOlderThan(event, event.origin_server_ts)).toBe(false);
    expect(isOlderThan({}, 10)).toBe(false);
  });

  it("converts Matrix HTML to the text meant", () => {
    expect(htmlToText("<p>one<br/>two</p><p>three &lt;b&gt; &#x1F44D; &#8212;</p>")).toBe("one\ntwo\nthree <b> 👍 —");
    expect(htmlToText('<a href="https://matrix.to/#/%40bob%3Aexample.org?via=example.org">Bob</a>, hi')).toBe("@bob:example.org, hi");
    expect(htmlToText('see <a href="https://example.org">the site</a>')).toBe("see the site");
  });

  it("maps a reaction to its target and key, and builds the button's typed command", () => {
    const event = fixture("reaction");
    expect(reactionOf(event)).toEqual({ target: "$card:example.org", key: "✅️" });
    expect(reactionOf({ type: "m.reaction", content: {} })).toBeUndefined();
    const dm = { id: "!dm-bob:example.org", kind: "dm" as const };
    expect(reactionToInbound(event, "approve 12", { room: dm, displayName: "Bob", target: "$card:example.org" })).toEqual({
      platform: "matrix",
      eventId: "$react-approve:example.org",
      sender: { platformId: "@bob:example.org", displayName: "Bob" },
      room: { id: "!dm-bob:example.org", kind: "dm" },
      text: "approve 12",
      addressed: true,
      button: { messageRef: "$card:example.org" },
      replyHandle: "$card:example.org",
    });
  });
});
