// A clinic conversation on Slack through the real Bolt: the enquirer's DM
// and the enquiry's thread under its card in the private triage channel are
// two ends of one conversation. The claimer answers by writing in the
// thread (`@coopbot …`); another triager can't; the adviser, once they have
// accepted, hears the enquirer too and answers with `/coop reply`.
import { afterEach, describe, expect, it } from "vitest";
import { messageParts } from "./payloads.ts";
import { SlackHarness } from "./harness.ts";

const USERS = {
  UADMIN: { name: "ada", displayName: "Ada" },
  U0ALICE: { name: "alice", displayName: "Alice" },
  U0TARA: { name: "tara", displayName: "Tara" },
  U0UMA: { name: "uma", displayName: "Uma" },
  U0BEA: { name: "bea", displayName: "Bea" },
};
const CHANNELS = { C0GENERAL: { name: "general" }, C0TRIAGE: { name: "clinic-triage", isPrivate: true } };
const CONFIG = { clinic: { triageRoom: "slack:C0TRIAGE" } };

let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function staff(h: SlackHarness): Promise<void> {
  for (const [user, name] of [["U0TARA", "tara"], ["U0UMA", "uma"]] as const) {
    await h.dm(user, "whoami");
    await h.slash("UADMIN", "C0GENERAL", `role grant <@${user}|${name}> triager`);
  }
  await h.dm("U0BEA", "whoami");
  await h.slash("UADMIN", "C0GENERAL", "adviser add <@U0BEA|bea> --specialisms finance");
}

const texts = (calls: { args: Record<string, any> }[]) => calls.map((c) => String(c.args.text));

describe.each(["http", "socket"] as const)("a clinic conversation on Slack (%s)", (mode) => {
  it("relays the enquirer's DM into the enquiry's thread and the claimer's thread messages back; the adviser joins once they accept", async () => {
    h = await SlackHarness.start({ mode, users: USERS, channels: CHANNELS, config: CONFIG });
    await staff(h);
    await h.dm("U0ALICE", "clinic ask we need a cash-flow forecast for the bank by Friday");
    const [card] = h.posts("C0TRIAGE");
    const root = messageParts(card!).ts;

    // Her next words land in the card's thread, never in a channel's main stream.
    await h.dm("U0ALICE", "we have six members and one big customer");
    const inThread = () => h!.posts("C0TRIAGE").filter((c) => c.args.thread_ts === root);
    expect(texts(inThread())).toEqual(["📨 *CL-0001* · <@U0ALICE> wrote:\n&gt; we have six members and one big customer"]);
    expect(texts(h.dmsTo("U0ALICE")).at(-1)).toBe("✉️ Passed on to the clinic, with your enquiry *CL-0001*.");

    await h.click("U0TARA", card!, "Claim");
    // The claimer writes in the thread: it reaches alice's DM.
    await h.mention("U0TARA", "C0TRIAGE", "how much does the big customer owe you?", { thread: root });
    expect(texts(h.dmsTo("U0ALICE")).at(-1)).toBe("💬 *Co-op Clinic, about CL-0001* — from <@U0TARA>:\n&gt; how much does the big customer owe you?\nTo answer, just write here and I'll pass it on.");
    // Another triager's line in the thread stays in the team.
    const before = h.dmsTo("U0ALICE").length;
    await h.mention("U0UMA", "C0TRIAGE", "could you say more about the customer, from uma", { thread: root });
    expect(h.dmsTo("U0ALICE")).toHaveLength(before);
    expect(h.privateReplies("U0UMA").concat(texts(h.posts("C0TRIAGE"))).join("\n")).toContain("Only <@U0TARA>, who holds CL-0001, or its adviser writes to the enquirer from here");

    await h.dm("U0ALICE", "about eleven thousand pounds");
    expect(texts(inThread()).at(-1)).toBe("📨 *CL-0001* · <@U0ALICE> wrote (for <@U0TARA>):\n&gt; about eleven thousand pounds");

    await h.dm("U0ALICE", "consent CL-0001");
    await h.slash("U0TARA", "C0TRIAGE", "triage CL-0001 --category finance");
    await h.slash("U0TARA", "C0TRIAGE", "handoff CL-0001 <@U0BEA|bea>");
    await h.slash("U0BEA", h.dmChannel("U0BEA"), "handoff accept CL-0001");
    await h.dm("U0ALICE", "when can we talk?");
    expect(texts(h.dmsTo("U0BEA")).at(-1)).toBe("📨 *CL-0001* · <@U0ALICE> wrote (for <@U0TARA>):\n&gt; when can we talk?");
    await h.slash("U0BEA", h.dmChannel("U0BEA"), "reply CL-0001 Thursday at ten suits me");
    expect(texts(h.dmsTo("U0ALICE")).at(-1)).toContain("from <@U0BEA>:\n&gt; Thursday at ten suits me");
    expect(texts(inThread()).at(-1)).toBe("💬 *CL-0001* · <@U0BEA> to <@U0ALICE>:\n&gt; Thursday at ten suits me");

    // Nothing of it anywhere but DMs and the private channel's thread.
    expect(h.posts("C0GENERAL")).toEqual([]);
    const mainStream = h.posts("C0TRIAGE").filter((c) => !c.args.thread_ts);
    expect(texts(mainStream).join("\n")).not.toMatch(/six members|eleven thousand|when can we talk|Thursday/);
  });
});
