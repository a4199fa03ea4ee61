// The built `coopbot` command as an operator runs it: from a package root
// with dist/ and no sources, on a new database (migrations from the build),
// with private files, clear errors, `doctor`, and the systemd unit.
import { execFileSync } from "node:child_process";
import { chmodSync, existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeSlackApi } from "../slack/fake-slack-api.ts";
import { FakeSocketMode } from "../slack/fake-socket-mode.ts";
import { TestSmtpServer } from "../helpers/smtp.ts";
import { type BuiltPackage, buildPackage, childEnv, REPO, run, walBytes } from "./built.ts";

let pkg: BuiltPackage;
beforeAll(() => {
  pkg = buildPackage();
}, 120_000);
afterAll(() => pkg?.remove());

const tmp = () => mkdtempSync(join(tmpdir(), "coopbot-cli-"));
const mode = (path: string) => statSync(path).mode & 0o777;
const coopbot = (args: string[], opts: { stdin?: string; env?: NodeJS.ProcessEnv } = {}) => run(process.execPath, [pkg.cli, ...args], { cwd: pkg.root, stdin: "stdin" in opts ? opts.stdin : "", env: opts.env });

it("--help lists what an operator does: start, replay, backup, restore, doctor", async () => {
  const help = coopbot(["--help"]);
  expect(await help.exited).toEqual({ code: 0, signal: null });
  for (const command of ["start", "replay", "backup", "restore", "doctor"]) expect(help.out()).toMatch(new RegExp(`^  ${command} `, "m"));
  expect(existsSync(join(pkg.root, "bot"))).toBe(false); // nothing here but the build
});

it("starts from the build on a new database (its migrations come from dist/), answers, and leaves private files and no WAL", async () => {
  const data = join(tmp(), "data");
  const db = join(data, "coopbot.sqlite");
  const bot = coopbot(["start", "--db", db], { stdin: "/whoami\n:quit\n" });

  expect(await bot.exited).toEqual({ code: 0, signal: null });
  expect(bot.out()).toContain("coopbot ready: workers.coop");
  expect(bot.out()).toMatch(/bot -> admin \(private\): You are \*admin\*/);
  expect(mode(data)).toBe(0o700);
  expect(mode(db)).toBe(0o600);
  expect(mode(join(data, "coopbot.log"))).toBe(0o600);
  expect(walBytes(db)).toBe(0);
  const log = readFileSync(join(data, "coopbot.log"), "utf8");
  expect(log).toMatch(/"command":"whoami","outcome":"ok"/);
  expect(log).toMatch(/"msg":"stopped"/);
});

