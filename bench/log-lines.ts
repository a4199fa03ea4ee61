// What the log safety layers (bot/log-safety.ts) cost per line: the bot's
// logger against a bare pino with the same destination, for the lines the
// command path writes at info; the last-line scrubber on its own; and the
// Slack SDK filter when its debug lines are off (the production default).
// Rounds are interleaved and the fastest kept, so a busy machine skews less.
//
//   npx tsx bench/log-lines.ts
import { pino } from "pino";
import { boltLogger } from "../adapters/slack/bolt-logger.ts";
import { createLogger } from "../bot/log.ts";
import { scrubLine } from "../bot/log-safety.ts";

const N = 100_000;
const ROUNDS = 15;
// Both write to /dev/null as createLogger writes a log file (synchronously),
// so the line is really encoded and written, as it is in production.
const bare = pino({ level: "info" }, pino.destination({ dest: "/dev/null", sync: true }));
const safe = createLogger({ level: "info", destination: "/dev/null" });
const info = (log: typeof bare) => (i: number) => log.info({ outboxId: i, channel: "C0GENERAL", retryInMs: 1000, rateLimited: false }, "message delivery will be retried");
const err = Object.assign(new Error("An API error occurred: not_in_channel"), { code: "slack_webapi_platform_error", data: { ok: false, error: "not_in_channel" } });
const warn = (log: typeof bare) => (i: number) => log.warn({ err, outboxId: i }, "message could not be delivered; giving up");
const line = `{"level":30,"time":1786953600000,"pid":4242,"hostname":"coopbot","platform":"slack","eventId":"Ev0123ABCDEF","outcome":"ok","command":"clinic ask","msg":"slack event handled"}`;
const tokenLine = `${line.slice(0, -1)},"detail":"auth xoxb-1-2-abc failed"}`;
const bolt = boltLogger(safe);
const debugBody = `http request body: ${JSON.stringify({ channel: "D0ALICE", text: "a question", blocks: [] })}`;

const cases: [string, (i: number) => unknown][] = [
  ["info line, bare pino", info(bare)],
  ["info line, the bot's logger", info(safe)],
  ["warn line with err, bare pino", warn(bare)],
  ["warn line with err, the bot's logger", warn(safe)],
  ["scrubLine, nothing to scrub (200 chars)", () => scrubLine(line)],
  ["scrubLine, a token to scrub", () => scrubLine(tokenLine)],
  ["Slack SDK debug line at info (dropped)", () => bolt.debug(debugBody)],
];

const best = new Map<string, number>();
for (let round = 0; round <= ROUNDS; round++) {
  for (const [what, op] of cases) {
    const t0 = performance.now();
    for (let i = 0; i < N; i++) op(i);
    const ns = ((performance.now() - t0) * 1e6) / N;
    if (round > 0) best.set(what, Math.min(best.get(what) ?? Infinity, ns));
  }
}
for (const [what, ns] of best) console.log(`${what.padEnd(44)} ${(ns / 1000).toFixed(2).padStart(6)} µs`);
