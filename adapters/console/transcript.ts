// The transcript format replayed by `coopbot replay` (see README):
//   # comment                      blank lines are ignored too
//   @config path.yaml              (first line only) the config to use
//   @clock 2026-08-17T09:00 [zone] set the virtual clock; work due by then runs (late)
//   @advance 2h30m                 move forward, running due work at its due time
//   @room triage private           declare a room's kind (default public)
//   @restart                       stop the bot and start it again on the same database
//   alice: /join comms             alice types in the current room (initially `general`)
//   alice in comms: /join comms    ... in a named room
//   alice in dm: join comms        ... in her direct messages with the bot
//   bob clicks Approve             bob presses the newest button labelled Approve he can see
//   > [2026-08-17 09:00] bot -> ...  expected output (checked by `--check` and the tests)
import { DateTime, IANAZone } from "luxon";
import { parseDuration } from "../../bot/clock.ts";

export type Step =
  | { kind: "config"; path: string }
  | { kind: "clock"; iso: string; zone?: string }
  | { kind: "advance"; ms: number }
  | { kind: "room"; room: string; roomKind: "public" | "private" }
  | { kind: "restart" }
  | { kind: "say"; member: string; room?: string; text: string }
  | { kind: "click"; member: string; label: string };

export interface ParsedTranscript {
  steps: { line: number; step: Step }[];
  expected: { line: number; text: string }[];
}

export class TranscriptError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = "TranscriptError";
  }
}

const NAME = "[A-Za-z][\\w.-]*";
const ROOM = "#?[\\w:-]+";
const SAY = new RegExp(`^(${NAME})(?:\\s+in\\s+(${ROOM}))?\\s*:\\s?(.*)$`);
const CLICK = new RegExp(`^(${NAME})\\s+clicks\\s+"?([^"]+?)"?\\s*$`);

export function parseTranscript(text: string, file = "transcript"): ParsedTranscript {
  const steps: ParsedTranscript["steps"] = [];
  const expected: ParsedTranscript["expected"] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = index + 1;
    if (raw.startsWith(">")) {
      expected.push({ line, text: raw.replace(/^> ?/, "").trimEnd() });
      return;
    }
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    const step = parseStep(trimmed, (reason) => {
      throw new TranscriptError(file, line, reason);
    });
    if (step.kind === "config" && steps.length > 0) throw new TranscriptError(file, line, "@config must come before anything else");
    steps.push({ line, step });
  });
  return { steps, expected };
}

function parseStep(line: string, fail: (reason: string) => never): Step {
  if (line.startsWith("@")) return parseDirective(line, fail);
  const click = CLICK.exec(line);
  if (click) return { kind: "click", member: click[1]!, label: click[2]! };
  const say = SAY.exec(line);
  if (say) {
    if (say[3]!.trim() === "") fail("a message line needs some text after the colon");
    return { kind: "say", member: say[1]!, room: roomName(say[2]), text: say[3]! };
  }
  return fail(`cannot read this line; expected \`name: text\`, \`name in room: text\`, \`name clicks Label\` or an @directive`);
}

function parseDirective(line: string, fail: (reason: string) => never): Step {
  const [directive, ...args] = line.split(/\s+/);
  switch (directive) {
    case "@config":
      if (args.length !== 1) fail("@config takes one path");
      return { kind: "config", path: args[0]! };
    case "@clock": {
      if (args.length < 1 || args.length > 2) fail("@clock takes a local date-time and an optional zone, e.g. @clock 2026-08-17T09:00 Europe/London");
      if (args[1] && !IANAZone.isValidZone(args[1])) fail(`unknown time zone ${args[1]}`);
      if (!DateTime.fromISO(args[0]!, { zone: "UTC" }).isValid) fail(`not a date-time: ${args[0]}`);
      return { kind: "clock", iso: args[0]!, zone: args[1] };
    }
    case "@advance": {
      const ms = args.length === 1 ? parseDuration(args[0]!) : undefined;
      if (ms === undefined) return fail("@advance takes a duration like 2h30m, 45m or 7d");
      return { kind: "advance", ms };
    }
    case "@room":
      if (args.length !== 2 || !["public", "private"].includes(args[1]!)) fail("@room takes a name and public|private");
      return { kind: "room", room: roomName(args[0])!, roomKind: args[1] as "public" | "private" };
    case "@restart":
      if (args.length) fail("@restart takes nothing");
      return { kind: "restart" };
    default:
      return fail(`unknown directive ${directive}`);
  }
}

function roomName(room: string | undefined): string | undefined {
  if (room === undefined) return undefined;
  const name = room.replace(/^#/, "");
  return name;
}
