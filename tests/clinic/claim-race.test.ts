// Two bot processes on one SQLite file, six triagers clicking Claim on every
// enquiry at once: each enquiry gets exactly one winner, and everyone else
// is told who has it.
import { fork, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { MANY_AT_ONCE } from "../helpers/bot.ts";
import { CLINIC_CONFIG, staffClinic, useClinicBots } from "./harness.ts";

const bots = useClinicBots();
const WORKER = fileURLToPath(new URL("./claim-race-worker.ts", import.meta.url));
const ENQUIRIES = 30;

function startWorker(): ChildProcess {
  const env = { ...process.env };
  delete env.NODE_EXTRA_CA_CERTS; // ~115 ms per process start on this machine (STACK.md)
  return fork(WORKER, [], { execArgv: ["--import", "tsx"], env, stdio: ["ignore", "inherit", "inherit", "ipc"] });
}

const nextMessage = <T>(child: ChildProcess) =>
  new Promise<T>((resolve, reject) => {
    child.once("message", (m) => resolve(m as T));
    child.once("exit", (code) => reject(new Error(`worker exited early (code ${code})`)));
  });

describe("claiming from two processes at once", () => {
  it("gives every enquiry exactly one triager, however the clicks interleave", async () => {
    // Six triagers clicking Claim on every enquiry at once, faster than people could.
    const t = bots({ config: { limits: MANY_AT_ONCE } });
    const triagers = ["tara", "uma", "vic", "wes", "xan", "yas"];
    await staffClinic(t, { triagers });
    for (let i = 1; i <= ENQUIRIES; i++) await t.say("alice", `clinic ask question number ${i} about our rules and our money`, "dm:alice");
    t.take();
    const refs = Array.from({ length: ENQUIRIES }, (_, i) => `CL-${String(i + 1).padStart(4, "0")}`);
    const config = { admins: ["console:admin"], timezone: "Europe/London", ...CLINIC_CONFIG, limits: MANY_AT_ONCE };
    const plan = (mine: string[], order: string[]) => ({ dbPath: t.dbPath, now: t.clock.now(), config, triagers: mine, refs: order });

    const workers = [startWorker(), startWorker()];
    try {
      const ready = workers.map((w) => nextMessage<{ ready: true }>(w));
      workers[0]!.send(plan(triagers.slice(0, 3), refs));
      workers[1]!.send(plan(triagers.slice(3), [...refs].reverse()));
      await Promise.all(ready);
      const done = workers.map((w) => nextMessage<{ outcomes: string[]; began: number; ended: number }>(w));
      const startAt = Date.now() + 200;
      for (const w of workers) w.send({ startAt });
      const reports = await Promise.all(done);
      // They raced: each process was clicking while the other was.
      const [a, b] = [reports[0]!, reports[1]!];
      expect(a.began < b.ended && b.began < a.ended, `the two processes' clicks didn't overlap: ${JSON.stringify(reports.map((r) => [r.began, r.ended]))}`).toBe(true);
      const outcomes = reports.flatMap((r) => r.outcomes);
      expect(outcomes).toHaveLength(ENQUIRIES * triagers.length);
      expect(new Set(outcomes)).toEqual(new Set(["ok", "refused"]));
      expect(outcomes.filter((o) => o === "ok")).toHaveLength(ENQUIRIES);
    } finally {
      for (const w of workers) if (w.exitCode === null) w.kill();
    }

    const rows = t.db.$client.prepare("select id, claimed_by as claimedBy, state from clinic_enquiries order by id").all() as { id: number; claimedBy: number; state: string }[];
    expect(rows.every((r) => r.state === "claimed" && r.claimedBy !== null)).toBe(true);
    const messages = (t.db.$client.prepare("select message from outbox").all() as { message: string }[]).map((r) => JSON.parse(r.message).text as string);
    for (const row of rows) {
      const ref = `CL-${String(row.id).padStart(4, "0")}`;
      // One winner told privately, the card edited once, five others told who has it.
      expect(messages.filter((m) => m.startsWith(`✋ You claimed *${ref}*`))).toHaveLength(1);
      expect(messages.filter((m) => m.startsWith(`*${ref}* · via chat — ✋ claimed by <@${row.claimedBy}>`))).toHaveLength(1);
      expect(messages.filter((m) => m === `${ref} is already claimed by <@${row.claimedBy}>.`)).toHaveLength(triagers.length - 1);
    }
    // (Which process wins depends on scheduling: on a busy machine one may take them all. That they
    // clicked at the same time is asserted above; the guarantee is exactly one winner per enquiry.)
  }, 120_000);
});
