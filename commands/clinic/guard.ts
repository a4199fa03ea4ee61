// Clinic text leaves a room on every path: anything typed in a room others
// read (anywhere but a DM or the triage room) that is, or looks like, a
// clinic command (near-miss spellings, a message too long to be a command
// that starts like one, an edit that turns into one) is taken out before any
// answer, even a refusal. Where the platform won't let the bot remove it (an
// @mention on Slack), the sender is told to, and the triage room hears that
// it happened, never what it said.
import type { RoomGuardSpec } from "../../bot/capability.ts";
import type { Config } from "../../bot/config.ts";
import type { InboundEvent } from "../../bot/events.ts";
import type { CommandContext } from "../../bot/context.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { withinEdits } from "../../bot/suggest.ts";
import { toTriage } from "./cards.ts";
import { clinicSettings } from "./config.ts";

/** Commands whose words carry an enquiry's text, when they name one (`note CL-0042 …`). */
const TEXT_COMMANDS = ["note", "reply", "resolve", "handoff", "consent", "enquiry", "triage"];
const REFERENCE = /\bcl[-\s]?\d{1,6}\b/i;

/** `clinic`, `clinc`, `cllinic`, `Clinic-ask`, `clinicask`: the first word, however it was typed. */
function nearClinic(word: string): boolean {
  return word.length >= 4 && (word.startsWith("clinic") || withinEdits(word, "clinic", 2));
}

export function looksLikeClinic(text: string, addressed: boolean): boolean {
  const words = text.trim().slice(0, 200).toLowerCase().split(/[\s_\-\u2013\u2014/]+/).filter(Boolean);
  const [first = "", second = ""] = words;
  // Not typed to the bot: only what is plainly a clinic question missing its prefix.
  if (!addressed) return nearClinic(first) && (withinEdits(second, "ask", 1) || first.startsWith("clinicask"));
  if (nearClinic(first)) return true;
  // The reference first: most messages name no enquiry, and then no word needs measuring.
  return REFERENCE.test(text) && TEXT_COMMANDS.some((c) => withinEdits(first, c, 1));
}

function takeOut(ctx: CommandContext, removable: boolean): void {
  if (removable) {
    ctx.removeInbound("A message for the Co-op Clinic was taken out of this room to keep it private.");
    return;
  }
  const room = ctx.event.room.name ? `#${esc(ctx.event.room.name)}` : "that room";
  ctx.reply(`What you wrote in ${room} looks like it's for the Co-op Clinic, and everyone there can read it. I can't remove it on this platform: please delete it yourself. Next time, ${cmd("clinic ask <question>")} keeps it private.`);
  toTriage(ctx, `⚠️ ${mention(ctx.actor.memberId)} wrote something for the clinic in ${room}, where everyone can read it, and I couldn't take it out; I've asked them to delete it.`);
}

/** Any room but a DM and the triage room itself (private to the clinic team): a group's private room is still read by others. */
function inTheWrongRoom(event: InboundEvent, config: Config): boolean {
  const triage = clinicSettings(config).triageRoom;
  if (triage && triage.platform === event.platform && triage.id === event.room.id) return false;
  return looksLikeClinic(event.text, event.addressed);
}

export const clinicRoomGuard: RoomGuardSpec = { name: "clinic", matches: inTheWrongRoom, run: takeOut };
