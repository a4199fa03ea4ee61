// The interactive console: type as any member, in any room, and see what the
// bot sends. `:as bob`, `:room comms`, `:dm`, `:click Approve`, `:quit`.
import { randomUUID } from "node:crypto";
import { createInterface } from "node:readline";
import type { Bot } from "../../bot/app.ts";
import type { Clock } from "../../bot/clock.ts";
import { ConsoleAdapter } from "./adapter.ts";
import { formatLine } from "./render.ts";

const HELP = [
  "You are typing into coopbot's console. Commands start with / (e.g. /help, /groups, /join comms).",
  "  :as <name>     speak as another member (e.g. :as admin — the example config's admin)",
  "  :room <name>   move to a room (e.g. :room comms); :dm talks to the bot privately",
  "  :click <Label> press the newest button with that label",
  "  :quit          leave",
].join("\n");

/** `filesDir`: where files the bot sends (charts, exports) are saved for you to open. */
export function createConsoleAdapter(clock: Clock, zone: string, roomKinds: Record<string, "public" | "private">, filesDir?: string): ConsoleAdapter {
  return new ConsoleAdapter(clock, () => zone, (line) => write(formatLine(line)), new Map(Object.entries(roomKinds)), filesDir);
}

/** Writes a line while someone still reads our output; after that, lines go nowhere (the bot is stopping). */
function write(text: string): void {
  if (process.stdout.writable) process.stdout.write(text + "\n");
}

/**
 * Whoever read our output went away (`coopbot start | head`, a closed
 * terminal): stop as after `:quit`, gracefully, instead of dying of an
 * unhandled EPIPE with a command half-way and the WAL unchecked.
 */
function whenOutputCloses(stop: () => void): void {
  process.stdout.on("error", () => stop());
}

export async function runInteractiveConsole(bot: Bot, adapter: ConsoleAdapter, opts: { member: string }): Promise<void> {
  let member = opts.member;
  let room = "general";
  const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: process.stdin.isTTY });
  // In a terminal, readline takes Ctrl-C itself: treat it as `:quit` (the bot then stops gracefully).
  rl.on("SIGINT", () => rl.close());
  whenOutputCloses(() => rl.close());
  const prompt = () => {
    if (!process.stdout.writable) return;
    rl.setPrompt(`${member}@${room}> `);
    rl.prompt();
  };
  write(HELP);
  prompt();
  for await (const input of rl) {
    const text = input.trim();
    if (text === ":quit" || text === ":q") break;
    if (text.startsWith(":")) {
      const [meta, ...rest] = text.split(/\s+/);
      const arg = rest.join(" ");
      if (meta === ":as" && arg) member = arg;
      else if (meta === ":room" && arg) room = arg.replace(/^#/, "");
      else if (meta === ":dm") room = `dm:${member}`;
      else if (meta === ":click" && arg) {
        const button = adapter.findButton(member, arg);
        if (!button) write(`(no button labelled "${arg}" for ${member})`);
        else {
          bot.receive({ ...adapter.eventFor(member, button.room, `/${button.command}`, randomUUID()), addressed: true, button: { messageRef: button.ref } });
          await bot.dispatcher.drain();
        }
      } else write(HELP);
    } else if (text) {
      bot.receive(adapter.eventFor(member, room.startsWith("dm:") ? `dm:${member}` : room, text, randomUUID()));
      await bot.dispatcher.drain();
    }
    prompt();
  }
  rl.close();
}
