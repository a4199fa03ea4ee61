// A pill in a Matrix command resolves to the member it names: the adapter
// emits the user id, and CommandContext.resolveMember finds it as a Matrix
// platform id.
import { afterEach, describe, expect, it } from "vitest";
import { CommandContext } from "../../bot/context.ts";
import { tokenize } from "../../bot/grammar.ts";
import { ensureMember } from "../../db/members.ts";
import { messageToInbound } from "../../adapters/matrix/inbound.ts";
import { TestBot } from "../helpers/bot.ts";
import { BOT, fixture } from "./fixtures.ts";

let t: TestBot | undefined;
afterEach(async () => t?.close());

describe("Matrix mentions", () => {
  it("resolve, pill or typed user id, to the member with that Matrix id", () => {
    t = new TestBot();
    const bob = ensureMember(t.db, "matrix", "@bob:example.org", "Bob", 0);
    const alice = ensureMember(t.db, "matrix", "@alice:example.org", "Alice", 0);
    const event = messageToInbound(fixture("message-pill"), { botUserId: BOT, prefix: "!coop", room: { id: "!comms:example.org", kind: "private" }, displayName: "Alice" })!;
    const ctx = new CommandContext(t.bot.services, event, { memberId: alice.id, displayName: "Alice", platform: "matrix", platformId: "@alice:example.org" });
    const mention = tokenize(event.text).find((tok) => tok.kind === "mention")!;
    expect(ctx.resolveMember(mention.value).id).toBe(bob.id);
    expect(ctx.resolveMember("@bob:example.org").id).toBe(bob.id);
  });
});
