// Health and metrics on the bot's HTTP server (`http.monitoring: true`),
// scraped the way a service manager and Prometheus would, with the real
// Slack adapter (Socket Mode) against the fake Slack.
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildConfig } from "../../bot/config.ts";
import { SlackHarness } from "../slack/harness.ts";
import { parseExposition } from "./prometheus.ts";

let h: SlackHarness;
afterEach(async () => {
  await h?.close();
});

const url = (path: string) => `http://127.0.0.1:${h.bot.httpAddress()!.port}${path}`;
const get = async (path: string) => {
  const res = await fetch(url(path));
  return { status: res.status, type: res.headers.get("content-type") ?? "", text: await res.text() };
};
const ready = async () => {
  const res = await get("/readyz");
  return { code: res.status, ...(JSON.parse(res.text) as { status: string; checks: Record<string, { ok: boolean; detail?: string }> }) };
};

describe("off by default", () => {
  it("a config without `monitoring` serves no health or metrics routes, and the server stays on loopback", async () => {
    expect(buildConfig({ http: { port: 8080 } }, []).http).toEqual({ port: 8080, host: "127.0.0.1", monitoring: false });
    h = await SlackHarness.start({ mode: "socket", config: { http: { port: 0 } } });
    // The clinic's website intake keeps the server up; the monitoring routes aren't there.
    expect((await get("/healthz")).status).toBe(404);
    expect((await get("/metrics")).status).toBe(404);
  });
});

