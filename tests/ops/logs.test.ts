// Logs an operator can read: a line per command, per job and per delivery
// failure (never what anyone wrote), the stack of an error once rather than
// on every retry, and log files that logrotate can move away (SIGHUP).
import { mkdtempSync, readFileSync, renameSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createLogger, reopenLogFiles } from "../../bot/log.ts";
import { forgetSightings } from "../../bot/observe.ts";
import { SlackHarness } from "../slack/harness.ts";

describe("lines about the bot's work", () => {
  let h: SlackHarness;
  beforeEach(async () => {
    forgetSightings();
    h = await SlackHarness.start({ mode: "socket", channels: { C0GONE: { error: "not_in_channel" } } });
  });
  afterEach(async () => {
    await h.close();
  });

  it("one info line per command: its name, outcome, duration, member and event, never its text", async () => {
    await h.slash("U0ALICE", "C0GENERAL", "whoami");
    await h.slash("U0ALICE", "D0ALICE", "clinic ask Can our xyzzy-cooperative buy the bakery?");
    await h.slash("U0BOB", "C0GENERAL", "approve 99");

    const lines = h.logged("command");
    expect(lines.map((l) => [l.command, l.outcome, l.level])).toEqual([
      ["whoami", "ok", 30],
      ["clinic ask", "ok", 30],
      ["approve", "denied", 30],
    ]);
    const alice = h.memberId("U0ALICE");
    expect(lines[0]).toMatchObject({ memberId: alice, platform: "slack", eventId: expect.any(String), ms: expect.any(Number) });
    expect(lines[2]!.memberId).toBe(h.memberId("U0BOB"));
    expect(h.rawLogs.join("")).not.toContain("xyzzy");
  });

  it("one info line per job that ran, with how late it was", async () => {
    await h.slash("U0ALICE", "C0GENERAL", "remind me 1m ring the plugh-printer");
    await h.advance(90_000);

    const ran = h.logged("job ran").find((line) => line.job === "core.remind");
    expect(ran).toMatchObject({ level: 30, job: "core.remind", jobId: expect.any(Number), ms: expect.any(Number), lateMs: 30_000 });
    expect(h.rawLogs.join("")).not.toContain("plugh");
  });

  it("a delivery failing through an outage: a line per retry with its reason and time, the stack only on the first", async () => {
    await h.fake.goOffline("503");
    await h.slash("U0ALICE", "C0GENERAL", "test announce 1");
    await h.advance(1_000);
    await h.advance(2_000);

    const retries = h.logged("message delivery will be retried").filter((l) => l.channel === "slack:room:C0GENERAL");
    expect(retries.length).toBeGreaterThanOrEqual(3);
    expect(retries.map((l) => [l.reason, l.attempt, l.retryInMs])).toEqual([
      ["transient", 1, 1000],
      ["transient", 2, 2000],
      ["transient", 3, 4000],
      ...retries.slice(3).map((l) => ["transient", l.attempt, l.retryInMs]),
    ]);
    expect(retries[0]!.retryAt).toBe(new Date(h.clock.now() - 3_000 + 1_000).toISOString());
    expect(retries[0]!.err?.stack).toMatch(/Slack unreachable/);
    for (const later of retries.slice(1)) {
      expect(later.err).toBeUndefined();
      expect(later.error).toMatch(/^Slack unreachable/);
    }
    await h.fake.comeBack();
  });

  it("a delivery given up for good says so, with the reason, and no retry time", async () => {
    await h.slash("U0ALICE", "C0GONE", "test announce 1");

    const [gaveUp] = h.logged("message could not be delivered; giving up");
    expect(gaveUp).toMatchObject({ level: 40, reason: "permanent", platform: "slack", channel: "slack:room:C0GONE", attempt: 1 });
    expect(gaveUp!.retryAt).toBeUndefined();
  });
});

describe("log files and logrotate", () => {
  it("a log file is the bot's user's alone, and SIGHUP's reopen starts a new file where logrotate moved the old one", () => {
    const dir = mkdtempSync(join(tmpdir(), "coopbot-logs-"));
    const file = join(dir, "logs", "coopbot.log");
    const log = createLogger({ destination: file, level: "info" });
    log.info("before the rotation");
    expect(statSync(file).mode & 0o777).toBe(0o600);

    renameSync(file, `${file}.1`);
    log.info("still into the moved file until reopened");
    expect(reopenLogFiles()).toBeGreaterThanOrEqual(1);
    log.info("after the rotation");

    const msgs = (path: string) => readFileSync(path, "utf8").trim().split("\n").map((l) => (JSON.parse(l) as { msg: string }).msg);
    expect(msgs(`${file}.1`)).toEqual(["before the rotation", "still into the moved file until reopened"]);
    expect(msgs(file)).toEqual(["after the rotation"]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });
});
