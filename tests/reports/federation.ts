// A federation four months into using the bot, built the way people would
// build it, by typing commands on a virtual clock: peer networks meeting and
// drivers recording who came, actions logged and verified, thanks, a clinic
// enquiry taken from question to resolved advice, profiles, and a member
// who asked to be forgotten. The dashboard and export tests read it back.
import { TestBot } from "../helpers/bot.ts";

export const SECRET_ENQUIRY = "SECRET-ENQUIRY our bakery owner wants to sell to the six of us";
export const SECRET_NOTE = "SECRET-NOTE the stall takings went in the tin";
export const SECRET_THANKS = "SECRET-THANKS carrying the gazebo in the rain";

export const GROUPS = [
  { slug: "comms", name: "Communications Group", kind: "working", drivers: ["console:sam"] },
  { slug: "mobilising", name: "Mobilising Group", kind: "working", drivers: ["console:kim"] },
  { slug: "glasgow", name: "Glasgow network", kind: "network", drivers: ["console:kim"], policy: "open" },
  { slug: "leeds", name: "Leeds network", kind: "network", drivers: ["console:jo"], policy: "open" },
  { slug: "tech", name: "Tech network", kind: "network", policy: "open" },
];

export const CONFIG = { federation: { name: "workers.coop" }, http: { port: 0, publicUrl: "http://dashboard.invalid" }, groups: GROUPS };
/** The federation starts here; it is built up to 17 August 2026, 09:00 in London. */
export const START = "2026-05-04T09:00";

/** A one-off meeting `driver` schedules, holds at `when` (local time), and records who came to. */
async function meetUp(t: TestBot, driver: string, group: string, title: string, when: string, who: string[]): Promise<void> {
  await t.say(driver, `/meeting schedule ${group} "${title}" ${when}`, "dm:" + driver);
  const scheduled = t.texts().join("\n");
  const id = /meeting (\d+)/.exec(scheduled)?.[1];
  if (!id) throw new Error(`no meeting scheduled: ${scheduled}`);
  // A few hours after it (read as UTC, which is at least an hour after it in London).
  await t.advance(Date.parse(`${when.replace(" ", "T")}:00Z`) + 3 * 3600_000 - t.clock.now());
  await t.say(driver, `/attended ${id} ${who.map((w) => `@${w}`).join(" ")}`, "dm:" + driver);
}

async function logAndVerify(t: TestBot, who: string, what: string, driver: string): Promise<void> {
  await t.say(who, `/log ${what}`);
  const ref = /Logged (A-\d+)/.exec(t.texts().join("\n"))?.[1];
  if (!ref) throw new Error(`${who} could not log "${what}"`);
  await t.say(driver, `/verify ${ref}`);
}

export async function buildFederation(t: TestBot): Promise<void> {
  for (const who of ["alice", "bob", "cat", "dan", "eve", "finn", "gus"]) await t.say(who, "/join glasgow");
  for (const who of ["hal", "ivy", "jo", "kai"]) await t.say(who, "/join leeds");
  for (const who of ["alice", "lou"]) await t.say(who, "/join tech");
  await t.say("alice", '/profile set skills "graphic design, print"');
  await t.say("alice", "/profile set location Glasgow");
  await t.say("hal", "/profile set location Leeds");
  const months = [
    { m: "05", glasgow: ["alice", "bob", "cat"], leeds: ["hal", "ivy"] },
    { m: "06", glasgow: ["alice", "bob", "cat", "dan"], leeds: ["hal", "ivy", "jo"] },
    { m: "07", glasgow: ["alice", "cat", "dan", "eve", "finn"], leeds: ["hal", "jo", "kai"] },
  ];
  for (const month of months) {
    await meetUp(t, "kim", "glasgow", "Glasgow meet-up", `2026-${month.m}-12 18:30`, month.glasgow);
    await meetUp(t, "jo", "leeds", "Leeds co-op breakfast", `2026-${month.m}-14 08:00`, month.leeds);
    await logAndVerify(t, month.glasgow[0]!, `designed the ${month.m} newsletter --group comms --hours 2`, "sam");
    await logAndVerify(t, month.leeds.at(-1)!, `ran a stall at the market --group mobilising --hours 3`, "kim");
  }
  await meetUp(t, "kim", "glasgow", "Glasgow meet-up", "2026-08-04 18:30", ["alice", "bob", "gus"]);
  await logAndVerify(t, "gus", `${SECRET_NOTE} --group mobilising`, "kim");
  await logAndVerify(t, "lou", "fixed the website's contact form --group comms --hours 1", "sam");
  await t.say("alice", `/thanks @gus for ${SECRET_THANKS} #solidarity`);

  // The clinic: an enquiry from question to resolved advice, and one still waiting.
  await t.say("admin", "/role grant @tara triager");
  await t.say("admin", "/adviser add @bea --specialisms finance --capacity 3");
  await t.say("bob", `clinic ask ${SECRET_ENQUIRY}`, "dm:bob");
  await t.say("bob", "consent CL-0001", "dm:bob");
  await t.advance(3 * 3600_000);
  await t.say("tara", "claim CL-0001", "dm:tara");
  await t.say("tara", "triage CL-0001 --category finance", "dm:tara");
  await t.say("tara", "handoff CL-0001 @bea", "dm:tara");
  await t.say("bea", "handoff accept CL-0001", "dm:bea");
  await t.say("bea", "resolve CL-0001 SECRET-OUTCOME walked them through a buyout", "dm:bea");
  await t.say("cat", "clinic ask SECRET-SECOND how do we pay ourselves fairly?", "dm:cat");

  // Someone who did verified work and then asked to be forgotten: counted, never named.
  await logAndVerify(t, "zed", "ran the Glasgow workshop --group comms", "sam");
  await t.say("zed", "forget me", "dm:zed");
  await t.say("zed", "forget me confirm", "dm:zed");
  await t.advance(Date.parse("2026-08-17T08:00:00Z") - t.clock.now());
  t.texts();
}
