// What people type after `remind me`, as Slack's /remind takes it: the time
// first or last ("tomorrow at 9am send the agenda", "to send the agenda
// tomorrow at 9am", "\"send the agenda\" on 3 March"), a span ("in 2 hours",
// or the short 2h30m), or a repeat ("every weekday at 9 check the inbox"),
// which goes through the same RRULE engine as meetings. Pure: `now` and the
// member's zone are passed in. Errors are in the bot's markup (escaped).
import { parseDuration } from "../../bot/clock.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { findTimes, futureExamples, localWhen, type FoundTime } from "../../bot/natural-time.ts";
import { floatingToInstant, nextOccurrence, parseLocalIso, type Schedule } from "../meetings/recurrence.ts";
import { parseSchedule } from "../meetings/when.ts";

export type ReminderWhen = { kind: "once"; at: number } | { kind: "every"; schedule: Schedule; first: number };
export type ReminderInput = { ok: true; when: ReminderWhen; text: string } | { ok: false; error: string };

const REPEAT = /\b(every|each|daily|weekly|fortnightly|monthly|yearly|annually|weekdays)\b/i;
const QUOTED = /["\u201c]([^"\u201d]*)["\u201d]?/;

function examples(now: number, zone: string): string {
  const [a, b, c] = futureExamples(now, zone);
  return `e.g. ${cmd(`remind me ${a} send the agenda`)}, ${cmd(`remind me ${b} stretch`)}, ${cmd(`remind me to call Bea ${c}`)} or ${cmd("remind me every weekday at 9am check the inbox")}`;
}

/** "to send the agenda at" → "send the agenda": the words around the time that belong to neither. */
function cleanText(text: string): string {
  return text
    .trim()
    .replace(/^(?:me\s+)?(?:to|that|about)\s+/i, "")
    .replace(/\s+(?:at|on|by|in|from)$/i, "")
    .replace(/^[,:;–—-]\s*|\s*[,:;–—-]$/g, "")
    .trim();
}

/** A repeat said in `phrase` ("every weekday at 9"), with 09:00 when it names no time. */
function repeatOf(phrase: string, now: number, zone: string): { schedule: Schedule; first: number } | undefined {
  for (const when of [phrase, `${phrase} at 9:00`]) {
    const parsed = parseSchedule({ when }, zone, now);
    if (parsed.ok && parsed.schedule.rrule) {
      const start = floatingToInstant(parseLocalIso(parsed.schedule.start), zone);
      const first = start > now ? start : nextOccurrence(parsed.schedule, now);
      if (first !== null) return { schedule: parsed.schedule, first };
    }
  }
  return undefined;
}

/** The longest run of words at the start, else at the end, that says a repeat; the rest is the text. */
function splitRepeat(input: string, now: number, zone: string): ReminderInput | undefined {
  const words = input.split(/\s+/);
  for (let j = words.length; j >= 1; j--) {
    const found = repeatOf(words.slice(0, j).join(" "), now, zone);
    if (found) return { ok: true, when: { kind: "every", ...found }, text: cleanText(words.slice(j).join(" ")) };
  }
  for (let j = 1; j < words.length; j++) {
    const found = repeatOf(words.slice(j).join(" "), now, zone);
    if (found) return { ok: true, when: { kind: "every", ...found }, text: cleanText(words.slice(0, j).join(" ")) };
  }
  return undefined;
}

/** A time at the very start ("on" allowed before it), else one at the very end. */
function pickTime(input: string, now: number, zone: string): FoundTime | undefined {
  const found = findTimes(input, now, zone);
  const atStart = found.find((f) => /^(?:on|at)?\s*$/i.test(input.slice(0, f.index)));
  return atStart ?? found.find((f) => input.slice(f.end).trim() === "");
}

function once(at: number, text: string, now: number, zone: string): ReminderInput {
  if (at <= now) {
    return { ok: false, error: `${localWhen(at, zone, now)} is in the past (it's ${localWhen(now, zone, now)} in ${zone} now); ${examples(now, zone)}.` };
  }
  return { ok: true, when: { kind: "once", at }, text };
}

/** The time and the rest of the words (which may be empty: the caller decides). */
function split(input: string, now: number, zone: string): ReminderInput {
  if (!input) return { ok: false, error: `Say when and what, ${examples(now, zone)}.` };
  const [first = "", ...rest] = input.split(/\s+/);
  const span = parseDuration(first);
  if (span !== undefined) return once(now + span, cleanText(rest.join(" ")), now, zone);
  if (REPEAT.test(input)) {
    const repeat = splitRepeat(input, now, zone);
    if (repeat) return repeat;
    return { ok: false, error: `I couldn't tell how often. Say the repeat first, e.g. ${cmd("remind me every weekday at 9am check the inbox")} or ${cmd("remind me every monday at 17:00 send the rota")}.` };
  }
  const time = pickTime(input, now, zone);
  if (!time) return { ok: false, error: `I couldn't find when in that; ${examples(now, zone)}.` };
  const before = input.slice(0, time.index);
  const text = /^(?:on|at)?\s*$/i.test(before) ? input.slice(time.end) : before;
  return once(time.at, cleanText(text), now, zone);
}

/** What and when, from everything typed after `remind me`. */
export function parseReminder(raw: string, now: number, zone: string): ReminderInput {
  const input = raw.trim().replace(/^me\s+/i, "");
  const quoted = QUOTED.exec(input);
  if (quoted && quoted[1]!.trim()) {
    const rest = `${input.slice(0, quoted.index)} ${input.slice(quoted.index + quoted[0].length)}`.replace(/\s+/g, " ").trim();
    const parsed = split(rest, now, zone);
    if (parsed.ok && parsed.text) return { ok: false, error: `I couldn't read \`${esc(parsed.text)}\` as a time; ${examples(now, zone)}.` };
    return parsed.ok ? { ...parsed, text: quoted[1]!.trim() } : parsed;
  }
  const parsed = split(input, now, zone);
  if (parsed.ok && !parsed.text) return { ok: false, error: `What should I remind you of? ${examples(now, zone)}.` };
  return parsed;
}
