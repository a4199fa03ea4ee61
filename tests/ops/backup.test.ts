// Backups as an operator takes them: `coopbot backup` while the bot is busy
// writing, `coopbot restore` refused while a bot holds the database and
// accepted once it has stopped, and a restored bot that does again nothing
// the backup had already done. Scheduled backups keep only the newest few.
import Database from "better-sqlite3";
import { existsSync, mkdtempSync, readdirSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BackupSchedule, backupName, scheduledBackups } from "../../bot/backup-schedule.ts";
import { ManualClock } from "../../bot/clock.ts";
import { silentLogger } from "../../bot/log.ts";
import type { Services } from "../../bot/context.ts";
import { FakeSlackApi } from "../slack/fake-slack-api.ts";
import { FakeSocketMode } from "../slack/fake-socket-mode.ts";
import { directMessage } from "../slack/payloads.ts";
import { type BuiltPackage, buildPackage, childEnv, type Running, run } from "./built.ts";

let pkg: BuiltPackage;
beforeAll(() => {
  pkg = buildPackage();
}, 120_000);
afterAll(() => pkg?.remove());

const tmp = () => mkdtempSync(join(tmpdir(), "coopbot-backup-"));
const coopbot = (args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; stdin?: string } = {}) =>
  run(process.execPath, [pkg.cli, ...args], { cwd: opts.cwd ?? pkg.root, env: opts.env, stdin: opts.stdin });

function query<T>(file: string, sql: string): T[] {
  const sqlite = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return sqlite.prepare(sql).all() as T[];
  } finally {
    sqlite.close();
  }
}
const count = (file: string, sql: string) => query<{ n: number }>(file, sql)[0]!.n;

