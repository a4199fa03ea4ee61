// Keeps the WAL small, from a worker thread, so the fsync a checkpoint needs
// never stalls a command. Every tick it copies what it can (PASSIVE, never
// waits). That alone never lets a busy WAL start again from the beginning,
// so it also:
//   - empties the WAL (TRUNCATE) once writers have been quiet for `idleMs`;
//   - forces a restart once the WAL passes `forceBytes` (RESTART: it needs
//     a moment with no writer, so it tries for up to about half a second,
//     then copies the little the last PASSIVE missed while commands wait);
//   - empties it when asked (`requestTruncate`: erased text must leave the
//     file, and the WAL still holds the pages as they were before).
// While it runs, the bot's own connection checkpoints only as a backstop,
// past WAL_LIMITS.backstopPages. Two processes on one file each run one;
// checkpoints exclude each other and a busy one is simply tried next tick.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { CONNECTION_PRAGMAS, WAL_LIMITS, type Db } from "./connection.ts";

/** SQLite's default, restored when the worker stops. */
const DEFAULT_AUTOCHECKPOINT = 1000;

export interface CheckpointerOptions {
  /** How often the worker looks at the WAL. */
  everyMs?: number;
  /** Writers quiet this long: the WAL is emptied. */
  idleMs?: number;
  /** The WAL is forced back to the beginning past this size. */
  forceBytes?: number;
}

// Plain CommonJS: a worker evaluated from a string can't load TypeScript.
// Idleness is counted in ticks (data_version unchanged), so no clock is read.
const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const { statSync } = require("node:fs");
const Database = require(workerData.driver);
const { path, everyMs, idleTicks, forceBytes, forceTries, pragmas } = workerData;
const db = new Database(path);
for (const pragma of pragmas) db.pragma(pragma);
// Never wait inside SQLite: a checkpoint waiting there for the writer holds
// the checkpoint lock all the while, and the bot's backstop can't run (with
// busy_timeout a RESTART once waited 1.1 s while the WAL grew to 62 MiB).
db.pragma("busy_timeout = 0");
const forceFrames = Math.max(1, Math.floor(forceBytes / db.pragma("page_size", { simple: true })));
const pause = new Int32Array(new SharedArrayBuffer(4));
let version, quietTicks = 0, truncateWanted = false;
const checkpoint = (mode) => db.pragma("wal_checkpoint(" + mode + ")")[0];
const walBytes = () => { try { return statSync(path + "-wal").size; } catch { return 0; } };
// RESTART and TRUNCATE need a moment with no writer: try a few times, a
// millisecond or two apart (each try also copies what came in since).
const complete = (mode) => {
  for (let i = 0; i < forceTries; i++) {
    if (checkpoint(mode).busy === 0) return true;
    Atomics.wait(pause, 0, 0, 1 + (i % 3));
  }
  return false;
};
const tick = () => {
  try {
    const passive = checkpoint("PASSIVE");
    const seen = db.pragma("data_version", { simple: true }); // changes with every other connection's commit
    quietTicks = seen === version ? quietTicks + 1 : 0;
    version = seen;
    if (truncateWanted || (quietTicks >= idleTicks && walBytes() > 0)) {
      if (complete("TRUNCATE")) truncateWanted = false;
    } else if (passive.log >= forceFrames) {
      complete("RESTART");
    }
  } catch (err) {
    parentPort.postMessage(String(err));
  }
};
const timer = setInterval(tick, everyMs);
parentPort.on("message", (m) => {
  if (m === "truncate") { truncateWanted = true; tick(); }
  if (m === "stop") { clearInterval(timer); tick(); db.close(); parentPort.close(); }
});
`;

export class Checkpointer {
  private worker: Worker | undefined;
  private truncateQueued = false;

  constructor(
    private readonly db: Db,
    private readonly onError: (message: string) => void,
  ) {}

  private get fileBacked(): boolean {
    const client = this.db.$client;
    return client.name !== ":memory:" && !client.memory;
  }

  /** Starts the worker; a no-op for an in-memory database. */
  start(opts: CheckpointerOptions = {}): void {
    if (this.worker || !this.fileBacked) return;
    const everyMs = opts.everyMs ?? 100;
    const workerData = {
      path: this.db.$client.name,
      driver: createRequire(import.meta.url).resolve("better-sqlite3"),
      everyMs,
      idleTicks: Math.max(1, Math.ceil((opts.idleMs ?? 1000) / everyMs)),
      forceBytes: opts.forceBytes ?? WAL_LIMITS.forceBytes,
      forceTries: 200,
      pragmas: CONNECTION_PRAGMAS,
    };
    this.worker = new Worker(WORKER, { eval: true, workerData });
    this.worker.on("message", (m: string) => this.onError(m));
    this.worker.on("error", (err) => this.onError(String(err)));
    this.worker.unref();
    this.db.$client.pragma(`wal_autocheckpoint = ${WAL_LIMITS.backstopPages}`);
  }

  /**
   * Empties the WAL soon after the current transaction commits: called in
   * the transaction that erased something, whose old pages the WAL still
   * holds. The worker does it when running (retrying until no reader is in
   * the way); otherwise this connection does, once the call stack unwinds.
   */
  requestTruncate(): void {
    if (!this.fileBacked || this.truncateQueued) return;
    this.truncateQueued = true;
    setImmediate(() => {
      this.truncateQueued = false;
      if (this.worker) this.worker.postMessage("truncate");
      else this.truncateHere();
    });
  }

  private truncateHere(): void {
    const client = this.db.$client;
    if (!client.open) return;
    try {
      const [result] = client.pragma("wal_checkpoint(TRUNCATE)") as { busy: number }[];
      if (result?.busy) this.onError("the WAL could not be emptied after an erasure: another connection was reading");
    } catch (err) {
      this.onError(String(err));
    }
  }

  /** Stops the worker (after one last checkpoint) and gives checkpoints back to the connection. */
  async stop(): Promise<void> {
    const worker = this.worker;
    if (!worker) return;
    this.worker = undefined;
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    // Keep the process alive until the last checkpoint is done (it was unref'd while idle).
    worker.ref();
    worker.postMessage("stop");
    await exited;
    if (this.db.$client.open) this.db.$client.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT}`);
  }
}
