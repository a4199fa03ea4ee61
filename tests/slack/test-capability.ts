// Test-only commands that make the core send what the Slack tests need to
// see: buttons and the edit that removes them, several messages to one room,
// a long text, a mention. Registered by the harness under `test ...`.
import { z } from "zod";
import { defineCapability, type Capability } from "../../bot/capability.ts";
import { defineCommand } from "../../bot/command.ts";
import { esc, mention } from "../../bot/markup.ts";

export interface TestCapability {
  capability: Capability;
  /** Decisions taken, by request id: a double click must leave exactly one. */
  decisions: Map<string, { answer: string; by: number }>;
}

export function testCapability(): TestCapability {
  const decisions = new Map<string, { answer: string; by: number }>();
  const capability = defineCapability({
    name: "test",
    commands: [
      defineCommand({
        name: "test ask",
        summary: "Post a request with Approve / Decline buttons in this room",
        args: z.object({ id: z.string() }),
        positional: ["id"],
        allow: "everyone",
        run(ctx, { id }) {
          ctx.reply(
            {
              text: `Request *${esc(id)}* from ${mention(ctx.actor.memberId)} is waiting for a decision.`,
              key: `test-request:${id}`,
              buttons: [
                { label: "Approve", command: `test decide ${id} approve`, style: "primary" },
                { label: "Decline", command: `test decide ${id} decline`, style: "danger" },
              ],
            },
            { public: true },
          );
        },
      }),
      defineCommand({
        name: "test decide",
        summary: "Decide a request (what the buttons run)",
        args: z.object({ id: z.string(), answer: z.enum(["approve", "decline"]) }),
        positional: ["id", "answer"],
        allow: "everyone",
        run(ctx, { id, answer }) {
          const earlier = decisions.get(id);
          if (earlier) ctx.fail(`Request ${esc(id)} was already decided (${earlier.answer}).`);
          decisions.set(id, { answer, by: ctx.actor.memberId });
          ctx.update(`test-request:${id}`, { text: `Request *${esc(id)}*: ${answer}d by ${mention(ctx.actor.memberId)}.` });
          ctx.reply(`You ${answer}d request ${esc(id)}.`);
        },
      }),
      defineCommand({
        name: "test announce",
        summary: "Post several numbered messages to this room",
        args: z.object({ count: z.coerce.number().int().min(1).max(20) }),
        positional: ["count"],
        allow: "everyone",
        run(ctx, { count }) {
          for (let i = 1; i <= count; i++) ctx.toRoom({ platform: ctx.event.platform, id: ctx.event.room.id }, `Announcement ${i} of ${count}`);
        },
      }),
      defineCommand({
        name: "test essay",
        summary: "Post one long message (numbered lines of about 100 characters)",
        args: z.object({ lines: z.coerce.number().int().min(1).max(2000) }),
        positional: ["lines"],
        allow: "everyone",
        run(ctx, { lines }) {
          const text = Array.from({ length: lines }, (_, i) => `Line ${String(i + 1).padStart(4, "0")}: ${"lorem ipsum dolor sit amet ".repeat(3).trim()}`).join("\n");
          ctx.toRoom({ platform: ctx.event.platform, id: ctx.event.room.id }, text);
        },
      }),
      defineCommand({
        name: "test greet",
        summary: "Welcome a member in this room, by mention, with a note",
        args: z.object({ member: z.string(), note: z.string().optional() }),
        positional: ["member", "note..."],
        allow: "everyone",
        run(ctx, args) {
          const member = ctx.resolveMember(args.member);
          const note = args.note ? `: ${esc(args.note)}` : "";
          ctx.toRoom({ platform: ctx.event.platform, id: ctx.event.room.id }, `Welcome ${mention(member.id)}, from ${mention(ctx.actor.memberId)}${note}`);
        },
      }),
    ],
  });
  return { capability, decisions };
}