it("stops gracefully when whatever reads its output goes away (`coopbot start | head -1`), instead of dying of EPIPE", async () => {
  const data = join(tmp(), "data");
  const db = join(data, "coopbot.sqlite");
  const bot = coopbot(["start", "--db", db], { stdin: undefined });
  await bot.waitFor(/coopbot ready/);
  bot.child.stdout!.destroy(); // the reader is gone: the bot's next line meets a closed pipe
  bot.child.stdin!.write("/groups\n");

  expect(await bot.exited).toEqual({ code: 0, signal: null });
  expect(bot.err()).not.toContain("EPIPE");
  const log = readFileSync(join(data, "coopbot.log"), "utf8");
  expect(log).toMatch(/"reason":"the console closed","msg":"stopping/);
  expect(log).toMatch(/"msg":"stopped"/);
  expect(walBytes(db)).toBe(0);
});

it("narrows a database and log an earlier version left readable by others, and says so", async () => {
  const data = tmp();
  const db = join(data, "coopbot.sqlite");
  await coopbot(["start", "--db", db], { stdin: ":quit\n" }).exited;
  chmodSync(db, 0o644);
  chmodSync(join(data, "coopbot.log"), 0o644);

  expect((await coopbot(["start", "--db", db], { stdin: ":quit\n" }).exited).code).toBe(0);
  expect(mode(db)).toBe(0o600);
  expect(mode(join(data, "coopbot.log"))).toBe(0o600);
  expect(readFileSync(join(data, "coopbot.log"), "utf8")).toContain("made the database and log files readable by the bot's user only (0600)");
});

describe("clear errors at start", () => {
  it("a file that is not a SQLite database: names it, and says how to restore the newest backup", async () => {
    const data = tmp();
    const db = join(data, "coopbot.sqlite");
    writeFileSync(db, "these are not the pages you are looking for\n".repeat(200), { mode: 0o600 });
    execFileSync("mkdir", ["-p", join(data, "backups")]);
    writeFileSync(join(data, "backups", "coopbot-20260801T033000Z.sqlite"), "");
    writeFileSync(join(data, "backups", "coopbot-20260802T033000Z.sqlite"), "");

    const bot = coopbot(["start", "--db", db], { stdin: ":quit\n" });
    expect((await bot.exited).code).toBe(2);
    expect(bot.err()).toContain(`coopbot: ${db} is not a SQLite database, or its first page is damaged (SQLITE_NOTADB`);
    expect(bot.err()).toContain(`coopbot restore ${join(data, "backups", "coopbot-20260802T033000Z.sqlite")} --db ${db}`);
    expect(bot.err()).not.toMatch(/\n\s+at /); // no stack
  });

  it("a config mistake: the file, the line and column, the field and what was expected", async () => {
    const config = join(tmp(), "coopbot.yaml");
    writeFileSync(config, "admins: [console:admin]\nstorage:\n  retentionDays: thirty\n");
    const bot = coopbot(["start", "--config", config, "--db", ":memory:"]);
    expect((await bot.exited).code).toBe(2);
    expect(bot.err()).toBe(`coopbot: config error in ${config}:\n  - line 3, column 18: storage.retentionDays: Invalid input: expected number, received string (got "thirty")\n`);
  });
});

describe("doctor", () => {
  it("says what to fix: a missing token, loose file modes, and passes a healthy setup", async () => {
    const data = tmp();
    const db = join(data, "coopbot.sqlite");
    await coopbot(["start", "--db", db], { stdin: ":quit\n" }).exited;
    chmodSync(db, 0o644);

    const sick = coopbot(["doctor", "--adapter", "slack", "--db", db], { env: childEnv({ SLACK_APP_TOKEN: "xapp-1" }) });
    expect((await sick.exited).code).toBe(1);
    expect(sick.out()).toContain("FAIL  slack: SLACK_BOT_TOKEN is not set: copy the Bot User OAuth Token");
    expect(sick.out()).toContain(`warn  ${db} can be read by other users (0644)`);
    expect(sick.out()).toContain(`→ chmod 600 ${db}`);
    expect(sick.out()).toMatch(new RegExp(`ok    database ${db}: whole, up to date`));

    chmodSync(db, 0o600);
    const well = coopbot(["doctor", "--adapter", "slack", "--db", db], { env: childEnv({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" }) });
    expect((await well.exited).code).toBe(0);
    expect(well.out()).not.toMatch(/^FAIL/m);
    expect(well.out()).toMatch(/^ok    disk: /m);
  });

  it("warns of a time zone abbreviation in the config (EST never moves to summer time), and so does the start's log", async () => {
    const dir = tmp();
    const config = join(dir, "coopbot.yaml");
    writeFileSync(config, "timezone: EST\nadmins: [console:admin]\n");
    const result = coopbot(["doctor", "--config", config, "--db", join(dir, "coopbot.sqlite")]);
    expect((await result.exited).code).toBe(0);
    expect(result.out()).toContain("warn  config timezone: EST is an abbreviation: it may be a fixed offset that never changes for summer time. If you mean US Eastern time (with its clock changes), use America/New_York.");

    const db = join(dir, "data", "coopbot.sqlite");
    expect((await coopbot(["start", "--config", config, "--db", db], { stdin: ":quit\n" }).exited).code).toBe(0);
    expect(readFileSync(join(dir, "data", "coopbot.log"), "utf8")).toMatch(/"level":40,.*"msg":"config timezone: EST is an abbreviation/);
  });

  it("asks the SMTP server, when email is configured: ok while it answers, a warning (not a failure) while it is down", async () => {
    const smtp = new TestSmtpServer();
    await smtp.start();
    const dir = tmp();
    const config = join(dir, "coopbot.yaml");
    writeFileSync(config, `http:\n  port: 0\n  publicUrl: https://clinic.example.coop\nemail:\n  from: "Co-op Clinic <clinic@example.coop>"\n  smtp: { host: 127.0.0.1, port: ${smtp.port}, tls: none }\n`);
    const doctor = () => coopbot(["doctor", "--config", config, "--db", join(dir, "coopbot.sqlite")]);
    try {
      const up = doctor();
      expect((await up.exited).code).toBe(0);
      expect(up.out()).toContain(`ok    email: the SMTP server at 127.0.0.1:${smtp.port} (none) answered and would take mail`);
    } finally {
      await smtp.stop();
    }
    const down = doctor();
    expect((await down.exited).code).toBe(0);
    expect(down.out()).toMatch(new RegExp(`warn  email: the SMTP server at 127\\.0\\.0\\.1:${smtp.port} \\(none\\) can't be used now: SMTP ESOCKET: connect ECONNREFUSED`));
  });

  it("a damaged database fails the check, with how to restore it", async () => {
    const db = join(tmp(), "coopbot.sqlite");
    writeFileSync(db, "x".repeat(8192), { mode: 0o600 });
    const result = coopbot(["doctor", "--db", db]);
    expect((await result.exited).code).toBe(1);
    expect(result.out()).toContain(`FAIL  ${db} is not a SQLite database`);
    expect(result.out()).toContain("coopbot restore <backup file>");
  });
});

describe("the systemd unit in examples/", () => {
  const unit = readFileSync(join(REPO, "examples/coopbot.service"), "utf8");
  const directive = (name: string) => [...unit.matchAll(new RegExp(`^${name}=(.*)$`, "gm"))].map((m) => m[1]!);

  it("passes systemd-analyze verify without a warning", () => {
    // The node path is the machine's; everything else is the unit as shipped.
    const dir = tmp();
    writeFileSync(join(dir, "coopbot.service"), unit.replaceAll("/usr/bin/node", process.execPath));
    let stderr = "";
    try {
      execFileSync("systemd-analyze", ["verify", join(dir, "coopbot.service")], { stdio: "pipe" });
    } catch (err) {
      const e = err as { code?: string; stderr?: Buffer };
      if (e.code === "ENOENT") throw new Error("systemd-analyze is not installed: bash scripts/ensure-systemd-analyze.sh installs it (.ci/run does)");
      stderr = String(e.stderr);
      throw new Error(`systemd-analyze verify failed: ${stderr}`);
    }
  });

  it("restarts on failure, has no new privileges, a user of its own and its data dir writable", () => {
    expect(directive("Restart")).toEqual(["on-failure"]);
    expect(directive("NoNewPrivileges")).toEqual(["yes"]);
    expect(directive("User")).toEqual(["coopbot"]);
    expect(directive("ReadWritePaths")).toEqual(["/var/lib/coopbot"]);
    expect(directive("KillSignal")).toEqual(["SIGTERM"]);
  });

  it("its ExecStart runs the built CLI, which stops cleanly on the unit's KillSignal", async () => {
    const [execStart] = directive("ExecStart");
    const data = tmp();
    const config = join(tmp(), "coopbot.yaml");
    writeFileSync(config, "admins: [console:admin]\nhttp: { port: 0, monitoring: true }\n");
    const argv = execStart!
      .replaceAll("/opt/coopbot", pkg.root)
      .replaceAll("/var/lib/coopbot", data)
      .replaceAll("/etc/coopbot/coopbot.yaml", config)
      .split(/\s+/);
    expect(argv[0]).toBe("/usr/bin/node");
    expect(argv[1]).toBe(pkg.cli);
    const env = Object.fromEntries(directive("Environment").map((e) => e.split("=") as [string, string]));
    expect(env.COOPBOT_ADAPTER).toBe("slack");
    // What /etc/coopbot/env would hold, pointing at the fake Slack.
    const fake = await FakeSlackApi.start();
    const socket = await FakeSocketMode.start();
    fake.socketUrl = socket.url;
    try {
      const secrets = { SLACK_BOT_TOKEN: "xoxb-unit", SLACK_APP_TOKEN: "xapp-unit", SLACK_API_URL: fake.apiUrl };
      const bot = run(process.execPath, argv.slice(1), { cwd: data, env: childEnv({ ...env, ...secrets }) });
      await bot.waitFor(/"msg":"coopbot ready"/);
      await socket.whenConnected();
      const port = Number(/"http":(\d+)/.exec(bot.out())![1]);
      expect((await fetch(`http://127.0.0.1:${port}/readyz`)).status).toBe(200);

      bot.child.kill(directive("KillSignal")[0] as NodeJS.Signals);
      expect(await bot.exited).toEqual({ code: 0, signal: null });
      expect(walBytes(join(data, "coopbot.sqlite"))).toBe(0);
      expect(bot.out()).toMatch(/"msg":"stopped"/);
    } finally {
      await socket.close();
      await fake.close();
    }
  });
});
