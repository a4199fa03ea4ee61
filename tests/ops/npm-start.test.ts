// What a service manager sees: it starts `npm start` (or the built CLI) in a
// process group of its own, sends SIGTERM to the process it started, and
// expects the whole group gone afterwards, with the database complete in
// its file (the WAL checkpointed). Before, npm exited and left tsx and the
// bot running under PID 1, and the next start put a second bot on the file.
import Database from "better-sqlite3";
import { cpSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuiltPackage, buildPackage, childEnv, REPO, type Running, run, walBytes } from "./built.ts";

/** Whether any process is left in the group `pgid`. */
function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code !== "ESRCH";
  }
}

/**
 * The live processes in group `pgid` (from /proc: field 5 of stat is the
 * group), each as pid, state, parent, name and command line. A zombie is
 * left out: it has ended and runs nothing; it waits only for its parent to
 * read its exit status. (The build's esbuild, orphaned when the build
 * script exits, is one here: this sandbox's PID 1 doesn't reap orphans, as
 * systemd or any init would.)
 */
function groupMembers(pgid: number): string[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .flatMap((pid) => {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        if (Number(fields[2]) !== pgid || fields[0] === "Z") return [];
        return [`${pid} ${fields[0]} ppid ${fields[1]} ${stat.slice(stat.indexOf("("), stat.lastIndexOf(")") + 1)} ${readFileSync(`/proc/${pid}/cmdline`, "utf8").replaceAll("\0", " ").trim()}`];
      } catch {
        return []; // gone meanwhile
      }
    });
}

/** Processes anywhere on this machine whose command line names `needle` (one that left the group, re-parented to PID 1, too). */
function processesNaming(needle: string): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(needle);
      } catch {
        return false; // gone meanwhile
      }
    })
    .map(Number);
}

const answered = (db: string) => {
  const sqlite = new Database(db, { readonly: true });
  try {
    return sqlite.prepare("select count(*) as n from outbox where state = 'sent'").get() as { n: number };
  } finally {
    sqlite.close();
  }
};

/** Starts, has the console answer one command that writes (so the WAL holds something), then SIGTERM to the process started. */
async function termAfterOneCommand(bot: Running, db: string): Promise<void> {
  await bot.waitFor(/coopbot ready: /, 120_000);
  bot.child.stdin!.write("/profile set interests tea\n");
  await bot.waitFor(/bot -> admin \(private\): Your interests: tea\./);
  expect(walBytes(db)).toBeGreaterThan(0);
  bot.child.kill("SIGTERM");
}

async function expectAllGone(bot: Running, db: string): Promise<void> {
  expect(await bot.exited).toEqual({ code: 0, signal: null });
  expect(groupMembers(bot.child.pid!), `npm pid ${bot.child.pid}`).toEqual([]);
  expect(processesNaming(db)).toEqual([]);
  expect(walBytes(db)).toBe(0);
  expect(answered(db).n).toBe(1);
}

describe("`npm start` on a fresh clone", () => {
  let clone: string;
  beforeAll(() => {
    // What `git clone` gives (no dist/), with this checkout's node_modules as `npm ci` would make it.
    clone = mkdtempSync(join(tmpdir(), "coopbot-clone-"));
    for (const path of ["package.json", "tsconfig.json", "bin", "scripts", "bot", "commands", "db", "adapters", "ops", "examples"]) cpSync(join(REPO, path), join(clone, path), { recursive: true });
    symlinkSync(realpathSync(join(REPO, "node_modules")), join(clone, "node_modules"));
  });
  afterAll(() => rmSync(clone, { recursive: true, force: true }));

  it("builds first, runs node directly, and SIGTERM to npm leaves no process of the group and a checkpointed database", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "coopbot-npm-")), "coopbot.sqlite");
    const npm = run("npm", ["start", "--", "--db", db], { cwd: clone, detached: true, env: childEnv() });
    try {
      await termAfterOneCommand(npm, db);
      await expectAllGone(npm, db);
      expect(npm.err()).toMatch(/coopbot built into .*dist/);
      expect(npm.out()).toContain("exec node dist/main.mjs start");

      // Built now: the package's own command works through npx, as the README says.
      const help = run("npx", ["coopbot", "--help"], { cwd: clone, env: childEnv() });
      expect((await help.exited).code).toBe(0);
      for (const command of ["start", "replay", "backup", "restore", "doctor"]) expect(help.out()).toMatch(new RegExp(`^  ${command} `, "m"));
    } finally {
      if (groupAlive(npm.child.pid!)) process.kill(-npm.child.pid!, "SIGKILL");
    }
  }, 180_000);
});

describe("the built CLI", () => {
  let pkg: BuiltPackage;
  beforeAll(() => {
    pkg = buildPackage();
  }, 120_000);
  afterAll(() => pkg?.remove());

  it("SIGTERM to it leaves no process of its group and a checkpointed database", async () => {
    const db = join(mkdtempSync(join(tmpdir(), "coopbot-cli-")), "coopbot.sqlite");
    const bot = run(process.execPath, [pkg.cli, "start", "--db", db], { cwd: pkg.root, detached: true, env: childEnv() });
    try {
      await termAfterOneCommand(bot, db);
      await expectAllGone(bot, db);
    } finally {
      if (groupAlive(bot.child.pid!)) process.kill(-bot.child.pid!, "SIGKILL");
    }
  });
});
