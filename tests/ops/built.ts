// The bot as an operator installs it: `npm run build` into a package root
// of its own (package.json, bin/, examples/, node_modules and dist/ only: no
// TypeScript sources beside it, so nothing can quietly come from them), and
// the `coopbot` command run from there. One build per test file.
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, realpathSync, rmSync, statSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const REPO = fileURLToPath(new URL("../../", import.meta.url));

export interface BuiltPackage {
  root: string;
  /** bin/coopbot.js, the command `npm install` links as `coopbot`. */
  cli: string;
  remove(): void;
}

export function buildPackage(): BuiltPackage {
  const root = mkdtempSync(join(tmpdir(), "coopbot-built-"));
  for (const path of ["package.json", "bin", "examples"]) cpSync(join(REPO, path), join(root, path), { recursive: true });
  symlinkSync(realpathSync(join(REPO, "node_modules")), join(root, "node_modules"));
  execFileSync(process.execPath, [join(REPO, "scripts/build.mjs"), "--outdir", join(root, "dist")], { stdio: "pipe" });
  return { root, cli: join(root, "bin/coopbot.js"), remove: () => rmSync(root, { recursive: true, force: true }) };
}

/** The environment for a child bot: this machine's NODE_EXTRA_CA_CERTS costs ~115 ms a start (STACK.md). */
export function childEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ["NODE_EXTRA_CA_CERTS", "COOPBOT_CONFIG", "COOPBOT_DB", "COOPBOT_ADAPTER", "LOG_LEVEL"]) delete env[name];
  return { ...env, ...extra };
}

export interface Running {
  child: ChildProcess;
  /** Everything written to stdout and stderr so far. */
  out(): string;
  err(): string;
  /** Resolves with the exit code (or the signal that ended it). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Waits until stdout (or stderr) has a line matching `pattern`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
}

export function run(command: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; detached?: boolean; stdin?: string }): Running {
  const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? childEnv(), detached: opts.detached, stdio: ["pipe", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout!.on("data", (chunk) => (out += String(chunk)));
  child.stderr!.on("data", (chunk) => (err += String(chunk)));
  child.stdin!.on("error", () => undefined);
  if (opts.stdin !== undefined) child.stdin!.end(opts.stdin);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return {
    child,
    out: () => out,
    err: () => err,
    exited,
    async waitFor(pattern, timeoutMs = 30_000) {
      const deadline = performance.now() + timeoutMs;
      while (!pattern.test(out) && !pattern.test(err)) {
        if (child.exitCode !== null || child.signalCode !== null) throw new Error(`exited (${child.exitCode ?? child.signalCode}) before ${pattern}: ${err}${out}`.slice(0, 4000));
        if (performance.now() > deadline) throw new Error(`no ${pattern} within ${timeoutMs} ms: ${err}${out}`.slice(0, 4000));
        await new Promise((r) => setTimeout(r, 20));
      }
    },
  };
}

/** The WAL's size, 0 when there is none (SQLite removes it when the last connection closes). */
export function walBytes(db: string): number {
  return existsSync(`${db}-wal`) ? statSync(`${db}-wal`).size : 0;
}
