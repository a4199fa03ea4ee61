// `clinic erase` promises the text is gone: not only from every query's
// answer, but from the bytes on disk, the database file and its WAL (which
// holds pages as they were before the erasure until it is emptied).
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it, vi } from "vitest";
import type { TestBot } from "../helpers/bot.ts";
import { staffClinic, useClinicBots } from "./harness.ts";

const bots = useClinicBots();

// Distinctive, so a hit can only be this enquiry.
const QUESTION = "Zephyrine Quillbottom cooperative bakery asks about phased pay ladders";
const NOTE = "Marrowglen triage note about the retiring founder";
const REPLY = "Thistlewick reply asking for the current rules";
const OUTCOME = "Brackenfold outcome drafted with the members";
const ANSWER = "Fennimore answer from the enquirer about their rules";
const TO_ADVISER = "Gorsebrook message to the adviser about the pay ladder";
const SECRETS = [QUESTION, NOTE, REPLY, OUTCOME, ANSWER, TO_ADVISER];

/** Which secrets the raw bytes of the database file and its WAL still contain, and where. */
function onDisk(t: TestBot): string[] {
  const found: string[] = [];
  for (const file of [t.dbPath, `${t.dbPath}-wal`]) {
    if (!existsSync(file)) continue;
    const bytes = readFileSync(file);
    for (const secret of SECRETS) if (bytes.includes(Buffer.from(secret, "utf8"))) found.push(`${secret} in ${file.endsWith("-wal") ? "the WAL" : "the database"}`);
  }
  return found;
}

async function askAndResolve(t: TestBot, question = QUESTION): Promise<void> {
  await staffClinic(t, { advisers: ["bea --specialisms finance"] });
  bots.secrets.push(...SECRETS);
  await t.say("alice", `clinic ask ${question}`, "dm:alice");
  await t.say("alice", "consent CL-0001", "dm:alice");
  await t.say("tara", "/claim CL-0001", "triage");
  await t.say("tara", "/triage CL-0001 --category finance", "triage");
  await t.say("tara", `/note CL-0001 ${NOTE}`, "triage");
  await t.say("tara", `/reply CL-0001 ${REPLY}`, "triage");
  // The conversation: her answer in her DM goes to the triage room's thread.
  await t.say("alice", ANSWER, "dm:alice");
  await t.say("tara", "/handoff CL-0001 @bea", "triage");
  await t.say("bea", "handoff accept CL-0001", "dm:bea");
  await t.say("alice", TO_ADVISER, "dm:alice");
  await t.say("alice", "enquiry CL-0001", "dm:alice");
  await t.say("bea", `resolve CL-0001 ${OUTCOME}`, "dm:bea");
  // Some traffic after it, as live: the text's pages are rewritten and moved around.
  for (let i = 0; i < 50; i++) await t.say(`m${i % 5}`, `/remind me 1d water the plants ${i}`);
  t.take();
}

describe("erasing an enquiry, on disk", () => {
  it.each([
    ["with the checkpointer running, as live", true],
    ["with no checkpointer (the bot's own connection empties the WAL)", false],
  ])("leaves none of its text in the database file or the WAL: %s", async (_label, withCheckpointer) => {
    const t = bots();
    // Never idle here: a quiet WAL is emptied anyway, but only the erasure's own request can be relied on.
    if (withCheckpointer) t.bot.checkpointer.start({ idleMs: 3600_000 });
    await askAndResolve(t);
    // The search itself works: before the erasure, the text is on disk.
    expect(onDisk(t).some((hit) => hit.startsWith(QUESTION))).toBe(true);

    await t.say("alice", "clinic erase CL-0001", "dm:alice");
    expect(t.texts().some((text) => /^Erased CL-0001/.test(text))).toBe(true);
    await vi.waitFor(() => expect(onDisk(t)).toEqual([]), { timeout: 15_000, interval: 50 });
  });

  it("takes it out of a long answer kept for `more` too", async () => {
    const t = bots();
    // A question longer than a page: reading it back keeps its second page, with the secret, for `more`.
    const filler = Array.from({ length: 500 }, (_, i) => `word${i}`).join(" ");
    await askAndResolve(t, `${filler} ${QUESTION}`);
    await t.say("alice", "enquiry CL-0001", "dm:alice");
    expect(t.texts().at(-1)).toMatch(/… \d+ more lines? — type \/more$/);
    const kept = t.db.$client.prepare("select pages from reply_pages").all() as { pages: string }[];
    expect(kept.some((r) => r.pages.includes(QUESTION))).toBe(true);

    await t.say("alice", "clinic erase CL-0001", "dm:alice");
    expect(t.texts().some((text) => /^Erased CL-0001/.test(text))).toBe(true);
    await t.say("alice", "more", "dm:alice");
    expect(t.texts()).toEqual(["There's nothing more to show: that was the end."]);
    await vi.waitFor(() => expect(onDisk(t)).toEqual([]), { timeout: 15_000, interval: 50 });
  });
});
