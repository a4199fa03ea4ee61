import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { InboundEvent } from "../../bot/events.ts";
import { findGroupBySlug, isMember } from "../../db/groups.ts";
import { findIdentity } from "../../db/members.ts";
import { TestBot } from "../helpers/bot.ts";
import { ScriptedAdapter } from "../helpers/scripted-adapter.ts";

let t: TestBot;
let matrix: ScriptedAdapter;
afterEach(async () => t?.close());

const config = { groups: [{ slug: "comms", name: "Communications Group", kind: "working", drivers: ["console:sam"] }] };

function setup(): void {
  t = new TestBot({ config });
  matrix = new ScriptedAdapter("matrix");
  t.bot.attach(matrix);
}

/** alice types on Matrix (as @alice:example.org), in her DM with the bot. */
async function onMatrix(text: string, who = "@alice:example.org"): Promise<string[]> {
  const event: InboundEvent = { platform: "matrix", eventId: `$${randomUUID()}`, sender: { platformId: who, displayName: "Alice (Matrix)" }, room: { id: `!dm-${who}`, kind: "dm" }, text, addressed: true };
  const before = matrix.delivered.length;
  t.bot.receive(event);
  await t.bot.dispatcher.drain();
  return matrix.delivered.slice(before).map((d) => d.message.text);
}

function codeFrom(texts: string[]): string {
  const match = /\*([0-9A-Z]{4}-[0-9A-Z]{4})\*/.exec(texts.join("\n"));
  if (!match) throw new Error(`no code in ${texts.join(" | ")}`);
  return match[1]!;
}

const memberOf = (platform: string, id: string) => findIdentity(t.db, platform, id)!.memberId;

describe("linking accounts across platforms", () => {
  it("makes two accounts one member, with roles and groups merged", async () => {
    setup();
    await t.say("alice", "/join comms I do design");
    await t.say("sam", "/approve 1", "dm:sam");
    await t.say("admin", "/role grant @alice admin");
    await onMatrix("profile set skills illustration");
    t.texts();
    await t.say("alice", "/link matrix", "comms");
    const code = codeFrom(t.texts());
    expect(await onMatrix(`link confirm ${code}`)).toEqual([
      "Linked: your matrix and console accounts are now one member. <cmd:whoami> shows both.",
    ]);
    expect(memberOf("matrix", "@alice:example.org")).toBe(memberOf("console", "alice"));
    const [whoami] = await onMatrix("whoami");
    expect(whoami).toContain("Accounts: console:alice, matrix:@alice:example.org");
    expect(whoami).toContain("Roles: admin");
    expect(isMember(t.db, findGroupBySlug(t.db, "comms")!.id, memberOf("matrix", "@alice:example.org"))).toBe(true);
    expect(await onMatrix("join comms")).toEqual(["You're already a member of Communications Group."]);
    const [profile] = await onMatrix("profile");
    expect(profile).toContain("Skills: illustration");
  });

  it("merges actions and thanks into one record, and thanks between the two accounts stop counting", async () => {
    setup();
    await t.say("bob", "/whoami");
    await t.say("alice", "/log contact-coop rang the bakery co-op --group comms", "dm:alice");
    await onMatrix("thanks @bob for the leaflet design");
    await onMatrix("thanks @alice for the phone calls");
    t.texts();
    await t.say("alice", "/link matrix", "dm:alice");
    await onMatrix(`link confirm ${codeFrom(t.texts())}`);
    const rows = t.db.$client
      .prepare("select m.display_name as name, count(*) as n from actions a join members m on m.id = a.member_id group by a.member_id")
      .all();
    expect(rows).toEqual([{ name: "alice", n: 1 }]);
    const thanks = t.db.$client
      .prepare("select g.display_name as giver, r.display_name as recipient from thanks_recipients tr join thanks th on th.id = tr.thanks_id join members g on g.id = th.giver_id join members r on r.id = tr.recipient_id")
      .all();
    // alice's Matrix account thanked bob (kept, now from alice) and alice (dropped: thanks to oneself).
    expect(thanks).toEqual([{ giver: "alice", recipient: "bob" }]);
  });

  it("merges clinic enquiries, so the asker reads their own enquiry from either account", async () => {
    setup();
    await onMatrix("clinic ask how do we write our co-op's rules?");
    const ref = /CL-\d+/.exec(matrix.texts().join(" "))![0];
    await t.say("alice", "/link matrix", "dm:alice");
    await onMatrix(`link confirm ${codeFrom(t.texts())}`);
    await t.say("alice", `/enquiry ${ref}`, "dm:alice");
    expect(t.texts().join("\n")).toContain("how do we write our co-op's rules?");
  });

  it("accepts a code once only", async () => {
    setup();
    await t.say("alice", "/link matrix", "dm:alice");
    const code = codeFrom(t.texts());
    await onMatrix(`link confirm ${code}`);
    expect(await onMatrix(`link confirm ${code}`, "@mallory:example.org")).toEqual([
      "That code isn't valid: it may be mistyped, already used, or older than 15 minutes. Ask for a new one with `link <platform>`.",
    ]);
    expect(memberOf("matrix", "@mallory:example.org")).not.toBe(memberOf("console", "alice"));
  });

  it("expires a code after 15 minutes", async () => {
    setup();
    await t.say("alice", "/link matrix", "dm:alice");
    const code = codeFrom(t.texts());
    t.clock.advance(15 * 60_000);
    expect((await onMatrix(`link confirm ${code}`))[0]).toMatch(/isn't valid/);
    expect(memberOf("matrix", "@alice:example.org")).not.toBe(memberOf("console", "alice"));
  });

  it("rate-limits codes and wrong guesses", async () => {
    setup();
    for (let i = 0; i < 3; i++) await t.say("alice", "/link matrix", "dm:alice");
    t.texts();
    await t.say("alice", "/link matrix", "dm:alice");
    expect(t.texts()).toEqual(["You've asked for several codes in the last hour; wait a while, or use the last one I gave you."]);
    for (let i = 0; i < 5; i++) await onMatrix("link confirm AAAA-AAAA", "@guesser:example.org");
    expect(await onMatrix("link confirm AAAA-AAAA", "@guesser:example.org")).toEqual(["Too many wrong codes; wait 15 minutes before trying again."]);
  });

  it("refuses a code typed on the wrong platform or on the same one", async () => {
    setup();
    await t.say("alice", "/link console", "dm:alice");
    expect(t.texts()).toEqual(["You're on console now: type this here, and the code on the other platform."]);
    await t.say("alice", "/link matrix", "dm:alice");
    const code = codeFrom(t.texts());
    await t.say("bea", `/link confirm ${code}`, "dm:bea");
    expect(t.texts()).toEqual(["That code is for linking a matrix account; type it on matrix."]);
  });

  it("unlinks an account, which then starts fresh", async () => {
    setup();
    await t.say("alice", "/link matrix", "dm:alice");
    await onMatrix(`link confirm ${codeFrom(t.texts())}`);
    expect(await onMatrix("unlink matrix")).toEqual([
      "Your matrix account is separate again. Your history stays with this member; the matrix account starts fresh.",
    ]);
    expect(memberOf("matrix", "@alice:example.org")).not.toBe(memberOf("console", "alice"));
    expect(t.texts()).toEqual([
      "Your matrix account (@alice:example.org) is now linked to this one. If that wasn't you, /unlink matrix.",
    ]);
    await t.say("alice", "/unlink console", "dm:alice");
    expect(t.texts()).toEqual(["That's your only account; there is nothing to unlink it from."]);
  });
});
