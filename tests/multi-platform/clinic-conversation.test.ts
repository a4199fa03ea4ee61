// A clinic conversation across platforms, in one process: the enquirer asks
// on the console, the triager answers from the triage channel on Slack (the
// real Bolt, offline), and when the enquirer writes from her linked Slack
// account the clinic's answers follow her there.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { ConsoleAdapter } from "../../adapters/console/adapter.ts";
import type { ConsoleLine } from "../../adapters/console/render.ts";
import { messageParts } from "../slack/payloads.ts";
import { SlackHarness } from "../slack/harness.ts";

const USERS = {
  UADMIN: { name: "ada", displayName: "Ada" },
  U0ALICE: { name: "alice", displayName: "Alice" },
  U0TARA: { name: "tara", displayName: "Tara" },
};
const CHANNELS = { C0GENERAL: { name: "general" }, C0TRIAGE: { name: "clinic-triage", isPrivate: true } };

let h: SlackHarness;
let lines: ConsoleLine[];
let consoleAdapter: ConsoleAdapter;

afterEach(async () => h?.close());

async function onConsole(member: string, text: string, room = `dm:${member}`): Promise<string[]> {
  const before = lines.length;
  h.bot.receive(consoleAdapter.eventFor(member, room, text, randomUUID()));
  await h.settle();
  return lines.slice(before).map((l) => `${l.room}: ${l.text}`);
}

describe("a clinic conversation across platforms", () => {
  it("a console enquirer and a Slack triager talk; from her linked Slack account, the answers follow her to Slack", async () => {
    h = await SlackHarness.start({ users: USERS, channels: CHANNELS, config: { admins: ["slack:UADMIN"], clinic: { triageRoom: "slack:C0TRIAGE" } } });
    lines = [];
    consoleAdapter = new ConsoleAdapter(h.clock, () => "Europe/London", (line) => lines.push(line), new Map());
    h.bot.attach(consoleAdapter);
    await consoleAdapter.start(h.bot);
    await h.dm("U0TARA", "whoami");
    await h.slash("UADMIN", "C0GENERAL", "role grant <@U0TARA|tara> triager");

    await onConsole("alice", "clinic ask we need a cash-flow forecast for the bank by Friday");
    const [card] = h.posts("C0TRIAGE");
    const root = messageParts(card!).ts;
    await h.click("U0TARA", card!, "Claim");
    await h.mention("U0TARA", "C0TRIAGE", "how much does the big customer owe you?", { thread: root });
    expect((await onConsole("alice", "about eleven thousand pounds")).at(-1)).toBe("dm:alice: ✉️ Passed on to the clinic, with your enquiry *CL-0001*.");
    expect(lines.map((l) => l.text).join("\n")).toContain("from @Tara:\n> how much does the big customer owe you?");
    const thread = () => h.posts("C0TRIAGE").filter((c) => c.args.thread_ts === root).map((c) => String(c.args.text));
    expect(thread().at(-1)).toContain("&gt; about eleven thousand pounds");

    // She links her Slack account, and writes from there.
    await onConsole("alice", "link slack");
    const code = [...lines.map((l) => l.text).join("\n").matchAll(/\*([0-9A-Z]{4}-[0-9A-Z]{4})\*/g)].at(-1)![1]!;
    await h.slash("U0ALICE", "C0GENERAL", `link confirm ${code}`);
    await h.slash("U0ALICE", "C0GENERAL", `link accept ${code}`);
    await onConsole("alice", `link accept ${code}`);
    await h.dm("U0ALICE", "it's due at the end of the month");
    expect(thread().at(-1)).toContain("&gt; it's due at the end of the month");
    const consoleBefore = lines.length;
    await h.mention("U0TARA", "C0TRIAGE", "thanks, invoice finance may help", { thread: root });
    expect(h.dmsTo("U0ALICE").map((c) => String(c.args.text)).at(-1)).toContain("&gt; thanks, invoice finance may help");
    expect(lines.slice(consoleBefore).map((l) => l.text).join("\n")).not.toContain("invoice finance");
  });
});
