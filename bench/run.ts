// `npm run bench`: every benchmark, as medians over rounds, each with its
// ratio to a baseline measured in the same run on this machine. Writes
// bench/RESULTS.md.
import { mkdtempSync, writeFileSync } from "node:fs";
import { cpus, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { rawBaseline, rawSameRows } from "./baseline.ts";
import { coopbotAck, coopbotCommands } from "./command-path.ts";
import { hubotLog } from "./peer-hubot.ts";
import { schedulerBench } from "./scheduler.ts";
import { slackIntake } from "./slack-intake.ts";
import { bareImport, bareNode, coopbotStart, ensureBuilt } from "./start.ts";
import { table } from "./stats.ts";

const N = Number(process.env.BENCH_N ?? 3000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const MEETINGS = Number(process.env.BENCH_MEETINGS ?? 100_000);
const START_RUNS = Number(process.env.BENCH_START_RUNS ?? 5);
const INTAKE_N = Number(process.env.BENCH_INTAKE_N ?? 2000);
/** `BENCH_ONLY=start`: only the start section (it needs no other; the big-database row is left out). */
const ONLY = process.env.BENCH_ONLY;

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "coopbot-bench-"));
  const sections: string[] = [];
  const say = (text: string) => {
    process.stdout.write(text + "\n");
    sections.push(text);
  };

  say(`# coopbot benchmarks\n\n${machine()}\n\n${N} commands per round, median of ${ROUNDS} rounds after a warm-up round.`);
  if (ONLY === "start") {
    say(await startSection(dir));
    return; // RESULTS.md holds the whole run only
  }

  const raw = await rawBaseline(dir, N, ROUNDS);
  const sameRows = await rawSameRows(dir, N, ROUNDS);
  const write = await coopbotCommands(dir, N, ROUNDS, "write");
  const read = await coopbotCommands(dir, N, ROUNDS, "read");
  const ack = await coopbotAck(dir, N, ROUNDS);
  const hubot = await hubotLog(N, ROUNDS);
  say(
    [
      "\n## Command path (one command at a time, receive → reply delivered)\n",
      table(
        ["what", "commands/s", "× raw", "p50 µs", "p50 × raw", "p99 µs", "p99 × raw p50", "target"],
        [
          ["raw better-sqlite3 baseline (1 tx: member, group, insert, counter)", raw.perSecond, 1, raw.p50us, 1, raw.p99us, raw.p99us / raw.p50us, ""],
          [`coopbot writing: \`${write.command}\` (${write.messagesPerCommand} messages each)`, write.timing.perSecond, write.timing.perSecond / raw.perSecond, write.timing.p50us, write.timing.p50us / raw.p50us, write.timing.p99us, write.timing.p99us / raw.p50us, "≥0.5× tput, p50 ≤2×, p99 ≤10×"],
          ["raw, the same rows coopbot's `log` writes (inbound, action, trail, job, 2 outbox) + marking them sent", sameRows.perSecond, sameRows.perSecond / raw.perSecond, sameRows.p50us, sameRows.p50us / raw.p50us, sameRows.p99us, sameRows.p99us / raw.p50us, "(second baseline)"],
          ["coopbot read-only: `groups`", read.timing.perSecond, read.timing.perSecond / raw.perSecond, read.timing.p50us, read.timing.p50us / raw.p50us, read.timing.p99us, read.timing.p99us / raw.p50us, ""],
          ["coopbot writing, acknowledged (committed with its outbox; delivery, between commands, not timed)", ack.timing.perSecond, ack.timing.perSecond / raw.perSecond, ack.timing.p50us, ack.timing.p50us / raw.p50us, ack.timing.p99us, ack.timing.p99us / raw.p50us, ""],
        ],
      ),
      "\n### The issue's targets, checked in this run\n",
      table(
        ["target", "this run", "met?"],
        [
          ["writing command ≥ 0.5× the raw baseline's throughput", `${(write.timing.perSecond / raw.perSecond).toFixed(2)}×`, write.timing.perSecond / raw.perSecond >= 0.5 ? "yes" : "no"],
          ["latency p50 ≤ 2× the baseline's per-transaction time", `${(write.timing.p50us / raw.p50us).toFixed(1)}× (acknowledged only: ${(ack.timing.p50us / raw.p50us).toFixed(1)}×)`, write.timing.p50us / raw.p50us <= 2 ? "yes" : "no"],
          ["latency p99 ≤ 10× the baseline's per-transaction time", `${(write.timing.p99us / raw.p50us).toFixed(1)}× (acknowledged only: ${(ack.timing.p99us / raw.p50us).toFixed(1)}×)`, write.timing.p99us / raw.p50us <= 10 ? "yes" : "no"],
        ],
      ),
      `\nWhy the gap: the baseline is four statements in one transaction. coopbot's \`log\` also records the inbound event (dedupe), a trail entry and a 7-day nudge job, queues the reply and the driver's Verify card in the outbox in the same transaction, and then delivers both and records them sent. The second baseline writes exactly those rows with raw statements: that durable work alone costs ${(raw.perSecond / sameRows.perSecond).toFixed(1)}× in throughput; the framework (parsing, zod, permissions, drizzle, JSON, the dispatcher) costs ${(sameRows.perSecond / write.timing.perSecond).toFixed(1)}× on top.`,

      "\n## Peer: Hubot 14, in-memory brain, same flow\n",
      table(
        ["what", "commands/s", "coopbot / Hubot"],
        [
          ["Hubot `log` (in memory: lost on restart)", hubot.perSecond, ""],
          ["coopbot writing (durable: SQLite + outbox)", write.timing.perSecond, write.timing.perSecond / hubot.perSecond],
          ["coopbot read-only", read.timing.perSecond, read.timing.perSecond / hubot.perSecond],
        ],
      ),
    ].join("\n"),
  );

  const writeFull = await coopbotCommands(dir, N, ROUNDS, "write", "FULL");
  const intake = [await slackIntake(dir, INTAKE_N, 50, "NORMAL"), await slackIntake(dir, INTAKE_N, 50, "FULL")];
  const fullRatio = writeFull.timing.perSecond / write.timing.perSecond;
  say(
    [
      "\n## Durability: `synchronous = NORMAL` (the default) against `FULL`\n",
      table(
        ["what", "commands/s", "× NORMAL", "p50 µs", "p99 µs"],
        [
          ["coopbot writing, NORMAL", write.timing.perSecond, 1, write.timing.p50us, write.timing.p99us],
          ["coopbot writing, FULL (an fsync at every commit)", writeFull.timing.perSecond, fullRatio, writeFull.timing.p50us, writeFull.timing.p99us],
        ],
      ),
      `\nFULL ${fullRatio >= 2 / 3 ? "keeps" : "does not keep"} two thirds of NORMAL's throughput here (${fullRatio.toFixed(2)}×), so the default ${fullRatio >= 2 / 3 ? "could be" : "stays"} NORMAL; \`storage.synchronous: full\` in the config chooses FULL (README: what a power cut can lose in each mode).`,
      `\n## Slack: time to the ack, ${INTAKE_N} signed slash commands over 50 connections at once\n`,
      table(
        ["synchronous", "acks/s", "ack p50 ms", "ack p99 ms", "ack max ms", "inbox commits", "requests per commit", "handled and answered /s"],
        intake.map((r) => [r.synchronous, r.acksPerSecond, r.p50ms, r.p99ms, r.maxMs, r.commits, r.requests / r.commits, r.handledPerSecond]),
      ),
      "\nEach request is written to the inbox before Bolt acknowledges it; requests that arrive together share one commit. The fake Slack, the clients and the bot share one process and event loop here, so the figures include the bot running and answering the commands at the same time (Slack allows 3,000 ms).",
    ].join("\n"),
  );

  const sched = await schedulerBench(dir, MEETINGS);
  say(
    [
      `\n## Scheduler: ${MEETINGS.toLocaleString("en-GB")} recurring meetings in Europe/London\n`,
      table(
        ["what", "figure", "baseline", "ratio"],
        [
          ["schedule all (per meeting: row + plan job + next occurrence computed)", `${(sched.scheduleMs / 1000).toFixed(1)} s (${((sched.scheduleMs * 1000) / MEETINGS).toFixed(0)} µs each)`, `raw insert of meeting + job: ${(sched.rawScheduleMs / 1000).toFixed(1)} s`, `${(sched.rawScheduleMs / sched.scheduleMs).toFixed(2)}× raw speed`],
          ["memory while scheduling (RSS growth / heap after)", `${sched.rssMb.toFixed(0)} MB / ${sched.heapMb.toFixed(0)} MB`, "", ""],
          ["start (open, migrate, seed, start loops) with them in the database", `${sched.startMs.toFixed(0)} ms`, `empty database: ${sched.emptyStartMs.toFixed(0)} ms`, `${(sched.startMs / sched.emptyStartMs).toFixed(2)}×`],
          ["jobs in the database before / after that start (none created: nothing re-expanded)", `${sched.jobsAtStart} / ${sched.jobsAfterStart}`, "", ""],
          ["two simulated days, 1 s scheduler ticks: jobs run / messages sent", `${sched.dayJobs} / ${sched.dayMessages}`, "", ""],
          ["lateness (virtual clock moved by the work done) p50 / p99", `${sched.lateP50ms} ms / ${sched.lateP99ms} ms`, "tick = 1,000 ms", ""],
          ["due-job dispatch throughput (wall time in ticks with work)", `${Math.round((sched.dayJobs / sched.busyWallMs) * 1000)} jobs/s (+ their messages)`, "", ""],
        ],
      ),
    ].join("\n"),
  );

  say(await startSection(dir, sched.dbPath));

  writeFileSync(new URL("./RESULTS.md", import.meta.url), sections.join("\n") + "\n");
}

