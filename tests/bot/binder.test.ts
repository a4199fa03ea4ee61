import { describe, expect, it } from "vitest";
import { z } from "zod";
import { bindArgs } from "../../bot/binder.ts";
import { defineCommand, usageOf } from "../../bot/command.ts";
import { tokenize } from "../../bot/grammar.ts";

const schedule = defineCommand({
  name: "meeting schedule",
  summary: "test",
  args: z.object({
    group: z.string(),
    title: z.string(),
    when: z.string().optional(),
    every: z.string().optional(),
    hours: z.coerce.number().positive().optional(),
    remind: z.array(z.string()).optional(),
    hidden: z.boolean().default(false),
    kind: z.enum(["working", "network"]).optional(),
  }),
  positional: ["group", "title", "when..."],
  allow: "everyone",
  run() {},
});

const bind = (text: string) => bindArgs(schedule, tokenize(text), text);

describe("binding arguments to a declaration", () => {
  it("names an unclosed quote when it leaves the command short, instead of a missing argument", () => {
    const r = bind('"Check-in 2026-08-21 11:00');
    expect(r).toEqual({ ok: false, error: 'the quote before `Check-in 2026-08-21 11:00` is never closed, so I read the rest of the line as one value: put the closing " after the words that belong together' });
  });

  it("lets an unclosed quote at the end run to the end of the line when nothing is missing", () => {
    expect(bind('comms "Weekly sync')).toMatchObject({ ok: true, args: { group: "comms", title: "Weekly sync" } });
  });

  it("fills positionals in order and gives the rest, spacing kept, to the rest argument", () => {
    expect(bind('comms "Weekly sync" next monday  at 11:00')).toEqual({
      ok: true,
      args: { group: "comms", title: "Weekly sync", when: "next monday  at 11:00", hidden: false },
    });
  });

  it("takes options anywhere, with a value after them or after =", () => {
    const r = bind("comms sync --every fortnightly --hours=1.5 monday");
    expect(r).toMatchObject({ ok: true, args: { every: "fortnightly", hours: 1.5, when: "monday" } });
  });

  it("treats a boolean option as a flag that needs no value", () => {
    expect(bind("comms sync --hidden monday")).toMatchObject({ ok: true, args: { hidden: true, when: "monday" } });
  });

  it("splits list options on commas and accumulates repeats", () => {
    expect(bind("comms sync --remind 1d,1h --remind 10m")).toMatchObject({ ok: true, args: { remind: ["1d", "1h", "10m"] } });
  });

  it("names an unknown option instead of ignoring it", () => {
    expect(bind("comms sync --evry weekly")).toEqual({ ok: false, error: "unknown option `--evry`" });
  });

  it("leaves key=value inside free text alone when key is not an option", () => {
    expect(bind("comms sync ratio=2:1 please")).toMatchObject({ ok: true, args: { when: "ratio=2:1 please" } });
  });

  it("says which option is missing its value", () => {
    expect(bind("comms sync --every")).toEqual({ ok: false, error: "`--every` needs a value" });
  });

  it("reports every problem zod finds, by argument name", () => {
    const r = bind("comms --hours lots");
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/title: required/);
    expect(!r.ok && r.error).toMatch(/hours: expected a number/);
  });

  it("lists allowed values for an enum", () => {
    const r = bind("comms sync --kind club");
    expect(!r.ok && r.error).toBe("kind: expected one of working, network");
  });

  it("refuses arguments nobody asked for", () => {
    const strict = defineCommand({ name: "leave", summary: "t", args: z.object({ group: z.string() }), positional: ["group"], allow: "everyone", run() {} });
    const text = "comms and policy";
    expect(bindArgs(strict, tokenize(text), text)).toEqual({ ok: false, error: "I didn't expect `and policy`" });
  });

  it("generates the usage line from the same declaration", () => {
    expect(usageOf(schedule)).toBe(
      "meeting schedule <group> <title> [when...] [--every <every>] [--hours <hours>] [--remind <remind>] [--hidden] [--kind <working|network>]",
    );
  });
});
