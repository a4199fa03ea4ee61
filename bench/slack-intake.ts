// Slack's side of the durable inbox: how long a request waits for its ack
// when many arrive at once. Real Bolt HTTP receiver, signed requests over
// keep-alive connections, the real adapter writing each to the inbox
// (group-committed) before acking, the core running them afterwards.
import { join } from "node:path";
import { Agent, request } from "node:http";
import { SlackAdapter } from "../adapters/slack/adapter.ts";
import { readSlackSettings } from "../adapters/slack/settings.ts";
import { Bot } from "../bot/app.ts";
import { systemClock } from "../bot/clock.ts";
import { buildConfig } from "../bot/config.ts";
import { silentLogger } from "../bot/log.ts";
import { capabilities } from "../commands/index.ts";
import { openDatabase } from "../db/connection.ts";
import { FakeSlackApi } from "../tests/slack/fake-slack-api.ts";
import { slashCommand } from "../tests/slack/payloads.ts";
import { signedHeaders } from "../tests/slack/signing.ts";
import { percentile } from "./stats.ts";
import { BENCH_LIMITS } from "./command-path.ts";

const SECRET = "bench-signing-secret";

export interface IntakeResult {
  synchronous: "NORMAL" | "FULL";
  requests: number;
  concurrency: number;
  acksPerSecond: number;
  p50ms: number;
  p99ms: number;
  maxMs: number;
  commits: number;
  /** Requests until every one has also run and its reply was delivered. */
  handledPerSecond: number;
}

export async function slackIntake(dir: string, n: number, concurrency: number, synchronous: "NORMAL" | "FULL"): Promise<IntakeResult> {
  const fake = await FakeSlackApi.start();
  const users = Array.from({ length: 50 }, (_, i) => `U0B${String(i).padStart(3, "0")}`);
  for (const u of users) fake.users.set(u, { name: u.toLowerCase() });
  const config = buildConfig({ admins: ["slack:UADMIN"], groups: [{ slug: "comms", name: "Communications Group", kind: "working", drivers: ["slack:U0B000"] }], limits: BENCH_LIMITS }, capabilities);
  const db = openDatabase(join(dir, `intake-${synchronous}.sqlite`), { synchronous });
  const bot = new Bot({ config, capabilities, clock: systemClock, log: silentLogger, db });
  const settings = readSlackSettings({ SLACK_BOT_TOKEN: "xoxb-bench", SLACK_SIGNING_SECRET: SECRET, SLACK_MODE: "http", SLACK_PORT: "0", SLACK_API_URL: fake.apiUrl, SLACK_PACING_MS: "0" });
  const adapter = new SlackAdapter({ settings, log: silentLogger });
  bot.attach(adapter);
  await bot.start();
  const port = adapter.httpPort!;
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const post = (i: number) => {
    const user = users[i % users.length]!;
    const body = new URLSearchParams(slashCommand({ user, userName: user, channel: `D${user.slice(1)}`, channelName: "directmessage", text: `log bench note ${i} --group comms`, trigger: `bench-${synchronous}-${i}`, responseUrl: fake.responseUrl(`r${i}`) })).toString();
    return new Promise<number>((resolve, reject) => {
      const t0 = performance.now();
      const req = request({ host: "127.0.0.1", port, path: "/slack/events", method: "POST", agent, headers: { "content-type": "application/x-www-form-urlencoded", "content-length": Buffer.byteLength(body), ...signedHeaders(SECRET, body) } }, (res) => {
        res.resume();
        res.on("end", () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`HTTP ${res.statusCode}`))));
      });
      req.on("error", reject);
      req.end(body);
    });
  };
  const commitsBefore = bot.inbox.stats.commits;
  const latencies: number[] = [];
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) latencies.push(await post(next++));
    }),
  );
  const ackedMs = performance.now() - t0;
  await adapter.idle();
  await bot.dispatcher.drain();
  const handledMs = performance.now() - t0;
  const commits = bot.inbox.stats.commits - commitsBefore;
  agent.destroy();
  await bot.stop();
  bot.close();
  await fake.close();
  latencies.sort((a, b) => a - b);
  return {
    synchronous,
    requests: n,
    concurrency,
    acksPerSecond: (n / ackedMs) * 1000,
    p50ms: percentile(latencies, 50),
    p99ms: percentile(latencies, 99),
    maxMs: latencies.at(-1)!,
    commits,
    handledPerSecond: (n / handledMs) * 1000,
  };
}
