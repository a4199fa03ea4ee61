import { Writable } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineCapability } from "../../bot/capability.ts";
import { defineCommand } from "../../bot/command.ts";
import { createLogger } from "../../bot/log.ts";
import { core } from "../../commands/core/index.ts";

// The core alone: these tests are about the mechanism, not the roles capabilities add.
const capabilities = [core];
import { TestBot } from "../helpers/bot.ts";

// A capability that exists only for these tests: it writes, sends, then
// refuses or crashes, so we can see that nothing of it survives.
const probe = defineCapability({
  name: "probe",
  commands: [
    defineCommand({
      name: "probe",
      summary: "write, send, then fail or crash on request",
      args: z.object({ mode: z.enum(["ok", "refuse", "crash"]) }),
      positional: ["mode"],
      allow: "everyone",
      run(ctx, { mode }) {
        ctx.schedule({ kind: "core.remind", key: `probe:${ctx.source}`, dueAt: ctx.now + 60_000, payload: { memberId: ctx.actor.memberId, text: "probe" } });
        ctx.toRoom({ platform: "console", id: "general" }, "probe was here");
        if (mode === "refuse") ctx.fail("Refused on purpose.");
        if (mode === "crash") throw new Error("boom: a bug in a handler");
        ctx.reply("done");
      },
    }),
  ],
});

let t: TestBot;
afterEach(async () => t?.close());