/** Cold start and peak RSS of the built CLI against the bare-import anchor, all measured here and now. */
async function startSection(dir: string, bigDb?: string): Promise<string> {
  ensureBuilt();
  const bare = await bareNode(START_RUNS);
  const anchor = await bareImport(START_RUNS);
  let n = 0;
  const fresh = await coopbotStart(() => join(dir, `fresh-${++n}.sqlite`), START_RUNS);
  const restart = await coopbotStart(join(dir, "fresh-1.sqlite"), START_RUNS);
  const big = bigDb ? await coopbotStart(bigDb, START_RUNS) : undefined;
  const tsx = await coopbotStart(join(dir, "fresh-1.sqlite"), START_RUNS, "tsx");
  const row = (what: string, r: { readyMs: number; peakRssMb: number }) => [what, r.readyMs, r.readyMs / anchor.readyMs, r.peakRssMb, r.peakRssMb / anchor.peakRssMb];
  const met = (ok: boolean) => (ok ? "yes" : "no");
  return [
    "\n## Start: cold start to ready (the CLI, console adapter), /usr/bin/time -v\n",
    table(
      ["what", "to ready ms", "× anchor", "peak RSS MB", "× anchor"],
      [
        ["bare `node -e`", bare.readyMs, bare.readyMs / anchor.readyMs, bare.peakRssMb, bare.peakRssMb / anchor.peakRssMb],
        row("anchor: bare import of better-sqlite3 + drizzle + zod + luxon (bench/anchor.mjs)", anchor),
        row("coopbot built (dist/), existing database: a restart", restart),
        row("coopbot built, new database (migrate + seed the federation's groups)", fresh),
        ...(big ? [row(`coopbot built, database with ${MEETINGS.toLocaleString("en-GB")} meetings`, big)] : []),
        row("coopbot through tsx (development), existing database", tsx),
      ],
    ),
    "\n### The issue's targets, checked in this run\n",
    table(
      ["target", "restart", "new database", "met?"],
      [
        ["cold start to ready ≤ 1.5× the anchor", `${(restart.readyMs / anchor.readyMs).toFixed(2)}×`, `${(fresh.readyMs / anchor.readyMs).toFixed(2)}×`, met(restart.readyMs / anchor.readyMs <= 1.5)],
        ["peak RSS ≤ 1.3× the anchor", `${(restart.peakRssMb / anchor.peakRssMb).toFixed(2)}×`, `${(fresh.peakRssMb / anchor.peakRssMb).toFixed(2)}×`, met(restart.peakRssMb / anchor.peakRssMb <= 1.3)],
      ],
    ),
    "\nThe built CLI loads the platform SDKs only for the adapter asked for (esbuild's splitting; Slack's and Matrix's chunks are not read by a console start) and prom-client only when monitoring is on. Peak RSS is the whole run's, start to `:quit` and the stop.",
    "\nWhere the rest of the start goes (CPU profiles, `node --cpu-prof dist/main.mjs start`, against the anchor's, at a quieter moment; Node 20, no compile cache): the anchor's whole run took about 0.4 s, and the bot was ready after about 0.75 s (1.9×). Loading and compiling the bundle (~1.6 MB of code: zod with all its locales, yaml, luxon, rrule, commander, pino, drizzle and the commands) took until ~0.32 s, about what the anchor's whole run takes; the rest is the start's own work: parsing the YAML config (~150 ms cold, now skipped on a restart by the config cache beside the database), validating the config with zod, time zones included (~40 ms), opening the database and seeding the config's groups, admins and roles through drizzle at every start (~80 ms), the dispatcher's first pass and the checkpointer's worker (~30 ms), and pino's first line (~15 ms). Not done here: seeding only what changed since the last start, statements prepared once by hand instead of through drizzle's builder, a bundle without zod's locales and with the YAML parser loaded only when the config has changed, and Node 22's compile cache (NODE_COMPILE_CACHE) for repeated starts.",
  ].join("\n");
}

function machine(): string {
  const cpu = cpus()[0]?.model ?? "unknown CPU";
  return `Machine: ${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform}/${process.arch}.`;
}

await main();