describe("coopbot backup and restore, with the console bot running", () => {
  it("a backup taken while the bot writes is whole (integrity_check), private, one file, and restore waits for the bot to stop", async () => {
    const dir = tmp();
    const db = join(dir, "data", "coopbot.sqlite");
    const backup = join(dir, "copy.sqlite");
    // A script, not a person, types here: the per-member command limit is lifted.
    const config = join(dir, "coopbot.yaml");
    writeFileSync(config, "admins: [console:admin]\nlimits: { commands: { burst: 1000000, perSecond: 1000000 } }\n");
    const bot = coopbot(["start", "--db", db, "--config", config], { cwd: dir });
    await bot.waitFor(/coopbot ready/);

    // A stream of commands that write, each a transaction (the ledger, the profile, the answer in the outbox), for as long as the backup takes.
    let writing = true;
    const stream = (async () => {
      while (writing) {
        bot.child.stdin!.write("/profile set interests tea\n".repeat(20));
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    await expect.poll(() => count(db, "select count(*) as n from outbox"), { timeout: 20_000, interval: 20 }).toBeGreaterThan(100);
    const taken = coopbot(["backup", backup, "--db", db]);
    const result = await taken.exited;
    writing = false;
    await stream;
    expect(result).toEqual({ code: 0, signal: null });
    expect(taken.out()).toMatch(/^backup written: .*copy\.sqlite .*its integrity check passed/);

    expect(query<{ integrity_check: string }>(backup, "pragma integrity_check")).toEqual([{ integrity_check: "ok" }]);
    expect(statSync(backup).mode & 0o777).toBe(0o600);
    expect(existsSync(`${backup}-wal`)).toBe(false);
    expect(query<{ journal_mode: string }>(backup, "pragma journal_mode")).toEqual([{ journal_mode: "delete" }]);
    // One committed state: every command in the copy has its answer in the copy.
    const commands = count(backup, "select count(*) as n from inbound_events");
    expect(commands).toBeGreaterThan(100);
    expect(count(backup, "select count(*) as n from outbox")).toBe(commands);

    const refused = coopbot(["restore", backup, "--db", db]);
    expect((await refused.exited).code).toBe(2);
    expect(refused.err()).toMatch(new RegExp(`a bot is running on ${db} \\(pid ${bot.child.pid} on this host\\): stop it first`));
    expect(count(db, "select count(*) as n from outbox")).toBeGreaterThan(commands); // untouched

    bot.child.stdin!.end(":quit\n");
    expect(await bot.exited).toEqual({ code: 0, signal: null });
    const before = count(db, "select count(*) as n from outbox");

    const restored = coopbot(["restore", backup, "--db", db]);
    expect(await restored.exited).toEqual({ code: 0, signal: null });
    expect(count(db, "select count(*) as n from outbox")).toBe(commands);
    expect(statSync(db).mode & 0o777).toBe(0o600);
    const kept = readdirSync(join(dir, "data")).find((name) => name.startsWith("coopbot.sqlite.before-restore-"))!;
    expect(restored.out()).toContain(`the database it replaced is kept as ${join(dir, "data", kept)}`);
    expect(count(join(dir, "data", kept), "select count(*) as n from outbox")).toBe(before);
  });

  it("refuses a file that is not a coopbot backup, and changes nothing", async () => {
    const dir = tmp();
    const db = join(dir, "coopbot.sqlite");
    await coopbot(["start", "--db", db], { stdin: "/profile set interests tea\n:quit\n" }).exited;
    const junk = join(dir, "junk.sqlite");
    writeFileSync(junk, "not a database at all");

    const refused = coopbot(["restore", junk, "--db", db]);
    expect((await refused.exited).code).toBe(2);
    expect(refused.err()).toBe(`coopbot: ${junk} is not a SQLite database\n`);
    expect(count(db, "select count(*) as n from outbox")).toBe(1);
    expect(readdirSync(dir).filter((n) => n.includes("before-restore"))).toEqual([]);
  });
});

describe("a restored bot on Slack", () => {
  let fake: FakeSlackApi;
  let socket: FakeSocketMode;
  beforeAll(async () => {
    fake = await FakeSlackApi.start();
    fake.now = () => Date.now(); // the bot runs on the wall clock here
    fake.users.set("U0ALICE", { name: "alice" });
    socket = await FakeSocketMode.start();
    fake.socketUrl = socket.url;
  });
  afterAll(async () => {
    await socket?.close();
    await fake?.close();
  });

  const im = (text: string, n: number) => directMessage({ user: "U0ALICE", channel: "D0ALICE", text, ts: `17123500${n}.000100`, eventId: `Ev0RESTORE${n}` });
  const sentCount = (db: string) => count(db, "select count(*) as n from outbox where state = 'sent'");

  async function startBot(dir: string, db: string): Promise<Running> {
    const config = join(dir, "coopbot.yaml");
    writeFileSync(config, "admins: [slack:UADMIN]\n");
    const env = childEnv({ SLACK_BOT_TOKEN: "xoxb-restore", SLACK_APP_TOKEN: "xapp-restore", SLACK_API_URL: fake.apiUrl, SLACK_PACING_MS: "5" });
    const bot = coopbot(["start", "--adapter", "slack", "--db", db, "--config", config], { cwd: dir, env });
    await bot.waitFor(/"msg":"coopbot ready"/);
    return bot;
  }

  it("does nothing twice that the backup had done: Slack's retry of an event it handled is ignored, its answer not sent again", async () => {
    const dir = tmp();
    const db = join(dir, "coopbot.sqlite");
    const backup = join(dir, "before.sqlite");

    const first = await startBot(dir, db);
    await socket.whenConnections(0);
    await socket.send("events_api", im("profile set interests tea", 1), { timeoutMs: 10_000 });
    await expect.poll(() => sentCount(db), { timeout: 20_000, interval: 20 }).toBe(1);
    expect((await coopbot(["backup", backup, "--db", db]).exited).code).toBe(0);
    await socket.send("events_api", im("profile set interests tea", 2), { timeoutMs: 10_000 });
    await expect.poll(() => sentCount(db), { timeout: 20_000, interval: 20 }).toBe(2);
    first.child.kill("SIGTERM");
    expect((await first.exited).code).toBe(0);
    expect(fake.callsTo("chat.postMessage")).toHaveLength(2);

    expect((await coopbot(["restore", backup, "--db", db]).exited).code).toBe(0);
    const second = await startBot(dir, db);
    await socket.whenConnections(1);
    // Slack retries the first event (it never saw the ack, say); then something new comes.
    await socket.send("events_api", im("profile set interests tea", 1), { retry_attempt: 1, retry_reason: "timeout", timeoutMs: 10_000 });
    await socket.send("events_api", im("profile set interests tea", 3), { timeoutMs: 10_000 });
    await expect.poll(() => sentCount(db), { timeout: 20_000, interval: 20 }).toBe(2);
    second.child.kill("SIGTERM");
    expect((await second.exited).code).toBe(0);

    // The first answer once, the second before the restore, the third after: nothing twice.
    expect(fake.callsTo("chat.postMessage")).toHaveLength(3);
    expect(count(db, "select count(*) as n from inbound_events where event_id like '%RESTORE1%'")).toBe(1);
  });
});

describe("scheduled backups", () => {
  it("takes one at start when none is recent, then when `every` has passed, and keeps only the newest `keep`", async () => {
    const dir = tmp();
    const db = join(dir, "coopbot.sqlite");
    const sqlite = new Database(db);
    sqlite.exec("create table meta (key text primary key, value text); insert into meta values ('k', 'v')");
    sqlite.close();
    const clock = new ManualClock(Date.parse("2026-08-17T09:00:00Z"));
    const backups = join(dir, "backups");
    const schedule = new BackupSchedule({ clock, log: silentLogger } as unknown as Services, { source: db, dir: backups, everyMs: 3600_000, keep: 2 });
    schedule.start();
    await schedule.check();
    expect(scheduledBackups(backups).map((b) => b.file)).toEqual([join(backups, "coopbot-20260817T090000Z.sqlite")]);

    clock.advance(30 * 60_000);
    await schedule.check(); // not due yet
    expect(scheduledBackups(backups)).toHaveLength(1);

    for (let hour = 0; hour < 3; hour++) {
      clock.advance(3600_000);
      await schedule.check();
    }
    await schedule.stop();
    expect(readdirSync(backups).sort()).toEqual([backupName(Date.parse("2026-08-17T11:30:00Z")), backupName(Date.parse("2026-08-17T12:30:00Z"))]);
    expect(statSync(backups).mode & 0o777).toBe(0o700);
    for (const b of scheduledBackups(backups)) expect(statSync(b.file).mode & 0o777).toBe(0o600);
  });
});
