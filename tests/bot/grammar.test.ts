import { describe, expect, it } from "vitest";
import { tokenize } from "../../bot/grammar.ts";

const kinds = (s: string) => tokenize(s).map((t) => `${t.kind}:${t.name ? `${t.name}=` : ""}${t.value}`);

describe("the command grammar", () => {
  it("splits plain words on any whitespace", () => {
    expect(kinds("join   comms\tnow")).toEqual(["word:join", "word:comms", "word:now"]);
  });

  it("keeps a quoted string as one argument, straight or curly quotes", () => {
    expect(kinds('meeting schedule comms "Weekly sync" monday')).toContain("quoted:Weekly sync");
    expect(kinds("x \u201cSmart quotes from a phone\u201d")).toEqual(["word:x", "quoted:Smart quotes from a phone"]);
  });

  it("lets an escaped quote live inside a quoted string", () => {
    expect(kinds('note "she said \\"hi\\""')).toEqual(["word:note", 'quoted:she said "hi"']);
  });

  it("runs an unclosed quote to the end of the line instead of failing", () => {
    expect(kinds('clinic ask "how do we convert')).toEqual(["word:clinic", "word:ask", "quoted:how do we convert"]);
  });

  it("recognises @mentions, including Matrix ids, and #rooms", () => {
    expect(kinds("thanks @alice @@bob:example.org #comms")).toEqual(["word:thanks", "mention:@alice", "mention:@@bob:example.org", "room:#comms"]);
  });

  it("reads --flag value, --flag=value and key=value options", () => {
    expect(kinds("groups --kind network --tag=glasgow policy=open")).toEqual(["word:groups", "option:kind=", "word:network", "option:tag=glasgow", "option:policy=open"]);
  });

  it("keeps source offsets so a rest argument can be re-read verbatim", () => {
    const source = "join comms  I can   help";
    const [, , first] = tokenize(source);
    expect(source.slice(first!.start)).toBe("I can   help");
  });

  it("returns no tokens for empty or blank input", () => {
    expect(tokenize("")).toEqual([]);
    expect(tokenize("   \n ")).toEqual([]);
  });
});
