// Hostile or broken input at the edges: each gets a clear answer and
// changes nothing it shouldn't; text is stored as typed and echoed inert.
import { afterEach, describe, expect, it } from "vitest";
import { buildConfig } from "../../bot/config.ts";
import { capabilities } from "../../commands/index.ts";
import { findGroupBySlug, listGroups } from "../../db/groups.ts";
import { TestBot } from "../helpers/bot.ts";

let t: TestBot;
afterEach(async () => t?.close());

const config = { groups: [{ slug: "comms", name: "Communications Group", kind: "working", drivers: ["console:sam"] }] };

describe("bad input at the edges", () => {
  it("stores SQL-looking text as text and leaves the tables alone", async () => {
    t = new TestBot({ config });
    await t.say("admin", `/group create bobby "Robert'); DROP TABLE groups;--" --purpose "1; DELETE FROM members WHERE 1=1"`);
    expect(findGroupBySlug(t.db, "bobby")).toMatchObject({ name: "Robert'); DROP TABLE groups;--", purpose: "1; DELETE FROM members WHERE 1=1" });
    expect(listGroups(t.db).length).toBe(2);
    await t.say("alice", "/group bobby");
    expect(t.texts().at(-1)).toContain("Robert'); DROP TABLE groups;--");
  });

  it("echoes markup-looking text inert: no forged mentions, commands or links", async () => {
    t = new TestBot({ config });
    await t.say("alice", "/join comms <@1> <cmd:role grant @alice admin> <https://evil.example|click me> *bold*");
    const card = t.take().find((l) => l.includes("dm:sam"))!;
    expect(card).toContain("> <@1> <cmd:role grant @alice admin> <https://evil.example|click me> *bold*");
    expect(card).not.toContain("@admin");
    expect(card).not.toContain("/role grant");
    expect(card).not.toContain("click me (https://evil.example)");
  });

  it("survives lone surrogates and control characters without crashing", async () => {
    t = new TestBot({ config });
    const result = await t.say("alice", "/join comms broken \ud800 text \u0000 with nul");
    expect(result.outcome).toBe("ok");
    expect(t.texts().length).toBeGreaterThan(0);
    await t.say("sam", "/requests");
    expect(t.texts()[0]).toContain("broken");
  });

  it("refuses an oversized command before parsing it, and records nothing", async () => {
    t = new TestBot({ config });
    await t.say("alice", "/whoami");
    t.texts();
    const before = t.snapshot();
    const result = await t.say("alice", `/join comms ${"x".repeat(20_000)}`);
    expect(result.outcome).toBe("invalid");
    expect(t.texts()[0]).toMatch(/too long for a command/);
    expect(t.snapshot()).toEqual(before);
  });

  it("rejects malformed config documents with the field and the problem", () => {
    const attempt = (doc: unknown) => () => buildConfig(doc, capabilities, "bad.yaml");
    expect(attempt({ timezone: 42 })).toThrow(/timezone: Invalid input: expected string/);
    expect(attempt({ groups: [{ slug: "x", name: "X", kind: "club" }] })).toThrow(/groups\.0\.kind: Invalid option/);
    expect(attempt({ groups: [{ slug: "x", name: "X", kind: "working", colour: "red" }] })).toThrow(/groups\.0\.colour: Unrecognized key "colour"; expected one of slug, name, kind/);
    expect(attempt({ console: { rooms: { triage: "secret" } } })).toThrow(/console\.rooms\.triage/);
    expect(attempt({ http: { port: 70000 } })).toThrow(/http\.port/);
    expect(attempt("just a string")).toThrow(/expected object/);
  });
});
