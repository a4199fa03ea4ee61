// The logging rule, checked where it is most likely to break: LOG_LEVEL=debug,
// with Bolt and the Slack SDKs logging through the bot's logger. A whole
// clinic flow, a calendar feed link and a link code go through the real
// Slack adapter (HTTP and Socket Mode), and then no log line may hold a
// message body, enquiry text, a note or reply, a feed token, a link code, a
// Slack token, the signing secret or a response_url. The operator's facts
// (Web API method names, channel ids, event ids) must still be there.
import { afterEach, describe, expect, it } from "vitest";
import { SIGNING_SECRET, SlackHarness } from "../slack/harness.ts";
import { fixture, messageParts } from "../slack/payloads.ts";

const USERS = {
  UADMIN: { name: "ada", displayName: "Ada" },
  U0ALICE: { name: "alice", displayName: "Alice" },
  U0TARA: { name: "tara", displayName: "Tara" },
  U0SAM: { name: "sam", displayName: "Sam" },
};
const CHANNELS = { C0GENERAL: { name: "general" }, C0TRIAGE: { name: "clinic-triage", isPrivate: true }, C0COMMS: { name: "comms" } };
const CONFIG = {
  clinic: { triageRoom: "slack:C0TRIAGE" },
  http: { port: 0, publicUrl: "https://bot.example.org" },
  groups: [{ slug: "comms", name: "Communications Group", kind: "working", drivers: ["slack:U0SAM"], rooms: ["slack:C0COMMS"] }],
};

// Each carries a made-up word that nothing else in the bot or the SDKs could say.
const ENQUIRY = "our quokkaheart bakery wants to become a worker cooperative before the owner retires next spring";
const DM_ENQUIRY = "numbatquill here again with a second question about member loans and share capital for six people";
const NOTE = "wombatnote called them on tuesday and they already have a draft business plan with figures";
const REPLY = "platypusreply thanks for writing in, could you tell us how many of you would become members";
const RELAYED = "echidnaword we have six members and one big customer who owes us eleven thousand";
const IN_THREAD = "bilbyword how soon does the big customer usually pay its invoices to you";
const TEXTS = { enquiry: ENQUIRY, "DM enquiry": DM_ENQUIRY, note: NOTE, reply: REPLY, "enquirer's message": RELAYED, "thread message": IN_THREAD };

/** The whole text, its made-up word, and every run of six words: a preview leaks as surely as the whole. */
function fragments(text: string): string[] {
  const words = text.toLowerCase().split(/\s+/);
  return [words.join(" "), words[0]!, ...words.slice(0, -5).map((_, i) => words.slice(i, i + 6).join(" "))];
}

