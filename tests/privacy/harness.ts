// A member who took part in everything, for `forget me` and `export me`
// tests: each thing they wrote is distinctive, so a hit anywhere (a table,
// the outbox, the raw file) can only be theirs.
import { afterEach } from "vitest";
import type { TestBot } from "../helpers/bot.ts";
import { meetingsBot } from "../meetings/helpers.ts";

export const HOUR = 3600_000;

/** What alice wrote; all of it must go. */
export const ALICE_WROTE = {
  joinNote: "Quenby joins to help with the Wrexham zine",
  skills: "risograph printing in Quarrendon",
  actionNote: "posted the Yelverton leaflet on three forums",
  evidence: "https://forum.example.org/t/yelverton-zinnia",
  pendingNote: "drew the Brackley banner for the autumn fair",
  thanks: "proofreading the Ottery newsletter so carefully",
  meetingNote: "Pendlebury budget figures are on the wiki",
  reminder: "send the Ilfracombe poster files",
  question: "can our Tregaron bakery become a worker co-op with six of us",
} as const;

/** What others wrote; it stays (bea's thanks to alice, a nomination bea logged for alice goes with alice's action). */
export const OTHERS_WROTE = {
  thanksToAlice: "running the Kirkwall stall all afternoon",
  aliceLoggedForBea: "bea ran the Lerwick workshop brilliantly",
  joNoteForAlice: "circulate the Stromness minutes",
  beaNominatesAlice: "alice set up the Scalloway food bank rota",
} as const;

/** Bots made here are closed after each test. */
export function usePrivacyBots(): (opts?: Parameters<typeof meetingsBot>[0]) => TestBot {
  const bots: TestBot[] = [];
  afterEach(async () => {
    for (const bot of bots.splice(0)) await bot.close();
  });
  return (opts) => {
    const bot = meetingsBot(opts);
    bots.push(bot);
    return bot;
  };
}

/**
 * alice joins a group, fills in her profile, goes to a meeting (and says
 * something in it), logs actions, thanks and is thanked, sets a reminder
 * and asks the clinic. The clock ends on Wed 19 Aug.
 */
export async function aliceTakesPart(t: TestBot): Promise<void> {
  for (const name of ["alice", "bea", "tara"]) await t.say(name, "hello", `dm:${name}`);
  await t.say("admin", "/role grant @tara triager");
  await t.say("alice", `/join comms ${ALICE_WROTE.joinNote}`, "comms");
  await t.say("sam", "approve 1", "dm:sam");
  await t.say("alice", `/profile set skills "${ALICE_WROTE.skills}"`);
  // A weekly meeting: alice answers for this one and the next, goes, and speaks.
  await t.say("jo", '/meeting schedule policy "Policy circle" every week on tuesday at 18:00 --remind 1h', "policy");
  await t.say("jo", "/confirm", "policy");
  await t.say("alice", "/rsvp 1 yes");
  await t.say("alice", "/rsvp 1 maybe --date 2026-08-25");
  await t.advance(24 * HOUR + 9 * HOUR); // Tue 18 Aug 18:00
  await t.say("alice", `#info ${ALICE_WROTE.meetingNote}`, "policy");
  await t.say("jo", `#action @alice ${OTHERS_WROTE.joNoteForAlice}`, "policy");
  await t.advance(2 * HOUR);
  await t.say("jo", "/attended 1 @alice --date 2026-08-18", "policy");
  // Actions: one verified with evidence, one pending; one she logged for bea, one bea logged for her.
  await t.say("alice", `/log share-campaign ${ALICE_WROTE.actionNote} --group comms --hours 1.5 --evidence ${ALICE_WROTE.evidence}`, "comms");
  await t.say("sam", "verify A-2", "dm:sam");
  await t.say("alice", `/log ${ALICE_WROTE.pendingNote}`, "comms");
  await t.say("alice", `/log @bea ${OTHERS_WROTE.aliceLoggedForBea}`, "comms");
  await t.say("bea", `/log @alice ${OTHERS_WROTE.beaNominatesAlice}`, "comms");
  await t.say("alice", `/thanks @bea for ${ALICE_WROTE.thanks} --public`, "comms");
  await t.say("bea", `thanks @alice for ${OTHERS_WROTE.thanksToAlice}`, "dm:bea");
  await t.say("alice", `remind me 3d ${ALICE_WROTE.reminder}`, "dm:alice");
  await t.say("alice", `clinic ask ${ALICE_WROTE.question}`, "dm:alice");
  await t.advance(14 * HOUR); // Wed 19 Aug
  t.take();
}

/** alice's member id (while she is still known). */
export function memberIdOf(t: TestBot, platformId: string): number {
  return (t.db.$client.prepare("select member_id as id from identities where platform = 'console' and platform_id = ?").get(platformId) as { id: number }).id;
}

export function count(t: TestBot, sql: string, ...params: unknown[]): number {
  return (t.db.$client.prepare(`select count(*) as n from (${sql})`).get(...params) as { n: number }).n;
}

/** Every row of every table (outbox and ledgers included), as one string to search. */
export function everything(t: TestBot): string {
  return JSON.stringify(t.snapshot([]));
}
