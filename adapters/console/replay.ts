// `coopbot replay`: runs a transcript against a real bot on a virtual clock,
// so days of behaviour can be tested and shown in seconds.
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { DateTime } from "luxon";
import { Bot } from "../../bot/app.ts";
import type { Capability } from "../../bot/capability.ts";
import { ManualClock, systemClock } from "../../bot/clock.ts";
import { type Config, loadConfig } from "../../bot/config.ts";
import type { InboundEvent } from "../../bot/events.ts";
import type { Logger } from "../../bot/log.ts";
import { openDatabase, type Db } from "../../db/connection.ts";
import { ConsoleAdapter } from "./adapter.ts";
import { type ConsoleLine, formatJson, formatLine } from "./render.ts";
import { parseTranscript, type Step, TranscriptError } from "./transcript.ts";

export interface ReplayOptions {
  capabilities: readonly Capability[];
  /** Used unless the transcript names its own with @config. */
  configPath: string;
  /** The database file (kept); by default a temporary one, removed afterwards. */
  dbPath?: string;
  json?: boolean;
  /** Deliver every event twice, as a platform retrying would: the output must not change. */
  twice?: boolean;
  log: Logger;
  /** Receives each output line as it is produced. */
  write?: (text: string) => void;
}

export interface ReplayResult {
  /** Rendered output lines (multi-line messages split), as printed. */
  output: string[];
  /** Which transcript line produced which output lines (to write expectations in place). */
  producedBy: Map<number, string[]>;
  expected: { line: number; text: string }[];
}

const NO_SLEEP = async () => undefined;

export async function replayFile(file: string, opts: ReplayOptions): Promise<ReplayResult> {
  const transcript = parseTranscript(readFileSync(file, "utf8"), file);
  const first = transcript.steps[0]?.step;
  const configPath = first?.kind === "config" ? resolve(dirname(file), first.path) : opts.configPath;
  const config = loadConfig(configPath, opts.capabilities);
  const runner = new ReplayRunner(config, opts, startingClock(transcript.steps.map((s) => s.step), config.timezone));
  try {
    for (const { line, step } of transcript.steps) {
      try {
        runner.currentLine = line;
        await runner.run(step, line);
      } catch (err) {
        if (err instanceof TranscriptError) throw err;
        throw new TranscriptError(file, line, (err as Error).message);
      }
    }
  } finally {
    await runner.close();
  }
  return { output: runner.output, producedBy: runner.producedBy, expected: transcript.expected };
}

class ReplayRunner {
  readonly output: string[] = [];
  readonly producedBy = new Map<number, string[]>();
  currentLine = 0;
  private readonly clock: ManualClock;
  /** Always a file, so `@restart` is a real one: the connection closed, a new bot on the file. */
  private readonly dbPath: string;
  private readonly scratch: string | undefined;
  private bot: Bot;
  private adapter: ConsoleAdapter;
  private zone: string;
  private currentRoom = "general";
  private readonly roomKinds: Map<string, "public" | "private">;

  constructor(
    private readonly config: Config,
    private readonly opts: ReplayOptions,
    start: number | undefined,
  ) {
    this.zone = config.timezone;
    // The bot starts at the transcript's first @clock (so what it schedules
    // at start is on the virtual clock), else at the current minute.
    this.clock = new ManualClock(start ?? Math.floor(systemClock.now() / 60_000) * 60_000);
    this.scratch = opts.dbPath ? undefined : mkdtempSync(join(tmpdir(), "coopbot-replay-"));
    this.dbPath = opts.dbPath ?? join(this.scratch!, "replay.sqlite");
    this.roomKinds = new Map(Object.entries(config.console.rooms));
    // The console is the people's screen: it outlives a restart of the bot (buttons shown before stay clickable).
    this.adapter = new ConsoleAdapter(this.clock, () => this.zone, (line) => this.print(line), this.roomKinds);
    this.bot = this.boot();
  }

  private boot(): Bot {
    const db: Db = openDatabase(this.dbPath, { synchronous: "NORMAL" });
    const bot = new Bot({ config: this.config, capabilities: this.opts.capabilities, clock: this.clock, log: this.opts.log, db, dispatcher: { sleep: NO_SLEEP } });
    bot.attach(this.adapter);
    void this.adapter.start(bot);
    return bot;
  }

  private print(line: ConsoleLine): void {
    const text = this.opts.json ? formatJson(line) : formatLine(line);
    const lines = text.split("\n");
    this.output.push(...lines);
    this.producedBy.set(this.currentLine, [...(this.producedBy.get(this.currentLine) ?? []), ...lines]);
    this.opts.write?.(text);
  }

