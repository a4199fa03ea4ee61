// How the console (and transcript replays) show what the bot sends:
//   [2026-08-17 09:00] bot -> comms: text           (a room)
//   [2026-08-17 09:00] bot -> alice (private): text (only alice sees it)
//   [2026-08-17 09:00] bot -> dm:alice: text        (alice's DM with the bot)
// continuation lines indented by two spaces, buttons as [Label: /command],
// an attached file as a 📎 line (where it was saved, if it was) followed by
// its text alternative, which is what the console can show of a picture.
import { DateTime } from "luxon";
import type { Delivery } from "../../bot/events.ts";
import { renderPlain } from "../../bot/markup.ts";

export const CONSOLE_PREFIX = "/";

export interface ConsoleLine {
  at: string;
  room: string;
  member: string | null;
  private: boolean;
  edited?: boolean;
  removed?: boolean;
  text: string;
  buttons: { label: string; command: string }[];
  file?: ConsoleFile;
}

export interface ConsoleFile {
  name: string;
  mimeType: string;
  /** Size of the file in bytes. */
  size: number;
  width?: number;
  height?: number;
  alt: string;
  /** The bytes, base64 (tests read them; never printed). */
  data: string;
  /** Where the interactive console saved it. */
  savedTo?: string;
}

function fileOf(d: Delivery): ConsoleFile | undefined {
  const f = d.message.file;
  if (!f) return undefined;
  return { name: f.name, mimeType: f.mimeType, size: Buffer.byteLength(f.data, "base64"), width: f.width, height: f.height, alt: f.alt, data: f.data };
}

function fileLines(f: ConsoleFile): string[] {
  const kind = f.width && f.height ? `${f.mimeType}, ${f.width}×${f.height}` : `${f.mimeType}, ${f.size.toLocaleString("en-GB")} bytes`;
  return [`  📎 ${f.name} (${kind})${f.savedTo ? ` saved to ${f.savedTo}` : ""}`, ...f.alt.split("\n").map((l) => `  ${l}`)];
}

export function toConsoleLine(d: Delivery, at: number, zone: string): ConsoleLine {
  const text = renderPlain(d.message.text, {
    prefix: CONSOLE_PREFIX,
    mentionName: (id) => d.mentions[id]?.platformId ?? d.mentions[id]?.displayName ?? `member-${id}`,
  });
  const file = fileOf(d);
  const base = { at: DateTime.fromMillis(at, { zone }).toFormat("yyyy-MM-dd'T'HH:mm"), text, buttons: d.message.buttons ?? [], ...(d.kind === "update" ? { edited: true } : {}), ...(d.kind === "remove" ? { removed: true } : {}), ...(file ? { file } : {}) };
  switch (d.target.kind) {
    case "room":
      return { ...base, room: d.target.roomId, member: d.target.roomId.startsWith("dm:") ? d.target.roomId.slice(3) : null, private: d.target.roomId.startsWith("dm:") };
    case "ephemeral":
      return { ...base, room: d.target.roomId, member: d.target.platformId, private: true };
    case "member":
      return { ...base, room: `dm:${d.target.platformId}`, member: d.target.platformId, private: true };
  }
}

export function formatLine(line: ConsoleLine): string {
  const who = line.room.startsWith("dm:") || !line.private ? line.room : `${line.member} (private)`;
  const edited = line.edited ? " (edited)" : line.removed ? " (removed a message)" : "";
  const [first = "", ...rest] = line.text.split("\n");
  const out = [`[${line.at.replace("T", " ")}] bot -> ${who}${edited}: ${first}`, ...rest.map((l) => `  ${l}`)];
  if (line.buttons.length > 0) out.push(`  ${line.buttons.map((b) => `[${b.label}: ${CONSOLE_PREFIX}${b.command}]`).join(" ")}`);
  if (line.file) out.push(...fileLines(line.file));
  return out.join("\n");
}

export function formatJson(line: ConsoleLine): string {
  return JSON.stringify({ at: line.at, room: line.room, member: line.member, private: line.private, ...(line.edited ? { edited: true } : {}), ...(line.removed ? { removed: true } : {}), text: line.text, buttons: line.buttons, ...(line.file ? { file: { ...line.file, data: undefined } } : {}) });
}
