// Light markup and buttons → Block Kit (pure functions), and Slack errors →
// what the dispatcher does.
import { describe, expect, it } from "vitest";
import { DeliveryError } from "../../bot/adapter.ts";
import { cmd, esc, link, mention } from "../../bot/markup.ts";
import { toDeliveryError } from "../../adapters/slack/errors.ts";
import { buttonBlocks, formatRef, parseRef, renderEdit, renderMessage, splitText, toMrkdwn } from "../../adapters/slack/render.ts";

const mentions = { 7: { displayName: "Bob", platformId: "U0BOB" }, 8: { displayName: "Carol <admin>" } };

describe("toMrkdwn", () => {
  it("resolves members to Slack mentions, or their name in bold when they have no Slack account", () => {
    expect(toMrkdwn(`${mention(7)} and ${mention(8)} and ${mention(9)}`, mentions)).toBe("<@U0BOB> and *Carol &lt;admin&gt;* and *member 9*");
  });

  it("shows typed commands with the /coop prefix, as code", () => {
    expect(toMrkdwn(`Type ${cmd("approve 12")} or ${cmd("help <command>")}`, {})).toBe("Type `/coop approve 12` or `/coop help &lt;command&gt;`");
  });

  it("keeps links, bold, italics and Slack's own escapes", () => {
    expect(toMrkdwn(`*Minutes* _draft_ ${link("https://example.org/a?b=1&c=2", "the notes & more")} ${esc("Q&A <3")}`, {})).toBe(
      "*Minutes* _draft_ <https://example.org/a?b=1&c=2|the notes &amp; more> Q&amp;A &lt;3",
    );
  });

  it("escapes a stray < or > so it can't start a Slack token, but lets Slack's channel and user tokens through", () => {
    expect(toMrkdwn("a <!channel> b <#C0COMMS> c <@U0BOB> d >", {})).toBe("a &lt;!channel&gt; b <#C0COMMS> c <@U0BOB> d &gt;");
  });
});

describe("splitText", () => {
  it("cuts at line boundaries, each piece at most the limit", () => {
    const lines = Array.from({ length: 10 }, (_, i) => `line ${i} ${"x".repeat(40)}`);
    const pieces = splitText(lines.join("\n"), 120);
    expect(pieces.every((p) => p.length <= 120)).toBe(true);
    expect(pieces.join("\n")).toBe(lines.join("\n"));
  });

  it("cuts one very long line at spaces, never inside an &amp; escape", () => {
    const line = `${"word ".repeat(30)}&amp;${"z".repeat(300)}`;
    const pieces = splitText(line, 100);
    expect(pieces.every((p) => p.length <= 100)).toBe(true);
    expect(pieces.some((p) => /&a?m?p?$/.test(p) && !p.endsWith("&amp;"))).toBe(false);
  });

  it("drops empty text", () => {
    expect(splitText("\n\n")).toEqual([]);
  });
});

describe("renderMessage", () => {
  it("puts the buttons after the text of the first message only", () => {
    const text = Array.from({ length: 600 }, (_, i) => `Line ${i}: ${"lorem ipsum ".repeat(6)}`).join("\n");
    const parts = renderMessage({ text, buttons: [{ label: "Claim", command: "claim 4", style: "primary" }] }, {});
    expect(parts.length).toBeGreaterThan(1);
    expect(parts[0]!.blocks.at(-1)).toMatchObject({ type: "actions", elements: [{ action_id: "coop_btn_0", value: "claim 4", style: "primary" }] });
    expect(parts.slice(1).every((p) => p.blocks.every((b) => b.type === "section"))).toBe(true);
    expect(parts.every((p) => p.blocks.length <= 50 && p.text.length <= 3000)).toBe(true);
  });

  it("a message of buttons only still has a notification text", () => {
    const [part] = renderMessage({ text: "", buttons: [{ label: "Yes", command: "rsvp 3 yes" }, { label: "No", command: "rsvp 3 no" }] }, {});
    expect(part).toEqual({ text: "Yes / No", blocks: buttonBlocks([{ label: "Yes", command: "rsvp 3 yes" }, { label: "No", command: "rsvp 3 no" }]) });
  });
});

describe("buttonBlocks", () => {
  it("fits Slack's limits: 25 buttons a block, labels of 75 characters, unique action ids", () => {
    const buttons = Array.from({ length: 30 }, (_, i) => ({ label: `${"L".repeat(80)}${i}`, command: `pick ${i}` }));
    const blocks = buttonBlocks(buttons);
    expect(blocks.map((b) => b.elements.length)).toEqual([25, 5]);
    expect(blocks[1]!.elements[0]!.action_id).toBe("coop_btn_25");
    expect(blocks[0]!.elements[0]!.text.text).toHaveLength(75);
  });
});

describe("renderEdit", () => {
  it("always sends blocks, so an edit without buttons removes them", () => {
    expect(renderEdit({ text: "Claimed by *Ada*." }, {})).toEqual({ text: "Claimed by *Ada*.", blocks: [{ type: "section", text: { type: "mrkdwn", text: "Claimed by *Ada*." } }] });
  });
});

describe("message references", () => {
  it("are channel/ts, and anything else is not one", () => {
    expect(formatRef("C0GENERAL", "1712345678.000100")).toBe("C0GENERAL/1712345678.000100");
    expect(parseRef("C0GENERAL/1712345678.000100")).toEqual({ channel: "C0GENERAL", ts: "1712345678.000100" });
    expect(parseRef("console:3")).toBeUndefined();
    expect(parseRef(undefined)).toBeUndefined();
  });
});

describe("toDeliveryError", () => {
  const ctx = { channel: "C0COMMS", botMention: "@coopbot" };

  it("a rate limit waits exactly Retry-After", () => {
    const err = toDeliveryError({ code: "slack_webapi_rate_limited_error", retryAfter: 7 }, ctx);
    expect(err).toBeInstanceOf(DeliveryError);
    expect((err as DeliveryError).opts).toEqual({ retryAfterMs: 7000 });
  });

  it("network errors and 5xx are plain errors (the dispatcher backs off)", () => {
    for (const code of ["slack_webapi_request_error", "slack_webapi_http_error"]) {
      const err = toDeliveryError({ code, message: "boom" }, ctx);
      expect(err).not.toBeInstanceOf(DeliveryError);
      expect(err.message).toMatch(/^Slack unreachable/);
    }
  });

  it("a broken token is retried (every message waits for the fix), not dropped", () => {
    const err = toDeliveryError({ code: "slack_webapi_platform_error", data: { error: "token_revoked" } }, ctx);
    expect(err).not.toBeInstanceOf(DeliveryError);
  });

  it("a refusal Slack will repeat is permanent, with what to do about it", () => {
    const err = toDeliveryError({ code: "slack_webapi_platform_error", data: { error: "not_in_channel" } }, ctx) as DeliveryError;
    expect(err.opts).toEqual({ permanent: true });
    expect(err.message).toBe("I'm not a member of channel C0COMMS; invite me there with `/invite @coopbot`");
    expect(toDeliveryError({ code: "slack_webapi_platform_error", data: { error: "not_in_channel" } }, { ...ctx, channelName: "comms" }).message).toBe(
      "I'm not a member of #comms; invite me there with `/invite @coopbot`",
    );
    expect((toDeliveryError({ code: "slack_webapi_platform_error", data: { error: "invalid_blocks" } }, ctx) as DeliveryError).opts.permanent).toBe(true);
  });
});
