// The clinic's room guard: what counts as clinic text in a public room, and
// an edit on Matrix that turns a message into one is taken out with the
// message it edits, without running anything.
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import type { InboundEvent } from "../../bot/events.ts";
import { looksLikeClinic } from "../../commands/clinic/guard.ts";
import { ScriptedAdapter } from "../helpers/scripted-adapter.ts";
import { useClinicBots } from "./harness.ts";

const bots = useClinicBots();

describe("what looks like clinic text", () => {
  it.each([
    ["clinic ask we owe the bank money", true],
    ["clinic aks we owe the bank money", true],
    ["Clinic-Ask we owe the bank money", true],
    ["clinc ask we owe the bank money", true],
    ["cllinic erase CL-0001", true],
    ["note CL-0001 they owe the bank", true],
    ["notes cl 12 they owe the bank", true],
    ["replay CL-0001 send your accounts", true],
    ["resolve CL-0001 helped them", true],
    ["note to self: buy milk", false],
    ["groups", false],
    ["join comms I can help", false],
  ])("typed to the bot: %s → %s", (text, expected) => {
    expect(looksLikeClinic(text, true)).toBe(expected);
  });

  it.each([
    ["clinic ask how do we stop the bank calling in the loan?", true],
    ["clinic aks how do we stop the bank", true],
    ["the clinic helped us a lot", false],
    ["clinic is closed on Fridays", false],
    ["note CL-0001 they owe the bank", false],
  ])("said in the room: %s → %s", (text, expected) => {
    expect(looksLikeClinic(text, false)).toBe(expected);
  });
});

describe("edits on Matrix", () => {
  const matrixEvent = (text: string, extra: Partial<InboundEvent> = {}): InboundEvent => {
    const id = `$${randomUUID()}`;
    return { platform: "matrix", eventId: id, messageRef: id, visibleInRoom: true, sender: { platformId: "@alice:hs", displayName: "Alice" }, room: { id: "!comms:hs", kind: "public" }, text, addressed: true, ...extra };
  };

  it("an edit that turns a message into a clinic question is taken out with the original, and runs nothing", async () => {
    const t = bots();
    const matrix = new ScriptedAdapter("matrix");
    t.bot.attach(matrix);
    const original = matrixEvent("whoami");
    t.bot.receive(original);
    await t.bot.dispatcher.drain();
    matrix.delivered.length = 0;

    const edit = matrixEvent("clinic ask our treasurer took the float", { edits: original.messageRef });
    const result = t.bot.receive(edit);
    await t.bot.dispatcher.drain();

    expect(result).toEqual({ outcome: "ok", command: "guard:clinic" });
    expect(matrix.delivered.map((d) => ({ kind: d.kind, removes: d.editsRef }))).toEqual([
      { kind: "remove", removes: original.messageRef },
      { kind: "remove", removes: edit.messageRef },
    ]);
    expect(t.db.$client.prepare("select count(*) from clinic_enquiries").pluck().get()).toBe(0);
  });

  it("an ordinary edit is left alone, and never runs the edited command", async () => {
    const t = bots();
    const matrix = new ScriptedAdapter("matrix");
    t.bot.attach(matrix);
    const result = t.bot.receive(matrixEvent("whoami", { edits: "$earlier" }));
    await t.bot.dispatcher.drain();
    expect(result.outcome).toBe("ignored");
    expect(matrix.delivered).toEqual([]);
  });
});

describe("which rooms", () => {
  it("a group's private room loses clinic text too (its members aren't the clinic team); the triage room and DMs keep it", async () => {
    const t = bots({ config: { console: { rooms: { triage: "private", board: "private" } } } });
    await t.say("admin", "/role grant @tara triager");
    await t.say("alice", "/clinic ask our treasurer took the float", "board");
    await t.say("tara", "/note CL-0001 rang them back", "triage");
    await t.say("alice", "clinic ask one more thing", "dm:alice");
    const removals = t.take().filter((l) => l.includes("(removed a message)"));
    expect(removals).toEqual([expect.stringContaining("bot -> board (removed a message)")]);
  });
});
