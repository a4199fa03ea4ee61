// The Co-op Clinic on Slack, end to end through the real Bolt (HTTP and
// Socket Mode): a question asked in a public channel never shows there (every
// Web API call is scanned), the private triage channel gets a card with a
// Claim button, and of clicks racing on it exactly one claims.
import { afterEach, describe, expect, it } from "vitest";
import type { ApiCall } from "./fake-slack-api.ts";
import { SlackHarness } from "./harness.ts";

const USERS = {
  UADMIN: { name: "ada", displayName: "Ada" },
  U0ALICE: { name: "alice", displayName: "Alice" },
  U0TARA: { name: "tara", displayName: "Tara" },
  U0UMA: { name: "uma", displayName: "Uma" },
};
const CHANNELS = { C0GENERAL: { name: "general" }, C0TRIAGE: { name: "clinic-triage", isPrivate: true } };
const CONFIG = { clinic: { triageRoom: "slack:C0TRIAGE" } };
const QUESTION = "how do we convert our bakery to a worker co-op? We are six people and the owner wants to retire next spring";

/** The question, and every run of six of its words: a quote or a preview leaks as surely as the whole. */
function fragments(text: string): string[] {
  const words = text.toLowerCase().split(/\s+/);
  return [words.join(" "), ...words.slice(0, -5).map((_, i) => words.slice(i, i + 6).join(" "))];
}

/** Every recorded Web API call (and response_url post) that carries any part of `secret`. */
function callsCarrying(h: SlackHarness, secret: string): ApiCall[] {
  const pieces = fragments(secret);
  return h.fake.calls.filter((c) => {
    const seen = JSON.stringify(c.args).toLowerCase().replace(/\\n/g, " ").replace(/\s+/g, " ");
    return pieces.some((p) => seen.includes(p));
  });
}

/** Triagers tara and uma (each has spoken to the bot once, so it knows them). */
async function withTriagers(h: SlackHarness): Promise<void> {
  for (const [user, name] of [["U0TARA", "tara"], ["U0UMA", "uma"]] as const) {
    await h.dm(user, "whoami");
    await h.slash("UADMIN", "C0GENERAL", `role grant <@${user}|${name}> triager`);
  }
}