describe("with monitoring on", () => {
  const monitored = { mode: "socket" as const, config: { http: { port: 0, monitoring: true } } };
  beforeEach(async () => {
    h = await SlackHarness.start(monitored);
  });

  it("/healthz answers while the process is alive", async () => {
    const res = await get("/healthz");
    expect(res.status).toBe(200);
    expect(JSON.parse(res.text)).toEqual({ status: "alive" });
  });

  it("/readyz goes not-ready when Slack goes away, and ready again when it comes back", async () => {
    await h.close();
    // Short Socket Mode timings, so the adapter notices and reconnects in milliseconds.
    h = await SlackHarness.start({ ...monitored, adapter: { reconnectDelayMs: 20, socketPingTimeoutMs: 50 } });
    expect(await ready()).toMatchObject({ code: 200, status: "ready", checks: { database: { ok: true }, "adapter:slack": { ok: true }, scheduler: { ok: true } } });

    await h.fake.goOffline("refuse");
    h.socket!.dropConnections();
    await expect.poll(async () => (await ready()).code, { timeout: 10_000, interval: 20 }).toBe(503);
    expect((await ready()).checks["adapter:slack"]).toEqual({ ok: false, detail: "disconnected" });

    await h.fake.comeBack();
    await expect.poll(async () => (await ready()).code, { timeout: 10_000, interval: 20 }).toBe(200);
    expect((await ready()).checks["adapter:slack"]).toEqual({ ok: true });
  });

  it("/readyz is not ready while the database takes no writes (a full disk), and says so", async () => {
    const raise = "begin select raise(fail, 'database or disk is full'); end";
    h.bot.db.$client.exec(`create trigger full_disk_insert before insert on meta when new.key = 'health:probe' ${raise}`);
    h.bot.db.$client.exec(`create trigger full_disk_update before update on meta when new.key = 'health:probe' ${raise}`);

    const r = await ready();
    expect(r.code).toBe(503);
    expect(r.status).toBe("not ready");
    expect(r.checks.database).toEqual({ ok: false, detail: "not writable: database or disk is full" });

    h.bot.db.$client.exec("drop trigger full_disk_insert; drop trigger full_disk_update");
    expect((await ready()).code).toBe(200);
  });

  it("/readyz is not ready while a due job waits more than a minute, and ready once the scheduler has run it", async () => {
    h.bot.db.$client.prepare("insert into jobs (kind, key, due_at, payload, created_at) values ('no-such-kind', 'ops-test', ?, '{}', ?)").run(h.clock.now() - 90_000, h.clock.now());

    const r = await ready();
    expect(r.code).toBe(503);
    expect(r.status).toBe("not ready");
    expect(r.checks.scheduler).toEqual({ ok: false, detail: "the oldest due job is 90 s late" });

    h.bot.tick(); // a job of an unknown kind is marked skipped
    expect((await ready()).code).toBe(200);
  });

  it("/metrics is Prometheus text with commands, latency, deliveries, failures, the outbox, the inbox, jobs and file sizes", async () => {
    await h.slash("U0ALICE", "C0GENERAL", "help");
    await h.slash("U0ALICE", "C0GENERAL", "nosuchcommand");
    h.fake.rateLimitNext("chat.postMessage", 30);
    await h.slash("U0ALICE", "C0GENERAL", "test announce 1"); // the post is rate limited: it waits in the outbox

    const res = await get("/metrics");
    expect(res.status).toBe(200);
    expect(res.type).toMatch(/^text\/plain; version=0\.0\.4/);
    const m = parseExposition(res.text);

    expect(m.value("coopbot_commands_total", { command: "help", outcome: "ok" })).toBe(1);
    expect(m.value("coopbot_commands_total", { command: "(unknown)", outcome: "unknown" })).toBe(1);
    expect(m.types.get("coopbot_command_duration_seconds")).toBe("histogram");
    expect(m.value("coopbot_command_duration_seconds_count", { command: "help" })).toBe(1);
    expect(m.value("coopbot_command_duration_seconds_bucket", { command: "help", le: "+Inf" })).toBe(1);
    expect(m.value("coopbot_deliveries_total", { platform: "slack" })).toBeGreaterThanOrEqual(2);
    expect(m.value("coopbot_delivery_failures_total", { platform: "slack", reason: "rate_limited" })).toBe(1);
    expect(m.value("coopbot_outbox_pending", { platform: "slack" })).toBe(1);
    expect(m.value("coopbot_outbox_oldest_pending_age_seconds", { platform: "slack" })).toBe(0);
    expect(m.value("coopbot_inbox_backlog", { platform: "slack" })).toBe(0);
    expect(m.value("coopbot_jobs_due")).toBe(0);
    expect(m.value("coopbot_scheduler_lag_seconds")).toBe(0);
    expect(m.value("coopbot_adapter_connected", { platform: "slack" })).toBe(1);
    expect(m.value("coopbot_database_size_bytes")).toBeGreaterThan(0);
    expect(m.value("coopbot_database_wal_size_bytes")).toBeGreaterThanOrEqual(0);
    expect(m.types.get("process_resident_memory_bytes")).toBe("gauge");

    // The bot's clock moves: the waiting message ages, then goes out when its retry is due.
    h.clock.advance(20_000);
    expect(parseExposition((await get("/metrics")).text).value("coopbot_outbox_oldest_pending_age_seconds", { platform: "slack" })).toBe(20);
    await h.advance(10_000);
    const after = parseExposition((await get("/metrics")).text);
    expect(after.value("coopbot_outbox_pending", { platform: "slack" })).toBe(0);
    expect(after.value("coopbot_outbox_oldest_pending_age_seconds", { platform: "slack" })).toBe(0);
  });

  it("jobs that run are counted by kind and outcome, and jobs due show until they run", async () => {
    await h.slash("U0ALICE", "C0GENERAL", "remind me 2m send the agenda");
    h.clock.advance(3 * 60_000);
    const due = parseExposition((await get("/metrics")).text);
    expect(due.value("coopbot_jobs_due")).toBe(1);
    expect(due.value("coopbot_scheduler_lag_seconds")).toBe(60);

    await h.advance(0);
    const ran = parseExposition((await get("/metrics")).text);
    expect(ran.value("coopbot_jobs_total", { kind: "core.remind", outcome: "ok" })).toBe(1);
    expect(ran.value("coopbot_jobs_due")).toBe(0);
  });
});
