// Every refusal says what was wrong and changes no row.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MANY_AT_ONCE, type TestBot } from "../helpers/bot.ts";
import { actionsBot, meet } from "./helpers.ts";

let t: TestBot;

beforeAll(async () => {
  // alice tries every refusal in turn, faster than a person could.
  t = actionsBot({ actions: { allowance: 2 }, config: { limits: MANY_AT_ONCE } });
  await meet(t, "alice", "bea", "cal", "dee", "sam", "kim", "jo", "admin");
  await t.say("bea", "/log share-campaign the leaflet --group comms");
  await t.say("sam", "/verify A-1");
  await t.advance(2 * 24 * 3600_000);
  await t.say("alice", "/log contact-coop rang the bakery --group comms"); // A-2, pending
  await t.say("sam", "/log share-campaign the newsletter --group comms"); // A-3, sam's own
  await t.say("alice", "/thanks @cal for the minutes");
  await t.say("alice", "/thanks @dee for the agenda");
  t.texts();
});
afterAll(async () => t?.close());

const refusals: [who: string, text: string, room: string, says: RegExp][] = [
  ["alice", "/log", "general", /^Say what you did/],
  ["alice", "/log share-campaing the leaflet", "general", /Did you mean `share-campaign`\?/],
  ["alice", "/log contact-coop x --hours lots", "general", /^Hours: expected a number/],
  ["alice", "/log contact-coop x --hours -2", "general", /^Hours: /],
  ["alice", "/log contact-coop x --date 2099-01-01", "general", /in the future/],
  ["alice", "/log contact-coop x --evidence my-notes", "general", /link starting with https/],
  ["alice", "/log contact-coop x --evidence https://x.example/<script>", "general", /link starting with https/],
  ["alice", "/log contact-coop x --group nowhere", "general", /There's no group `nowhere`/],
  ["alice", "/log @no!body ran a stall", "general", /`@no!body` isn.t a console name/],
  ["alice", "/log @bea", "general", /^Say what @bea did/],
  ["alice", "/log contact-coop x --colour red", "general", /^Unknown option `--colour`/],
  ["alice", "/verify A-2", "general", /is for drivers and admins/],
  ["sam", "/verify A-3", "dm:sam", /your own action/],
  ["jo", "/verify A-2", "dm:jo", /Only the group's drivers \(or an admin\) can decide A-2/],
  ["sam", "/verify A-1", "dm:sam", /already verified by @sam/],
  ["sam", "/verify A-2 --ask why --job share-campaign", "dm:sam", /Ask first/],
  ["sam", "/verify A-2 --job nope", "dm:sam", /There's no job `nope`/],
  ["sam", "/verify A-404", "dm:sam", /There is no action A-404/],
  ["sam", "/reject A-2", "dm:sam", /^Say why/],
  ["sam", "/reject A-2    ", "dm:sam", /^Say why/],
  ["alice", "/thanks @bea", "general", /a thanks needs a reason/],
  ["alice", "/thanks @bea for #solidarity", "general", /a thanks needs a reason/],
  ["alice", "/thanks @alice for being me", "general", /can't thank yourself/],
  ["alice", "/thanks @bea @alice for the stall", "general", /leave yourself out/],
  ["alice", "thanks @bea for the stall --public", "dm:alice", /type it in a room/],
  ["alice", "/thanks @bea for the stall", "general", /given all 2 of your thanks/],
  ["bea", "/thanks @a1 @a2 @a3 @a4 @a5 @a6 @a7 @a8 @a9 @a10 @a11 for x", "general", /A thanks can name up to 10/],
  ["bea", "/undo A-2", "general", /Only the person who logged A-2/],
  ["bea", "/undo A-1", "general", /more than a day ago/],
  ["alice", "/void A-2 wrong", "general", /is for admins/],
  ["admin", "/void A-2", "dm:admin", /^Say why/],
  ["admin", '/job add share-campaign "Share" --journey motivate', "dm:admin", /already a job/],
  ["admin", '/job add edit "Edit things" --journey motivate', "dm:admin", /can't be a job's slug/],
  ["admin", '/job add stall "Run a stall"', "dm:admin", /Say which journey/],
  ["admin", '/job add stall "Run a stall" --journey dancing', "dm:admin", /^Journey: expected one of motivate, educate, organise/],
  ["admin", "/job retire attend-meeting", "dm:admin", /recorded automatically/],
  ["admin", "/job edit share-campaign", "dm:admin", /^Say what to change/],
  ["alice", "/job edit share-campaign --weight 9", "general", /is for admins/],
  ["sam", "/recognition fortnight", "dm:sam", /not a period I know/],
  ["bea", "/recognition", "general", /is for drivers and admins/],
  ["alice", "/contributions --member @bea", "general", /Only admins/],
  ["alice", "/action A-1", "general", /Only the people involved in A-1/],
  ["alice", "/jobs dancing", "general", /^Journey: expected one of/],
  ["alice", "/progress fortnight", "general", /not a period I know/],
];

describe("refusals change nothing", () => {
  for (const [who, text, room, says] of refusals) {
    it(`${who}: ${text}`, async () => {
      const before = t.snapshot();
      await t.say(who, text, room);
      const replies = t.texts();
      expect(replies).toHaveLength(1);
      expect(replies[0]).toMatch(says);
      expect(t.snapshot()).toEqual(before);
    });
  }
});