/** Every log line that holds `secret` (case-insensitive), as written and with JSON's escapes undone. */
function linesHolding(h: SlackHarness, secret: string): string[] {
  const needle = secret.toLowerCase();
  return h.rawLogs.filter((line) => line.toLowerCase().includes(needle) || JSON.stringify(JSON.parse(line)).replace(/\\"/g, '"').toLowerCase().includes(needle));
}

/** For each kind of secret that leaked: how many lines hold it, and the first of them. */
function leaks(h: SlackHarness, secrets: Record<string, string[]>): string[] {
  return Object.entries(secrets).flatMap(([what, pieces]) => {
    const lines = [...new Set(pieces.flatMap((piece) => linesHolding(h, piece)))];
    return lines.length === 0 ? [] : [`${what}: in ${lines.length} lines, e.g. ${lines[0]!.slice(0, 300)}`];
  });
}

/** The secret in the only DM to `user` that matches `pattern` (its first group). */
function secretSentTo(h: SlackHarness, user: string, pattern: RegExp): string {
  const found = h.dmsTo(user).map((c) => pattern.exec(String(c.args.text))?.[1]).filter(Boolean);
  expect(found).toHaveLength(1);
  return found[0]!;
}

let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe.each(["http", "socket"] as const)("logs at LOG_LEVEL=debug on Slack (%s)", (mode) => {
  it("hold no enquiry, note or reply text, feed token, link code, token, secret or response_url, and still say what happened", async () => {
    h = await SlackHarness.start({ mode, users: USERS, channels: CHANNELS, config: CONFIG, logLevel: "debug" });
    // Link codes are issued only for platforms the bot runs on: as if a Matrix adapter ran beside Slack.
    const slackOnly = h.bot.services.platforms!;
    h.bot.services.platforms = () => [...slackOnly(), { platform: "matrix", commandPrefix: "!coop ", capabilities: { buttons: false, ephemeral: false, edit: true } }];
    await h.dm("U0TARA", "whoami");
    await h.slash("UADMIN", "C0GENERAL", "role grant <@U0TARA|tara> triager");

    // A member asks with /coop in a public channel, and again in her DM with the bot.
    await h.slash("U0ALICE", "C0GENERAL", `clinic ask ${ENQUIRY}`);
    await h.dm("U0ALICE", `clinic ask ${DM_ENQUIRY}`);
    // A triager claims the first (the card's button), notes and replies.
    const card = h.posts("C0TRIAGE")[0]!;
    await h.click("U0TARA", card, "Claim");
    await h.slash("U0TARA", "C0TRIAGE", `note CL-0001 ${NOTE}`);
    await h.dm("U0TARA", `reply CL-0001 ${REPLY}`);
    // The conversation: the enquirer answers, the claimer writes in the enquiry's thread.
    await h.dm("U0ALICE", `reply CL-0001 ${RELAYED}`);
    await h.mention("U0TARA", "C0TRIAGE", IN_THREAD, { thread: messageParts(card).ts });
    // A driver asks for the group's calendar feed; a member for a link code.
    await h.slash("U0SAM", "C0COMMS", "meeting feed comms");
    await h.slash("U0ALICE", "C0GENERAL", "link matrix");

    // The flow really happened (or the test proves nothing).
    expect(h.dmsTo("U0TARA").some((c) => String(c.args.text).includes(ENQUIRY))).toBe(true);
    expect(h.dmsTo("U0ALICE").some((c) => String(c.args.text).includes(REPLY))).toBe(true);
    expect(h.posts("C0TRIAGE").some((c) => String(c.args.text).includes(RELAYED))).toBe(true);
    expect(h.dmsTo("U0ALICE").some((c) => String(c.args.text).includes(IN_THREAD))).toBe(true);
    const feedToken = secretSentTo(h, "U0SAM", /calendar\/comms\.ics\?token=([A-Za-z0-9_-]+)/);
    const linkCode = secretSentTo(h, "U0ALICE", /Your code is \*([A-Z0-9]{4}-[A-Z0-9]{4})\*/);
    const responseUrls = h.fake.calls.filter((c) => c.method === "response_url").length;
    expect(responseUrls).toBeGreaterThan(0);

    const secrets: Record<string, string[]> = {
      "feed token": [feedToken],
      "link code": [linkCode, linkCode.replace("-", "")],
      "Slack tokens": ["xoxb-", "xapp-", "test-bot", "test-app"],
      "signing secret": [SIGNING_SECRET],
      "verification token in payloads": [String(fixture("slash-command").token)],
      "response_url": ["/respond/"],
      "Socket Mode ticket": ["ticket=fake"],
      ...Object.fromEntries(Object.entries(TEXTS).map(([what, text]) => [what, fragments(text)])),
    };
    expect(leaks(h, secrets)).toEqual([]);

    // What an operator needs is still there: the SDKs' debug lines, with methods and ids.
    const sdk = h.logs.filter((l) => l.component === "slack" && l.level === 20).map((l) => String(l.msg));
    expect(sdk.some((m) => m.includes("apiCall('chat.postMessage') start"))).toBe(true);
    expect(sdk.some((m) => /http request body: .*"channel":"D0TARA"/.test(m))).toBe(true);
    expect(sdk.some((m) => /http request result: .*"ok":true/.test(m))).toBe(true);
    if (mode === "socket") expect(sdk.some((m) => /Received a message on the WebSocket: .*"type":"events_api".*"event_id":"Ev/.test(m))).toBe(true);
    expect(h.logged("slack event handled").length).toBeGreaterThan(5);
  });
});
