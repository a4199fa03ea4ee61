// Cold start to ready, and peak memory, measured with /usr/bin/time -v on
// the real CLI (console adapter), against two anchors in the same run: a
// bare Node start, and a bare import of the libraries every start needs
// (bench/anchor.mjs: SQLite, drizzle, zod, luxon). The built CLI (dist/,
// what production runs) is measured, and the development start through tsx
// beside it.
import { execFileSync, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { median } from "./stats.ts";

export interface StartResult {
  readyMs: number;
  peakRssMb: number;
}

const ROOT = new URL("..", import.meta.url).pathname;

/** One process: ms from spawn until `ready` appears on stdout; peak RSS from time -v. */
function once(args: string[], ready: RegExp | undefined, stdin: string): Promise<StartResult> {
  const env: NodeJS.ProcessEnv = { ...process.env, COOPBOT_CONSOLE_USER: "admin" };
  delete env.NODE_EXTRA_CA_CERTS; // adds ~115 ms to every Node start here (STACK.md)
  const t0 = performance.now();
  const child = spawn("/usr/bin/time", ["-v", process.execPath, ...args], { cwd: ROOT, env, stdio: ["pipe", "pipe", "pipe"] });
  let readyMs: number | undefined;
  let out = "";
  let err = "";
  child.stdout.on("data", (chunk) => {
    out += String(chunk);
    if (readyMs === undefined && ready?.test(out)) readyMs = performance.now() - t0;
  });
  child.stderr.on("data", (chunk) => (err += String(chunk)));
  child.stdin.end(stdin);
  return new Promise((resolve, reject) => {
    child.on("exit", (code) => {
      const rss = /Maximum resident set size \(kbytes\): (\d+)/.exec(err);
      if (code !== 0 || !rss) return reject(new Error(`exit ${code}: ${err.slice(-500)}`));
      resolve({ readyMs: readyMs ?? performance.now() - t0, peakRssMb: Number(rss[1]) / 1024 });
    });
  });
}

async function medianOf(runs: number, run: () => Promise<StartResult>): Promise<StartResult> {
  const results: StartResult[] = [];
  for (let i = 0; i < runs; i++) results.push(await run());
  return { readyMs: median(results.map((r) => r.readyMs)), peakRssMb: median(results.map((r) => r.peakRssMb)) };
}

export function bareNode(runs: number): Promise<StartResult> {
  return medianOf(runs, () => once(["-e", "process.stdout.write('ready\\n')"], /ready/, ""));
}

/** The anchor the targets are set against: the bare import of SQLite, drizzle, zod and luxon. */
export function bareImport(runs: number): Promise<StartResult> {
  return medianOf(runs, () => once(["bench/anchor.mjs"], /ready/, ""));
}

/** `npm run build` unless dist/ is already up to date with the sources. */
export function ensureBuilt(): void {
  execFileSync(process.execPath, ["scripts/build.mjs", "--if-needed"], { cwd: ROOT, stdio: "inherit" });
}

/** How the CLI is run: `built` is dist/main.mjs (what `npm start` and the service run), `tsx` the sources (development). */
export type StartHow = "built" | "tsx";
const ENTRY: Record<StartHow, string[]> = { built: ["dist/main.mjs"], tsx: ["--import", "tsx", "bot/main.ts"] };

/**
 * The console bot: ready when it prints "coopbot ready"; it then reads
 * `:quit` and exits. `db` is an existing database, or a function giving a
 * new path per run (a first start: migrations and seeding included).
 */
export function coopbotStart(db: string | (() => string), runs: number, how: StartHow = "built"): Promise<StartResult> {
  if (typeof db === "string" && !existsSync(db)) throw new Error(`no database at ${db}`);
  return medianOf(runs, () => once([...ENTRY[how], "start", "--adapter", "console", "--db", typeof db === "string" ? db : db(), "--log", "/dev/null"], /coopbot ready/, ":quit\n"));
}
