import { describe, expect, it } from "vitest";
import { NO_ARGS, defineCommand } from "../../bot/command.ts";
import { tokenize } from "../../bot/grammar.ts";
import { Registry } from "../../bot/registry.ts";
import { editDistance, nearest, withinEdits } from "../../bot/suggest.ts";

const command = (name: string, aliases: string[] = []) => defineCommand({ name, aliases, summary: name, args: NO_ARGS, allow: "everyone", run() {} });

describe("the command registry", () => {
  it("refuses two commands with the same name at start", () => {
    const r = new Registry();
    r.register(command("join"));
    expect(() => r.register(command("join"))).toThrow(/declared twice/);
  });

  it("refuses an alias that collides with another command", () => {
    const r = new Registry();
    r.register(command("groups"));
    expect(() => r.register(command("list", ["groups"]))).toThrow(/"groups" is declared twice/);
  });

  it("finds the longest multi-word command name", () => {
    const r = new Registry();
    r.register(command("group"));
    r.register(command("group driver add"));
    const found = r.lookup(tokenize("group driver add comms @sam"));
    expect(found?.command.name).toBe("group driver add");
    expect(found?.rest.map((t) => t.value)).toEqual(["comms", "@sam"]);
    expect(r.lookup(tokenize("Group comms"))?.command.name).toBe("group");
  });

  it("suggests the nearest visible command for a typo", () => {
    const r = new Registry();
    ["join", "leave", "groups", "meeting schedule"].forEach((n) => r.register(command(n)));
    expect(r.suggest(tokenize("jion comms"), () => true)).toBe("join");
    expect(r.suggest(tokenize("meeting shedule x"), () => true)).toBe("meeting schedule");
    expect(r.suggest(tokenize("jion"), (c) => c.name !== "join")).toBeUndefined();
    expect(r.suggest(tokenize("xylophone"), () => true)).toBeUndefined();
  });
});

describe("nearest-match suggestions", () => {
  it("counts a swap of adjacent letters as one edit", () => {
    expect(editDistance("jion", "join")).toBe(1);
    expect(editDistance("comms", "coms")).toBe(1);
    expect(editDistance("", "ask")).toBe(3);
    expect(editDistance("kitten", "sitting")).toBe(3);
    expect(editDistance("clinci", "clinic")).toBe(1);
    expect(editDistance("abcdef", "badcfe")).toBe(3);
    expect(withinEdits("clinc", "clinic", 2)).toBe(true);
    expect(withinEdits("groups", "resolve", 1)).toBe(false);
  });

  it("offers a prefix match and refuses far-off words", () => {
    expect(nearest("comm", ["communications", "mobilising"])).toBe("communications");
    expect(nearest("zzz", ["policy", "comms"])).toBeUndefined();
  });
});
