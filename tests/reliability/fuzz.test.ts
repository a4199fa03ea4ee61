// Property-based: any text from any member in any room gets a reply or a
// clear refusal, never a crash; and a command that is refused changes no row.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MANY_AT_ONCE, TestBot } from "../helpers/bot.ts";

const MEMBERS = ["admin", "sam", "alice", "bea"];
const ROOMS = ["general", "comms", "triage", "dm:alice"];

let t: TestBot;
let words: string[];

beforeAll(async () => {
  // 400 commands from four members at one instant: the rate limit raised, so the fuzz reaches the handlers.
  t = new TestBot({ config: { limits: MANY_AT_ONCE, console: { rooms: { triage: "private" } }, groups: [
    { slug: "comms", name: "Communications Group", kind: "working", drivers: ["console:sam"], rooms: ["console:comms"] },
    { slug: "glasgow", name: "Glasgow network", kind: "network", tags: ["glasgow"] },
  ] } });
  // Everyone says hello first, so a refused command can't even create a member.
  for (const m of MEMBERS) await t.say(m, "/whoami");
  words = [...new Set(t.bot.registry.all().flatMap((c) => [c.name, ...(c.aliases ?? [])]))];
});
afterAll(async () => t?.close());

/** Text that looks like commands: known names, plausible and hostile arguments. */
const commandLike = () =>
  fc
    .tuple(
      fc.constantFrom(...words),
      fc.array(
        fc.oneof(
          fc.constantFrom("comms", "glasgow", "nope", "@alice", "@sam", "@ghost", "1", "2", "999", "-1", "yes", "admin", "driver", "--kind", "--tag", "network", "--hours", "x=y", '"a quoted note"', '"unclosed', "2026-08-23", "11:00", "<@1>", "<cmd:role grant @alice admin>", "'); DROP TABLE groups;--", "\u0000", "\ud800", "🎉"),
          fc.string({ maxLength: 12 }),
        ),
        { maxLength: 6 },
      ),
    )
    .map(([name, args]) => [name, ...args].join(" "));

const anyText = () =>
  fc.oneof({ arbitrary: commandLike(), weight: 6 }, { arbitrary: fc.string({ maxLength: 60 }), weight: 1 }, { arbitrary: fc.string({ unit: "binary", maxLength: 40 }), weight: 1 });

describe("fuzzing the router", () => {
  it("never throws or hits a handler bug, and refusals change no row", async () => {
    const seen: Record<string, number> = {};
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...MEMBERS), fc.constantFrom(...ROOMS), anyText(), async (member, room, text) => {
        const before = t.snapshot();
        const result = t.bot.receive(t.event(member, `/${text}`, room));
        await t.bot.dispatcher.drain();
        const replies = t.texts();
        seen[result.outcome] = (seen[result.outcome] ?? 0) + 1;
        expect(result.outcome, `"${text}" hit a bug: ${result.errorRef}`).not.toBe("error");
        if (["unknown", "denied", "invalid", "refused"].includes(result.outcome)) {
          expect(t.snapshot(), `"${text}" was ${result.outcome} but changed rows`).toEqual(before);
          expect(replies.length, `"${text}" was ${result.outcome} with no reply`).toBeGreaterThan(0);
        }
      }),
      { numRuns: 400, seed: 20261124 },
    );
    // The inputs really reached the handlers, not just the "unknown command" path.
    expect(Object.keys(seen)).toEqual(expect.arrayContaining(["ok", "refused", "invalid", "denied", "unknown"]));
  }, 120_000);

  it("tokenizes and binds any string without throwing", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 200 }), (text) => {
        const result = t.bot.receive(t.event("alice", text, "dm:alice"));
        expect(result.outcome).not.toBe("error");
      }),
      { numRuns: 300, seed: 7 },
    );
  });
});
