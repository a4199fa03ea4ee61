import { describe, expect, it } from "vitest";
import type { Delivery } from "../../bot/events.ts";
import { cmd, esc, link, mention } from "../../bot/markup.ts";
import { buttonLines, editContent, messageContent, renderMessage, renderText } from "../../adapters/matrix/render.ts";

const opts = { prefix: "!coop " };
const mentions: Delivery["mentions"] = {
  2: { displayName: "Alice Smith", platformId: "@alice:example.org" },
  3: { displayName: "sam", platformId: "U0SAM" }, // no Matrix identity: plain name
};

describe("rendering outbound messages for Matrix", () => {
  it("gives HTML for the light markup, and a plain body without its markup characters", () => {
    const r = renderText(`*Waiting* (${cmd("approve <n>")} or _later_)\nsee ${link("https://example.org/a?b=1&c=2", "the agenda")} \`code *here*\``, {}, opts);
    expect(r.html).toBe(
      '<strong>Waiting</strong> (<code>!coop approve &lt;n&gt;</code> or <em>later</em>)<br>see <a href="https://example.org/a?b=1&amp;c=2">the agenda</a> <code>code *here*</code>',
    );
    expect(r.body).toBe("Waiting (!coop approve <n> or later)\nsee the agenda (https://example.org/a?b=1&c=2) code *here*");
    // A name with markup characters in it is a name, not markup; code fences go, their lines stay.
    const fenced = renderText(`${mention(4)} sent:\n\`\`\`\nBEGIN:VCALENDAR\n\`\`\``, { 4: { displayName: "*star*_dust_", platformId: "U0STAR" } }, opts);
    expect(fenced.body).toBe("*star*_dust_ sent:\nBEGIN:VCALENDAR");
  });

  it("escapes what members wrote: a <script> in a note is text, never HTML", () => {
    const note = `<script>alert("x")</script> & <b>bold</b> <@2> <https://evil.example|click>`;
    const r = renderText(`${mention(2)} would like to join *Comms*\n> ${esc(note)}`, mentions, opts);
    expect(r.html).not.toMatch(/<script|<b>/);
    expect(r.html).toContain("<blockquote>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt; &lt;@2&gt; &lt;https://evil.example|click&gt;</blockquote>");
    expect(r.body).toContain(`> ${note}`);
    // Only the real mention became a pill.
    expect(r.userIds).toEqual(["@alice:example.org"]);
  });

  it("makes Matrix members pills (and lists them for m.mentions); others are names", () => {
    const r = renderText(`${mention(2)} and ${mention(3)} and ${mention(9)}`, mentions, opts);
    expect(r.html).toBe('<a href="https://matrix.to/#/@alice:example.org">Alice Smith</a> and sam and member 9');
    expect(r.body).toBe("Alice Smith and sam and member 9");
    expect(messageContent(r)["m.mentions"]).toEqual({ user_ids: ["@alice:example.org"] });
    expect(messageContent(renderText("nobody", {}, opts))["m.mentions"]).toEqual({});
  });

  it("escapes display names in pills", () => {
    const r = renderText(mention(2), { 2: { displayName: '<img src=x onerror="1">', platformId: "@a:example.org" } }, opts);
    expect(r.html).toBe('<a href="https://matrix.to/#/@a:example.org">&lt;img src=x onerror=&quot;1&quot;&gt;</a>');
  });

  it("keeps indentation and groups quoted lines", () => {
    const r = renderText("Examples:\n  !x\n> one\n> two\nend", {}, opts);
    expect(r.html).toBe("Examples:<br>&nbsp;&nbsp;!x<blockquote>one<br>two</blockquote>end");
  });

  it("renders buttons as reaction-or-typed-command lines, one per button", () => {
    const message = {
      text: "alice would like to join",
      buttons: [
        { label: "Approve", command: "approve 12" },
        { label: "Decline", command: "decline 12" },
        { label: "Later", command: "snooze 12" },
      ],
    };
    const r = renderMessage(message, {}, opts);
    expect(r.body).toBe("alice would like to join\nReact with ✅ to approve or type !coop approve 12\nReact with ❌ to decline or type !coop decline 12\nType !coop snooze 12 for “Later”");
    expect(r.html).toBe(
      "alice would like to join<br>React with ✅ to approve or type <code>!coop approve 12</code><br>React with ❌ to decline or type <code>!coop decline 12</code><br>Type <code>!coop snooze 12</code> for “Later”",
    );
    expect(buttonLines([{ label: "Yes", command: "rsvp 4 yes" }], opts).body).toEqual(["React with 👍 for “Yes” or type !coop rsvp 4 yes"]);
  });

  it("gives the typed command once: when the text already shows it, the buttons add only their reactions, on one line", () => {
    const message = {
      text: `alice would like to join (request 12).\nApprove with ${cmd("approve 12")} or decline with ${cmd("decline 12 <reason>")}.`,
      buttons: [
        { label: "Approve", command: "approve 12" },
        { label: "Decline", command: "decline 12" },
      ],
    };
    const r = renderMessage(message, {}, opts);
    expect(r.body).toBe("alice would like to join (request 12).\nApprove with !coop approve 12 or decline with !coop decline 12 <reason>.\nReact with ✅ to approve or ❌ to decline");
    expect(r.body.match(/!coop approve 12/g)).toHaveLength(1);
    const consent = renderMessage({ text: `Say yes with ${cmd("consent CL-0001")}.`, buttons: [{ label: "Yes, share it with an adviser", command: "consent CL-0001" }] }, {}, opts);
    expect(consent.body).toBe("Say yes with !coop consent CL-0001.\nReact with ✅ for “Yes, share it with an adviser”");
  });

  it("always sends both bodies, and replies to the command (in its thread when there is one)", () => {
    const r = renderText("done", {}, opts);
    expect(messageContent(r, { replyTo: "$cmd" })).toEqual({
      msgtype: "m.text",
      body: "done",
      format: "org.matrix.custom.html",
      formatted_body: "done",
      "m.mentions": {},
      "m.relates_to": { "m.in_reply_to": { event_id: "$cmd" } },
    });
    expect(messageContent(r, { replyTo: "$cmd", thread: "$root", replyToSender: "@alice:example.org" })).toMatchObject({
      "m.mentions": { user_ids: ["@alice:example.org"] },
      "m.relates_to": { rel_type: "m.thread", event_id: "$root", is_falling_back: false, "m.in_reply_to": { event_id: "$cmd" } },
    });
    expect(messageContent(r, { thread: "$root" })["m.relates_to"]).toEqual({ rel_type: "m.thread", event_id: "$root", is_falling_back: true, "m.in_reply_to": { event_id: "$root" } });
    expect(messageContent(r)["m.relates_to"]).toBeUndefined();
  });

  it("edits with m.replace, so a decided card loses its reaction lines", () => {
    const decided = renderMessage({ text: `✅ ${mention(2)} approved` }, mentions, opts);
    expect(editContent(decided, "$card")).toEqual({
      msgtype: "m.text",
      body: "* ✅ Alice Smith approved",
      format: "org.matrix.custom.html",
      formatted_body: '* ✅ <a href="https://matrix.to/#/@alice:example.org">Alice Smith</a> approved',
      "m.mentions": {},
      "m.new_content": {
        msgtype: "m.text",
        body: "✅ Alice Smith approved",
        format: "org.matrix.custom.html",
        formatted_body: '✅ <a href="https://matrix.to/#/@alice:example.org">Alice Smith</a> approved',
        "m.mentions": { user_ids: ["@alice:example.org"] },
      },
      "m.relates_to": { rel_type: "m.replace", event_id: "$card" },
    });
  });
});
