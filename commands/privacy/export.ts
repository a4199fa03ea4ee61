// `export me`: everything the bot holds about a member, as JSON, sent to
// their direct messages only (typed in a room, the room is told where it
// went). Each capability gives its own sections (`exportMember`). Each
// section is a code block of JSON, one item per line; blocks are packed into
// messages of at most MAX_MESSAGE characters, and a section too long for one
// goes in several parts that join up in order. (A file upload would suit
// large exports better; the adapters can't send files yet.)
import { defineCommand, NO_ARGS } from "../../bot/command.ts";
import type { BaseContext } from "../../bot/context.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { coreRecordOf, iso } from "../../db/forget.ts";
import { grantsOf } from "../../db/roles.ts";
import { describeGrant } from "../core/role.ts";

/** Well under every platform's limit (Slack's 4,000 for a readable message), fences and heading included. */
export const MAX_MESSAGE = 3500;
const FENCE = "```";

/** Every section of a member's data, core first. */
export function memberData(ctx: BaseContext, memberId: number): [string, unknown][] {
  const core = coreRecordOf(ctx.db, memberId);
  const roles = grantsOf(ctx.db, memberId).map((g) => ({ role: describeGrant(ctx, g.role, g.scope), from: g.source, since: iso(g.grantedAt) }));
  const sections: [string, unknown][] = [["you", core.member], ["accounts", core.accounts], ["roles", roles]];
  for (const exporter of ctx.services.memberExporters) sections.push(...Object.entries(exporter(ctx, memberId)));
  return sections;
}

/** Text longer than this is given as a list of pieces, so that no line of an export outgrows a message. */
const LONG_TEXT = 500;

const pieces = (text: string): string[] => Array.from({ length: Math.ceil(text.length / LONG_TEXT) }, (_, i) => text.slice(i * LONG_TEXT, (i + 1) * LONG_TEXT));

function piecewise(value: unknown): unknown {
  if (typeof value === "string") return value.length > LONG_TEXT ? pieces(value) : value;
  if (Array.isArray(value)) return value.map(piecewise);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, piecewise(v)]));
  return value;
}

/** JSON with backticks escaped, so no text can close the code block it is shown in. */
const safe = (value: unknown, indent?: number) => JSON.stringify(value, null, indent).replace(/`/g, "\\u0060");

/** One item's lines: itself on one line, or (too long for that) laid out over several, long texts in pieces. */
function itemLines(item: unknown, room: number): string[] {
  const line = safe(item);
  return esc(line).length <= room ? [line] : safe(piecewise(item), 1).split("\n");
}

/** A value as JSON lines: a list one item per line (wrapped in `[` `]`), anything else as itself. */
function jsonLines(value: unknown, room: number): string[] {
  if (!Array.isArray(value)) return itemLines(value, room);
  if (value.length === 0) return ["[]"];
  return value.flatMap((item, i) => {
    const lines = itemLines(item, room - 2);
    lines[0] = `${i === 0 ? "[" : " "}${lines[0]}`;
    lines[lines.length - 1] += i === value.length - 1 ? "]" : ",";
    return lines;
  });
}

/**
 * Cuts lines into parts of at most `room` characters, whole lines each, so
 * parts joined with a new line are the whole again. (A line longer than a
 * part can't come from jsonLines; it would be cut in slices rather than
 * make one message too long.)
 */
export function packLines(lines: string[], room: number): string[] {
  const parts: string[] = [];
  let current = "";
  const flush = () => {
    if (current) parts.push(current);
    current = "";
  };
  for (const line of lines) {
    if (line.length > room) {
      flush();
      for (let at = 0; at < line.length; at += room) parts.push(line.slice(at, at + room));
      continue;
    }
    if (current && current.length + 1 + line.length > room) flush();
    current = current ? `${current}\n${line}` : line;
  }
  flush();
  return parts;
}

/** A heading and a code block per section (per part of a long one), packed into as few messages as fit. */
export function exportMessages(sections: [string, unknown][]): string[] {
  const blocks: string[] = [];
  for (const [name, value] of sections) {
    const heading = (i: number, n: number) => `*${esc(name)}*${n > 1 ? ` (part ${i + 1} of ${n})` : ""}`;
    // Room for the heading (with the largest part numbers likely) and the fences.
    const room = MAX_MESSAGE - heading(999, 999).length - 2 * FENCE.length - 4;
    const parts = packLines(jsonLines(value, room).map(esc), room);
    parts.forEach((part, i) => blocks.push(`${heading(i, parts.length)}\n${FENCE}\n${part}\n${FENCE}`));
  }
  return packLines(blocks, MAX_MESSAGE);
}

export const exportMe = defineCommand({
  name: "export me",
  summary: "Get a copy of everything the bot holds about you, as JSON, in your direct messages",
  description: "Your profile, accounts, groups, roles, actions, thanks given and received, RSVPs and attendance, meeting notes you wrote, your reminders, and your clinic enquiries with what the clinic wrote to you. It always goes to your direct messages, never a room.",
  examples: ["export me"],
  args: NO_ARGS,
  allow: "everyone",
  run(ctx) {
    const me = ctx.actor.memberId;
    const sections = memberData(ctx, me);
    const messages = exportMessages(sections);
    const intro = `📦 Everything I hold about you, as JSON, in ${messages.length === 1 ? "the next message" : `the next ${messages.length} messages`}: ${sections.map(([name]) => esc(name)).join(", ")}. A section in several parts joins up in order, a new line between parts; a long text is a list of pieces. Times are UTC. ${cmd("forget me")} erases it.`;
    for (const text of [intro, ...messages]) ctx.toMember(me, text);
    if (ctx.event.room.kind !== "dm") ctx.reply("I've sent your data to you in a direct message, to keep it out of this room.");
  },
});
