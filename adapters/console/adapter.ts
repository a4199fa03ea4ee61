// The console adapter: the embedded default. Deliveries become printed lines
// (see render.ts); input comes from the interactive prompt or a transcript.
import { mkdirSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import type { Adapter, CorePort } from "../../bot/adapter.ts";
import type { Clock } from "../../bot/clock.ts";
import type { Delivery, InboundEvent, RoomKind } from "../../bot/events.ts";
import { CONSOLE_PREFIX, type ConsoleLine, toConsoleLine } from "./render.ts";

export class ConsoleAdapter implements Adapter {
  readonly platform = "console" as const;
  readonly capabilities = { buttons: true, ephemeral: true, edit: true, files: true };
  readonly commandPrefix = CONSOLE_PREFIX;
  /** Everything delivered, newest last: lets `clicks` find a button. */
  readonly history: ConsoleLine[] = [];
  private core: CorePort | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly zone: () => string,
    private readonly emit: (line: ConsoleLine) => void,
    /** Room kinds from the config (`triage: private`); anything else is public, `dm:*` is a DM. */
    private readonly roomKinds: Map<string, "public" | "private">,
    /** Where attached files are saved (the interactive console); replays and tests only describe them. */
    private readonly filesDir?: string,
  ) {}

  async start(core: CorePort): Promise<void> {
    this.core = core;
  }

  async stop(): Promise<void> {
    this.core = undefined;
  }

  async deliver(delivery: Delivery): Promise<{ ref?: string }> {
    const line = toConsoleLine(delivery, this.clock.now(), this.zone());
    if (line.file && this.filesDir) line.file.savedTo = this.save(delivery.id, line.file.name, line.file.data);
    this.history.push(line);
    this.emit(line);
    return { ref: `console:${delivery.kind === "update" ? delivery.editsRef : delivery.id}` };
  }

  /** Saves a file as `<outbox id>-<name>` (the name is ours, never a path someone typed). */
  private save(id: number, name: string, data: string): string {
    mkdirSync(this.filesDir!, { recursive: true, mode: 0o700 });
    const path = join(this.filesDir!, `${id}-${name.replace(/[^\w.-]/g, "_")}`);
    writeFileSync(path, Buffer.from(data, "base64"), { mode: 0o600 });
    return relative(process.cwd(), path) || path;
  }

  roomKind(room: string): RoomKind {
    if (room.startsWith("dm:")) return "dm";
    return this.roomKinds.get(room) ?? "public";
  }

  setRoomKind(room: string, kind: "public" | "private"): void {
    this.roomKinds.set(room, kind);
  }

  /**
   * A line typed as `member` in `room`. In a room, only `/command` lines are
   * addressed to the bot (others reach listeners, like `#action` notes); in
   * the DM everything is.
   */
  eventFor(member: string, room: string, text: string, eventId: string): InboundEvent {
    const kind = this.roomKind(room);
    const addressed = kind === "dm" || text.startsWith(CONSOLE_PREFIX);
    return {
      platform: "console",
      eventId,
      // Console lines are visible messages the bot may "remove" (shown as a note).
      messageRef: `console-msg:${eventId}`,
      visibleInRoom: true,
      sender: { platformId: member, displayName: member },
      room: { id: room, kind, name: room },
      text: addressed && text.startsWith(CONSOLE_PREFIX) ? text.slice(CONSOLE_PREFIX.length) : text,
      addressed,
    };
  }

  /** The newest button with this label that `member` can see, for a click. */
  findButton(member: string, label: string): { command: string; ref: string; room: string } | undefined {
    for (let i = this.history.length - 1; i >= 0; i--) {
      const line = this.history[i]!;
      const canSee = !line.private || line.member === member;
      const button = line.buttons.find((b) => b.label.toLowerCase() === label.toLowerCase());
      if (canSee && button) return { command: button.command, ref: `${i}`, room: line.room };
    }
    return undefined;
  }

  get corePort(): CorePort | undefined {
    return this.core;
  }
}
