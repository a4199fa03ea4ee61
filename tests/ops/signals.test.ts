// SIGTERM to the built CLI running on Slack (the fake): intake closes first,
// the message on its way is finished, the WAL is checkpointed, exit 0. The
// grace period bounds the flush, and what it cut short is not doubled at
// the next start. A second signal exits at once. SIGHUP reopens the log.
import Database from "better-sqlite3";
import { existsSync, mkdtempSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from "vitest";
import { FakeSlackApi } from "../slack/fake-slack-api.ts";
import { FakeSocketMode } from "../slack/fake-socket-mode.ts";
import { directMessage } from "../slack/payloads.ts";
import { type BuiltPackage, buildPackage, childEnv, type Running, run, walBytes } from "./built.ts";

let pkg: BuiltPackage;
beforeAll(() => {
  pkg = buildPackage();
}, 120_000);
afterAll(() => pkg?.remove());

let fake: FakeSlackApi;
let socket: FakeSocketMode;
let dir: string;
let release: () => void;
beforeEach(async () => {
  fake = await FakeSlackApi.start();
  fake.now = () => Date.now(); // the bot runs on the wall clock here: Slack's timestamps must match it (its history is searched by time)
  fake.users.set("U0ALICE", { name: "alice" });
  socket = await FakeSocketMode.start();
  fake.socketUrl = socket.url;
  dir = mkdtempSync(join(tmpdir(), "coopbot-signals-"));
});
afterEach(async () => {
  release?.();
  await socket.close();
  await fake.close();
});

const db = () => join(dir, "coopbot.sqlite");

async function startBot(grace: string, extra: string[] = []): Promise<Running> {
  const config = join(dir, "coopbot.yaml");
  writeFileSync(config, `admins: [slack:UADMIN]\nshutdown: { grace: ${grace} }\n`);
  const env = childEnv({ SLACK_BOT_TOKEN: "xoxb-signals", SLACK_APP_TOKEN: "xapp-signals", SLACK_API_URL: fake.apiUrl, SLACK_PACING_MS: "5" });
  const bot = run(process.execPath, [pkg.cli, "start", "--adapter", "slack", "--db", db(), "--config", config, ...extra], { cwd: dir, env });
  await bot.waitFor(/"msg":"coopbot ready"/);
  return bot;
}

let seq = 0;
/** Alice writes `text` in her DM with the bot (the answer is a chat.postMessage there); resolves once acked. Tests send a command that writes, so its answer is an outbox row. */
async function dm(text: string): Promise<void> {
  seq++;
  await socket.send("events_api", directMessage({ user: "U0ALICE", channel: "D0ALICE", text, ts: `1712350${seq}.000100`, eventId: `Ev0SIG${seq}` }), { timeoutMs: 10_000 });
}

/** Holds Slack's answer to chat.postMessage (the message is recorded, the bot waits) until `release()`. */
function holdPosts(): Promise<void> {
  let reached!: () => void;
  const inFlight = new Promise<void>((resolve) => (reached = resolve));
  const gate = new Promise<void>((resolve) => (release = resolve));
  fake.beforeAnswer = async (method) => {
    if (method !== "chat.postMessage") return;
    reached();
    await gate;
  };
  return inFlight;
}

const outbox = () => {
  const sqlite = new Database(db(), { readonly: true });
  try {
    return sqlite.prepare("select state, channel from outbox order by id").all() as { state: string; channel: string }[];
  } finally {
    sqlite.close();
  }
};

it("SIGTERM: takes nothing new in, finishes the message on its way, checkpoints, exits 0", async () => {
  const bot = await startBot("10s");
  await socket.whenConnected();
  const inFlight = holdPosts();
  await dm("profile set interests tea");
  await inFlight;

  bot.child.kill("SIGTERM");
  // Intake closes while the answer is still held: Slack can't hand the bot anything more.
  await expect.poll(() => socket.send("events_api", {}, { timeoutMs: 200 }).then(() => "open", (err: Error) => err.message), { timeout: 10_000, interval: 50 }).toBe("no Socket Mode client is connected");
  expect(bot.child.exitCode).toBeNull();
  release();

  expect(await bot.exited).toEqual({ code: 0, signal: null });
  expect(outbox()).toEqual([{ state: "sent", channel: "slack:room:D0ALICE" }]);
  expect(walBytes(db())).toBe(0);
  expect(bot.out()).toMatch(/"msg":"stopping: taking nothing new in, sending what is waiting"[\s\S]*"msg":"stopped"/);
  expect(bot.out()).not.toContain("the grace period ran out");
});

it("the grace period bounds the flush; the next start checks Slack before sending what was cut short, so nothing is doubled", async () => {
  const first = await startBot("1s");
  await socket.whenConnected();
  const inFlight = holdPosts();
  await dm("profile set interests tea");
  await inFlight;

  first.child.kill("SIGTERM");
  expect(await first.exited).toEqual({ code: 0, signal: null });
  expect(first.out()).toContain("the grace period ran out: what is still waiting is sent at the next start");
  expect(outbox()).toEqual([{ state: "pending", channel: "slack:room:D0ALICE" }]);
  expect(walBytes(db())).toBe(0);

  // Slack had the message all along (only its answer was held).
  release();
  fake.beforeAnswer = undefined;
  const second = await startBot("10s");
  await expect.poll(() => outbox()[0]?.state ?? "none", { timeout: 20_000, interval: 50 }).toBe("sent");
  expect(fake.callsTo("chat.postMessage")).toHaveLength(1);
  second.child.kill("SIGTERM");
  expect((await second.exited).code).toBe(0);
});

it("a second signal exits at once, without waiting for the grace period", async () => {
  const bot = await startBot("60s");
  await socket.whenConnected();
  const inFlight = holdPosts();
  await dm("profile set interests tea");
  await inFlight;

  bot.child.kill("SIGTERM");
  await bot.waitFor(/"msg":"stopping: /);
  await new Promise((r) => setTimeout(r, 700)); // past the window in which a signal counts as npm's copy of the first
  bot.child.kill("SIGTERM");

  expect(await bot.exited).toEqual({ code: 143, signal: null });
  expect(bot.out()).toContain("second signal: exiting at once");
  expect(bot.out()).not.toContain("the grace period ran out");
});

it("SIGHUP reopens the log file where logrotate moved it", async () => {
  const log = join(dir, "coopbot.log");
  const config = join(dir, "coopbot.yaml");
  writeFileSync(config, "admins: [slack:UADMIN]\n");
  const env = childEnv({ SLACK_BOT_TOKEN: "xoxb-signals", SLACK_APP_TOKEN: "xapp-signals", SLACK_API_URL: fake.apiUrl });
  const bot = run(process.execPath, [pkg.cli, "start", "--adapter", "slack", "--db", db(), "--config", config, "--log", log], { cwd: dir, env });
  const logged = (path: string, msg: string) => existsSync(path) && readFileSync(path, "utf8").includes(`"msg":"${msg}"`);
  await expect.poll(() => logged(log, "coopbot ready"), { timeout: 30_000, interval: 25 }).toBe(true);

  renameSync(log, `${log}.1`);
  bot.child.kill("SIGHUP");
  await expect.poll(() => logged(log, "log files reopened"), { timeout: 10_000, interval: 25 }).toBe(true);
  bot.child.kill("SIGTERM");
  expect(await bot.exited).toEqual({ code: 0, signal: null });

  expect(logged(`${log}.1`, "coopbot ready")).toBe(true);
  expect(logged(log, "coopbot ready")).toBe(false);
  expect(logged(log, "stopped")).toBe(true);
});