let h: SlackHarness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe.each(["http", "socket"] as const)("the clinic on Slack (%s)", (mode) => {
  it("a question asked in a public channel never shows there: the asker gets the reference by DM, the private triage channel a card without the text", async () => {
    h = await SlackHarness.start({ mode, users: USERS, channels: CHANNELS, config: CONFIG });
    await withTriagers(h);
    const before = h.fake.calls.length;

    await h.slash("U0ALICE", "C0GENERAL", `clinic ask ${QUESTION}`);

    // The triage channel gets the card: the reference and a Claim button, never the text.
    const [card] = h.posts("C0TRIAGE");
    expect(card?.args.text).toBe("📥 New enquiry *CL-0001* · via chat · no category hint · received Mon 17 Aug 09:00\n`/coop claim CL-0001` takes it on.");
    expect(h.buttonsOf(card!)).toEqual([{ label: "Claim", command: "claim CL-0001", style: "primary" }]);
    // The asker gets the reference, with the question quoted, in her DM.
    const [thanks] = h.dmsTo("U0ALICE");
    expect(thanks?.args.text).toMatch(/^Thanks! Your question is with the Co-op Clinic as \*CL-0001\*\./);
    expect(thanks?.args.text).toContain(`&gt; ${QUESTION}`);
    // A /coop command is never shown to others, and the bot can't remove messages on Slack: it doesn't claim it did.
    expect(thanks?.args.text).not.toContain("I took it out");
    // Nothing at all in the public channel: no post, no ephemeral, no response_url reply with the text.
    expect(h.posts("C0GENERAL")).toEqual([]);
    const sinceAsk = h.fake.calls.slice(before);
    expect(sinceAsk.filter((c) => c.args.channel === "C0GENERAL" || c.method === "response_url" || c.method === "chat.postEphemeral")).toEqual([]);
    // Every call that carried the question went to Alice's DM.
    expect(callsCarrying(h, QUESTION).map((c) => `${c.method} ${c.args.channel}`)).toEqual(["chat.postMessage D0ALICE"]);
  });

  it("a question asked with @coopbot in a public channel (which a bot can't delete): the bot repeats none of it there, asks the asker to delete it, and tells the triage room it happened, without the text", async () => {
    h = await SlackHarness.start({ mode, users: USERS, channels: CHANNELS, config: CONFIG });
    await withTriagers(h);

    await h.mention("U0ALICE", "C0GENERAL", `clinic ask ${QUESTION}`);

    expect(h.fake.callsTo("chat.delete")).toEqual([]); // a bot token can't delete a member's message
    expect(h.privateReplies("U0ALICE")).toEqual([expect.stringMatching(/^What you wrote in #general looks like it's for the Co-op Clinic, .* please delete it yourself/)]);
    expect(h.posts("C0TRIAGE").map((c) => c.args.text)).toEqual([
      expect.stringMatching(/^⚠️ <@U0ALICE> wrote something for the clinic in #general, where everyone can read it, and I couldn't take it out/),
      expect.stringMatching(/^📥 New enquiry \*CL-0001\*/),
    ]);
    const [thanks] = h.dmsTo("U0ALICE");
    expect(thanks?.args.text).toMatch(/^Thanks! Your question is with the Co-op Clinic as \*CL-0001\*\./);
    expect(thanks?.args.text).not.toContain("I took it out");
    expect(callsCarrying(h, QUESTION).map((c) => `${c.method} ${c.args.channel}`)).toEqual(["chat.postMessage D0ALICE"]);
  });

  it("a mistyped clinic command with @coopbot in a channel gets the same care, before the 'did you mean'", async () => {
    h = await SlackHarness.start({ mode, users: USERS, channels: CHANNELS, config: CONFIG });
    await withTriagers(h);

    await h.mention("U0ALICE", "C0GENERAL", `clinic aks ${QUESTION}`);

    const replies = h.privateReplies("U0ALICE");
    expect(replies[0]).toMatch(/please delete it yourself/);
    expect(replies[1]).toMatch(/needs one more word|Did you mean/);
    expect(callsCarrying(h, QUESTION)).toEqual([]);
    expect(h.bot.db.$client.prepare("select count(*) from clinic_enquiries").pluck().get()).toBe(0);
  });

  it("two triagers clicking Claim at once, one of them twice: exactly one claim, the card edited once, the others told who has it", async () => {
    h = await SlackHarness.start({ mode, users: USERS, channels: CHANNELS, config: CONFIG });
    await withTriagers(h);
    await h.slash("U0ALICE", "C0GENERAL", `clinic ask ${QUESTION}`);
    const card = h.posts("C0TRIAGE")[0]!;

    // Fired together, none awaited before the next: tara, uma, and tara's double click.
    const clicks = await Promise.all([h.click("U0TARA", card, "Claim"), h.click("U0UMA", card, "Claim"), h.click("U0TARA", card, "Claim")]);
    expect(new Set(clicks.map((c) => c.report?.eventId)).size).toBe(3);
    expect(clicks.map((c) => c.report?.event?.room)).toEqual(Array(3).fill({ id: "C0TRIAGE", kind: "private" }));

    const claimed = h.bot.db.$client.prepare("select state, claimed_by as claimedBy from clinic_enquiries").all() as { state: string; claimedBy: number }[];
    expect(claimed).toHaveLength(1);
    expect(claimed[0]!.state).toBe("claimed");
    const winner = claimed[0]!.claimedBy === h.memberId("U0TARA") ? "U0TARA" : "U0UMA";
    const loser = winner === "U0TARA" ? "U0UMA" : "U0TARA";
    expect(claimed[0]!.claimedBy).toBe(h.memberId(winner));

    // The card is edited once, loses its button, and says who has it.
    const edits = h.fake.callsTo("chat.update");
    expect(edits).toHaveLength(1);
    expect(edits[0]!.args).toMatchObject({ channel: "C0TRIAGE", ts: card.response.ts });
    expect(h.latest(card).text).toBe(`*CL-0001* · via chat — ✋ claimed by <@${winner}> (Mon 17 Aug 09:00)`);
    expect(h.buttonsOf(h.latest(card))).toEqual([]);

    // The winner gets the text by DM, once; the loser is told who has it; the double click is answered, not counted.
    const won = h.dmsTo(winner).filter((c) => String(c.args.text).includes("You claimed"));
    expect(won).toHaveLength(1);
    expect(won[0]!.args.text).toContain(QUESTION);
    expect(h.dmsTo(loser).filter((c) => String(c.args.text).includes("You claimed"))).toEqual([]);
    expect(h.privateReplies(loser)).toContain(`CL-0001 is already claimed by <@${winner}>.`);
    const winnerSaw = h.privateReplies(winner);
    expect(winnerSaw.filter((t) => t === "CL-0001 is yours; I've sent you the enquiry in a direct message.")).toHaveLength(1);
    if (winner === "U0TARA") expect(winnerSaw).toContain("You already hold CL-0001.");
    else expect(h.privateReplies("U0TARA")).toEqual([`CL-0001 is already claimed by <@U0UMA>.`, `CL-0001 is already claimed by <@U0UMA>.`]);
    expect(h.posts("C0TRIAGE")).toHaveLength(1); // nothing new in the triage channel: the answers were ephemeral

    // Still: the question went only to DMs (the asker's and the winner's).
    expect(callsCarrying(h, QUESTION).map((c) => `${c.method} ${c.args.channel}`).sort()).toEqual(["chat.postMessage D0ALICE", `chat.postMessage ${h.dmChannel(winner)}`].sort());
  });
});