describe("the router", () => {
  it("ignores a redelivered event instead of running it twice", async () => {
    t = new TestBot({ capabilities: [...capabilities, probe] });
    const event = t.event("alice", "/probe ok");
    expect(t.bot.receive(event).outcome).toBe("ok");
    expect(t.bot.receive(event).outcome).toBe("duplicate");
    await t.bot.dispatcher.drain();
    expect(t.texts()).toEqual(["probe was here", "done"]);
  });

  it("rolls back everything a refused command wrote and sent, and says why", async () => {
    t = new TestBot({ capabilities: [...capabilities, probe] });
    const before = t.snapshot();
    await t.say("alice", "/probe refuse");
    expect(t.texts()).toEqual(["Refused on purpose."]);
    const after = t.snapshot();
    // alice became a member on first sight; nothing else changed.
    expect(after.jobs).toEqual(before.jobs);
  });

  it("answers a crashing handler with a reference that is also in the log, and keeps running", async () => {
    const logged: string[] = [];
    const log = createLogger({ level: "error", destination: new Writable({ write: (chunk, _e, cb) => (logged.push(String(chunk)), cb()) }) });
    t = new TestBot({ capabilities: [...capabilities, probe], log });
    const result = await t.say("alice", "/probe crash");
    expect(result.outcome).toBe("error");
    const [reply] = t.texts();
    expect(reply).toMatch(/something went wrong.*nothing was changed.*E-[2-9A-Z]{6}/);
    expect(logged.join("")).toContain(result.errorRef!);
    expect(logged.join("")).toContain("boom: a bug in a handler");
    // Its scheduled reminder was rolled back: the only job is the core's daily pruning.
    expect(t.db.$client.prepare("select kind from jobs").all()).toEqual([{ kind: "core.prune" }]);
    await t.say("alice", "/probe ok");
    expect(t.texts()).toEqual(["probe was here", "done"]);
  });

  it("when the command's own transaction fails (the disk refuses a write), apologises with a reference in the log and changes nothing", async () => {
    const logged: string[] = [];
    const log = createLogger({ level: "error", destination: new Writable({ write: (chunk, _e, cb) => (logged.push(String(chunk)), cb()) }) });
    t = new TestBot({ capabilities: [...capabilities, probe], log });
    await t.say("alice", "/whoami");
    t.texts();
    const before = t.snapshot();
    // The ledger write every command makes fails, as it would on a full disk (for this connection only).
    t.db.$client.exec("create temp trigger full_disk before insert on inbound_events begin select raise(abort, 'database or disk is full'); end");

    const result = await t.say("alice", "/probe ok");

    expect(result.outcome).toBe("error");
    const [reply] = t.texts();
    expect(reply).toBe(`Sorry, something went wrong on my side and nothing was changed. Reference: ${result.errorRef}`);
    expect(logged.join("")).toContain(result.errorRef!);
    expect(logged.join("")).toContain("inbound event failed outside a handler");
    expect(t.snapshot()).toEqual(before);
    t.db.$client.exec("drop trigger full_disk");
    await t.say("alice", "/probe ok");
    expect(t.texts()).toEqual(["probe was here", "done"]);
  });

  it("gives bad arguments the usage and changes no row", async () => {
    t = new TestBot({ capabilities });
    await t.say("alice", "/whoami");
    t.texts();
    const before = t.snapshot();
    await t.say("admin", "/role grant");
    await t.say("admin", "/role grant @alice wizard");
    await t.say("admin", "/role grant @no!body admin");
    await t.say("alice", "/remind me soon do things");
    expect(t.texts()).toEqual([
      "Member: required; role: required.\nUsage: /role grant <member> <role> [scope]",
      "There is no role `wizard`. Roles: admin.",
      "`@no!body` isn't a console name (letters, digits, dots and dashes).",
      expect.stringMatching(/^I couldn't find when in that; e\.g\. \/remind me tomorrow at 9am send the agenda/),
    ]);
    expect(t.snapshot()).toEqual(before);
  });

  it("suggests the nearest command for a typo, among those the asker may run", async () => {
    t = new TestBot({ capabilities });
    await t.say("alice", "/whoamii");
    await t.say("alice", "/rol list");
    await t.say("admin", "/rol list");
    expect(t.texts()).toEqual([
      "I don't know `whoamii`. Did you mean /whoami? (/help lists everything.)",
      "I don't know `rol`. Type /help to see what I can do.",
      "I don't know `rol`. Did you mean /role list? (/help lists everything.)",
    ]);
  });

  it("lists the sub-commands when only the first word of a family is typed", async () => {
    t = new TestBot({ capabilities });
    await t.say("admin", "/role");
    expect(t.texts()).toEqual(["`role` needs one more word: /role grant, /role revoke, /role list."]);
  });

  it("refuses an over-long command without parsing it", async () => {
    t = new TestBot({ capabilities });
    const result = await t.say("alice", `/remind me 1h ${"x".repeat(9000)}`);
    expect(result.outcome).toBe("invalid");
    expect(t.texts()[0]).toMatch(/too long/);
  });

  it("runs a listener for a matching line, whether typed plainly or to the bot", async () => {
    const noted: string[] = [];
    const notes = defineCapability({
      name: "notes",
      listeners: [{ name: "note", matches: (e) => e.text.startsWith("#note "), run: (ctx) => void noted.push(ctx.event.text) }],
    });
    t = new TestBot({ capabilities: [...capabilities, notes] });
    expect((await t.say("alice", "#note plain line")).outcome).toBe("ok");
    expect((await t.say("alice", "/#note typed to the bot")).outcome).toBe("ok");
    expect((await t.say("alice", "/#other thing")).outcome).toBe("unknown");
    expect(noted).toEqual(["#note plain line", "#note typed to the bot"]);
  });

  it("lets plain room chatter pass without recording or answering it", async () => {
    t = new TestBot({ capabilities });
    const result = await t.say("alice", "good morning all");
    expect(result.outcome).toBe("ignored");
    expect(t.texts()).toEqual([]);
  });

  it("answers private questions in the DM and in-room replies privately by default", async () => {
    t = new TestBot({ capabilities });
    await t.say("alice", "whoami", "dm:alice");
    await t.say("alice", "/whoami", "comms");
    const [inDm, inRoom] = t.take();
    expect(inDm).toMatch(/^\[2026-08-17 09:00\] bot -> dm:alice: You are \*alice\*/);
    expect(inRoom).toMatch(/^\[2026-08-17 09:00\] bot -> alice \(private\): You are \*alice\*/);
  });
});
