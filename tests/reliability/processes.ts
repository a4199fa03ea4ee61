// Starting and talking to child bot processes for the fault suite.
import { type ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import type { InboundEvent } from "../../bot/events.ts";

const CHILD = new URL("./child-bot.ts", import.meta.url).pathname;

export interface ChildBot {
  proc: ChildProcessWithoutNullStreams;
  acks: Map<string, string>;
  /** When each ack arrived (this process's clock): shows when the child was working. */
  ackTimes: number[];
  ready: Promise<void>;
  exited: Promise<void>;
  send(events: InboundEvent[]): void;
  /** Writes one raw line (e.g. "go") to the child. */
  say(line: string): void;
  /** The child's dispatcher figures, asked for with `say("stats")`. */
  stats: { delivered: number; leasesLost: number; waitedBehind: number; heldByAnother: number } | undefined;
  waitForAcks(ids: string[], timeoutMs?: number): Promise<void>;
}

export function startChild(env: Record<string, string>): ChildBot {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  // Adds ~115 ms to every Node start on this machine (STACK.md) and isn't needed here.
  delete childEnv.NODE_EXTRA_CA_CERTS;
  const proc = spawn(process.execPath, ["--import", "tsx", CHILD], { env: childEnv, stdio: ["pipe", "pipe", "pipe"] });
  const acks = new Map<string, string>();
  const ackTimes: number[] = [];
  let stderr = "";
  proc.stderr.on("data", (chunk) => (stderr += String(chunk)));
  let markReady: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  const exited = new Promise<void>((resolve) => proc.once("exit", () => resolve()));
  createInterface({ input: proc.stdout }).on("line", (line) => {
    const msg = JSON.parse(line) as { ready?: boolean; ack?: string; outcome?: string; stats?: ChildBot["stats"] };
    if (msg.stats) child.stats = msg.stats;
    if (msg.ready) markReady();
    if (msg.ack) {
      acks.set(msg.ack, msg.outcome!);
      ackTimes.push(performance.now());
    }
  });
  proc.stdin.on("error", () => undefined); // writes after a kill
  const child: ChildBot = {
    proc,
    acks,
    ackTimes,
    ready: Promise.race([ready, exited.then(() => Promise.reject(new Error(`child exited before ready: ${stderr}`)))]),
    exited,
    send(events) {
      for (const e of events) proc.stdin.write(JSON.stringify(e) + "\n");
    },
    say(line) {
      proc.stdin.write(line + "\n");
    },
    async waitForAcks(ids, timeoutMs = 15_000) {
      const deadline = performance.now() + timeoutMs;
      while (!ids.every((id) => acks.has(id))) {
        if (performance.now() > deadline) throw new Error(`timed out waiting for ${ids.filter((id) => !acks.has(id)).length} acks; stderr: ${stderr}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    stats: undefined,
  };
  return child;
}

export function consoleEvent(eventId: string, member: string, text: string, room = "general"): InboundEvent {
  return { platform: "console", eventId, sender: { platformId: member, displayName: member }, room: { id: room, kind: "public" }, text, addressed: true };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