  async run(step: Step, line: number): Promise<void> {
    switch (step.kind) {
      case "config":
        return;
      case "clock": {
        if (step.zone) this.zone = step.zone;
        this.clock.set(DateTime.fromISO(step.iso, { zone: step.zone ?? this.zone }).toMillis());
        // Work that fell due while "the bot was down" runs now, late.
        return this.settle();
      }
      case "advance":
        return this.advance(step.ms);
      case "room":
        this.roomKinds.set(step.room, step.roomKind);
        return;
      case "restart":
        // As a real restart: every timer stopped, the database closed, a new bot opened on the file.
        await this.bot.stop();
        this.bot.close();
        this.bot = this.boot();
        return this.settle();
      case "say": {
        const room = this.roomFor(step.member, step.room);
        const event = this.adapter.eventFor(step.member, room, step.text, this.eventId(line, step.member, room, step.text));
        this.deliver(event);
        return this.settle();
      }
      case "click": {
        const button = this.adapter.findButton(step.member, step.label);
        if (!button) throw new Error(`${step.member} can see no button labelled "${step.label}"`);
        // A click happens where the message with the button is.
        const room = button.room;
        const event = this.adapter.eventFor(step.member, room, `/${button.command}`, this.eventId(line, step.member, room, `click:${button.command}`));
        this.deliver({ ...event, addressed: true, button: { messageRef: button.ref } });
        return this.settle();
      }
    }
  }

  private deliver(event: InboundEvent): void {
    this.bot.receive(event);
    if (this.opts.twice) this.bot.receive(event);
  }

  private roomFor(member: string, room: string | undefined): string {
    if (room === undefined) return this.currentRoom;
    if (room === "dm") return `dm:${member}`;
    this.currentRoom = room;
    return room;
  }

  /**
   * Stable per line and content, so replaying the same transcript on the
   * same database again is recognised as redelivery and changes nothing.
   */
  private eventId(line: number, member: string, room: string, text: string): string {
    const digest = createHash("sha256").update(`${this.clock.now()}|${member}|${room}|${text}`).digest("hex").slice(0, 16);
    return `replay:${line}:${digest}`;
  }

  /** Runs work due now and sends everything queued. */
  private async settle(): Promise<void> {
    this.bot.scheduler.runDue();
    await this.bot.dispatcher.drain();
  }

  /** Moves time forward stopping at each due job or retry, so each runs at its own time. */
  private async advance(ms: number): Promise<void> {
    const target = this.clock.now() + ms;
    for (;;) {
      const next = Math.min(this.bot.scheduler.nextDueAt() ?? Infinity, this.bot.dispatcher.nextRetryAt() ?? Infinity);
      if (next > target) break;
      this.clock.set(Math.max(this.clock.now(), next));
      await this.settle();
    }
    this.clock.set(target);
    await this.settle();
  }

  async close(): Promise<void> {
    await this.bot.stop();
    this.bot.close();
    if (this.scratch) rmSync(this.scratch, { recursive: true, force: true });
  }
}

/** The time of the transcript's first @clock, if it comes before anything happens. */
function startingClock(steps: Step[], configZone: string): number | undefined {
  for (const step of steps) {
    if (step.kind === "clock") return DateTime.fromISO(step.iso, { zone: step.zone ?? configZone }).toMillis();
    if (step.kind !== "config" && step.kind !== "room") return undefined;
  }
  return undefined;
}

/** Compares output with the transcript's `>` lines; returns a readable report or undefined when equal. */
export function compareOutput(result: ReplayResult, file: string): string | undefined {
  const expected = result.expected;
  const actual = result.output.map((l) => l.trimEnd());
  const n = Math.max(expected.length, actual.length);
  for (let i = 0; i < n; i++) {
    const want = expected[i];
    const got = actual[i];
    if (want?.text !== got) {
      const where = want ? `${file}:${want.line}` : `${file} (after the last expected line)`;
      return [`${where}: output differs`, `  expected: ${want?.text ?? "(nothing more)"}`, `  actual:   ${got ?? "(nothing more)"}`, "", "full output:", ...actual.map((l) => `> ${l}`)].join("\n");
    }
  }
  return undefined;
}

/** The transcript with its `>` lines replaced by this run's output, each after the line that caused it. */
export function withExpectations(source: string, result: ReplayResult): string {
  const out: string[] = [];
  source.split(/\r?\n/).forEach((text, index) => {
    if (text.startsWith(">")) return;
    out.push(text);
    for (const produced of result.producedBy.get(index + 1) ?? []) out.push(`> ${produced}`.trimEnd());
  });
  return out.join("\n");
}
