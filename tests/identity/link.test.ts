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

/** alice types on Matrix (as @alice:example.org, unless `who` says otherwise), in her DM with the bot. */
async function onMatrix(text: string, who = "@alice:example.org"): Promise<string[]> {
  const event: InboundEvent = { platform: "matrix", eventId: `$${randomUUID()}`, sender: { platformId: who, displayName: who === "@alice:example.org" ? "Alice (Matrix)" : who.slice(1).split(":")[0]! }, room: { id: `!dm-${who}`, kind: "dm" }, text, addressed: true };
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

/** alice's console account asks for a code; her Matrix account types it; both accept. */
async function linkAlice(): Promise<void> {
  await t.say("alice", "/link matrix", "dm:alice");
  const code = codeFrom(t.texts());
  await onMatrix(`link confirm ${code}`);
  await onMatrix(`link accept ${code}`);
  await t.say("alice", `/link accept ${code}`, "dm:alice");
}

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
    const [shown] = await onMatrix(`link confirm ${code}`);
    expect(shown).toContain("Linking would make your matrix account *Alice (Matrix)* (@alice:example.org) (no roles) and the console account *alice* (alice) (admin) one member");
    expect(memberOf("matrix", "@alice:example.org")).not.toBe(memberOf("console", "alice")); // nothing yet
    await onMatrix(`link accept ${code}`);
    expect(memberOf("matrix", "@alice:example.org")).not.toBe(memberOf("console", "alice"));
    await t.say("alice", `/link accept ${code}`, "dm:alice");
    expect(memberOf("matrix", "@alice:example.org")).toBe(memberOf("console", "alice"));
    const [whoami] = await onMatrix("whoami");
    expect(whoami).toContain("Accounts: console (alice), Matrix @alice:example.org");
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
    await onMatrix("whoami", "@bob:example.org");
    await onMatrix("thanks @bob:example.org for the leaflet design");
    t.texts();
    await linkAlice();
    const rows = t.db.$client
      .prepare("select m.display_name as name, count(*) as n from actions a join members m on m.id = a.member_id group by a.member_id")
      .all();
    expect(rows).toEqual([{ name: "alice", n: 1 }]);
    const thanks = t.db.$client
      .prepare("select g.display_name as giver, r.display_name as recipient from thanks_recipients tr join thanks th on th.id = tr.thanks_id join members g on g.id = th.giver_id join members r on r.id = tr.recipient_id")
      .all();
    // alice's Matrix account thanked bob on Matrix: kept, now from alice.
    expect(thanks).toEqual([{ giver: "alice", recipient: "bob" }]);
  });

  it("merges clinic enquiries, so the asker reads their own enquiry from either account", async () => {
    setup();
    await onMatrix("clinic ask how do we write our co-op's rules?");
    const ref = /CL-\d+/.exec(matrix.texts().join(" "))![0];
    await linkAlice();
    await t.say("alice", `/enquiry ${ref}`, "dm:alice");
    expect(t.texts().join("\n")).toContain("how do we write our co-op's rules?");
  });

  it("accepts a code once only", async () => {
    setup();
    await t.say("alice", "/link matrix", "dm:alice");
    const code = codeFrom(t.texts());
    await onMatrix(`link confirm ${code}`);
    expect(await onMatrix(`link confirm ${code}`, "@mallory:example.org")).toEqual([
      "That code isn't valid: it may be mistyped, already used, or older than 15 minutes. Ask for a new one with <cmd:link &lt;platform&gt;> where you got it.",
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

  it("refuses a code typed on the wrong platform or on the same one, and the code still works where it belongs", async () => {
    setup();
    await t.say("alice", "/link console", "dm:alice");
    expect(t.texts()).toEqual(["You're on the console now: type this here, and the code on the other platform."]);
    await t.say("alice", "/link matrix", "dm:alice");
    const code = codeFrom(t.texts());
    await t.say("bea", `/link confirm ${code}`, "dm:bea");
    expect(t.texts()).toEqual(["That code is for linking a matrix account; type it on matrix."]);
    expect((await onMatrix(`link confirm ${code}`))[0]).toMatch(/^Linking would make/);
  });

  it("unlinks an account, which then starts fresh", async () => {
    setup();
    await linkAlice();
    t.texts();
    expect(await onMatrix("unlink matrix")).toEqual([
      "Your matrix account is separate again. Your history stays with this member; the matrix account starts fresh.",
    ]);
    expect(memberOf("matrix", "@alice:example.org")).not.toBe(memberOf("console", "alice"));
    await t.say("alice", "/unlink console", "dm:alice");
    expect(t.texts()).toEqual(["That's your only account; there is nothing to unlink it from."]);
  });

  it("a code typed by an admin's account can't take it over: nothing changes until the admin accepts, both sides and the admins see the roles at stake", async () => {
    setup();
    await onMatrix("whoami", "@boss:example.org");
    t.db.$client.prepare("insert into role_grants (member_id, role, scope, source, granted_at) values (?, 'admin', '', 'chat', 0)").run(memberOf("matrix", "@boss:example.org"));
    await t.say("eve", "/link matrix", "dm:eve");
    const code = codeFrom(t.texts());
    const untouched = () => t.snapshot(["inbound_events", "outbox", "__drizzle_migrations", "link_codes", "link_failures", "jobs"]);
    const before = untouched();

    const [shownToBoss] = await onMatrix(`link confirm ${code}`, "@boss:example.org");
    expect(shownToBoss).toContain("(admin) and the console account *eve* (eve) (no roles) one member");
    expect(shownToBoss).toContain("Nothing changes until both accounts accept");
    const sent = t.take();
    expect(sent.find((l) => l.includes("-> dm:eve:"))).toMatch(/Your link code was typed by the matrix account \*boss\* \(@boss:example.org\) \(admin\)/);
    // The console's admin hears of it (the role holder, on Matrix, too), without the code.
    const notice = sent.find((l) => l.includes("-> dm:admin:"));
    expect(notice).toMatch(/🔐 A link is waiting for both sides to accept: the matrix account \*boss\* .* \(admin\) with the console account \*eve\*/);
    expect(notice).not.toContain(code);
    expect(matrix.texts().some((x) => x.startsWith("🔐 A link is waiting"))).toBe(true);

    // eve accepts at once; the admin never does: nothing is merged, no role moves.
    await t.say("eve", `/link accept ${code}`, "dm:eve");
    expect(memberOf("console", "eve")).not.toBe(memberOf("matrix", "@boss:example.org"));
    expect(untouched()).toEqual(before);
    await t.say("eve", "/whoami", "dm:eve");
    expect(t.texts().at(-1)).toContain("Roles: none");

    // Once it has expired it can't be accepted any more.
    t.clock.advance(15 * 60_000);
    expect(await onMatrix(`link accept ${code}`, "@boss:example.org")).toEqual(["There's no link waiting for you under that code (it may have expired, or be someone else's)."]);
    expect(memberOf("console", "eve")).not.toBe(memberOf("matrix", "@boss:example.org"));
  });

  it("when both accept, the accounts merge and the admins are told, since a role moved", async () => {
    setup();
    await t.say("admin", "/role grant @alice triager", "dm:admin");
    await linkAlice();
    expect(memberOf("matrix", "@alice:example.org")).toBe(memberOf("console", "alice"));
    expect(t.take().filter((l) => l.includes("-> dm:admin:") && l.includes("🔐 Linked, both accounts having accepted"))).toHaveLength(1);
  });

  it("either side can cancel, and the other is told", async () => {
    setup();
    await t.say("alice", "/link matrix", "dm:alice");
    const code = codeFrom(t.texts());
    await onMatrix(`link confirm ${code}`);
    t.texts();
    expect(await onMatrix(`link cancel ${code}`)).toEqual(["Cancelled: the two accounts stay separate."]);
    expect(t.texts()).toEqual(["The link you were asked to accept was cancelled by the other account: the accounts stay separate."]);
    await t.say("alice", `/link accept ${code}`, "dm:alice");
    expect(memberOf("matrix", "@alice:example.org")).not.toBe(memberOf("console", "alice"));
  });

  it("a stranger who learns a pending code can't accept it, and three tries call the link off", async () => {
    setup();
    await t.say("alice", "/link matrix", "dm:alice");
    const code = codeFrom(t.texts());
    await onMatrix(`link confirm ${code}`);
    for (let i = 0; i < 3; i++) {
      expect(await onMatrix(`link accept ${code}`, `@stranger${i}:example.org`)).toEqual(["There's no link waiting for you under that code (it may have expired, or be someone else's)."]);
    }
    await onMatrix(`link accept ${code}`);
    await t.say("alice", `/link accept ${code}`, "dm:alice");
    expect(memberOf("matrix", "@alice:example.org")).not.toBe(memberOf("console", "alice"));
  });

  it("wrong codes from many accounts pause linking for everyone", async () => {
    setup();
    for (let i = 0; i < 30; i++) await onMatrix("link confirm AAAA-AAAA", `@guesser${i}:example.org`);
    expect(await onMatrix("link confirm AAAA-AAAA", "@someone-new:example.org")).toEqual([
      "Linking is paused for a few minutes: many wrong codes were typed recently. Try again in 15 minutes.",
    ]);
  });

  it("says how to type the code on the other platform in that platform's own way, and gives codes only for platforms the bot runs on", async () => {
    setup();
    await t.say("alice", "/link matrix", "dm:alice");
    const [message] = t.texts();
    const code = codeFrom([message!]);
    expect(message).toContain(`Within 15 minutes, on Matrix, send me \`link confirm ${code}\` in a direct message (in a room: \`!coop link confirm ${code}\`)`);
    expect(message).not.toContain("/link confirm");
    await t.say("alice", "/link slack", "dm:alice");
    expect(t.texts()).toEqual(["I'm not running on Slack here (only on the console and Matrix), so there's no account there to link."]);
  });
});
