// Moves the WAL into the database file from a worker thread, so the fsync a
// checkpoint needs never stalls a command. The bot's own connection has
// automatic checkpoints turned off while this runs.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import type { Db } from "./connection.ts";

const WORKER = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma("busy_timeout = 5000");
const tick = () => {
  try { db.pragma("wal_checkpoint(PASSIVE)"); } catch (err) { parentPort.postMessage(String(err)); }
};
const timer = setInterval(tick, workerData.everyMs);
parentPort.on("message", (m) => {
  if (m === "stop") { clearInterval(timer); tick(); db.close(); parentPort.close(); }
});
`;

export class Checkpointer {
  private worker: Worker | undefined;

  constructor(
    private readonly db: Db,
    private readonly onError: (message: string) => void,
  ) {}

  /** Starts checkpointing every `everyMs`; a no-op for an in-memory database. */
  start(everyMs = 1000): void {
    const path = this.db.$client.name;
    if (this.worker || path === ":memory:" || this.db.$client.memory) return;
    const driver = createRequire(import.meta.url).resolve("better-sqlite3");
    this.worker = new Worker(WORKER, { eval: true, workerData: { path, everyMs, driver } });
    this.worker.on("message", (m: string) => this.onError(m));
    this.worker.on("error", (err) => this.onError(String(err)));
    this.worker.unref();
    this.db.$client.pragma("wal_autocheckpoint = 0");
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
    if (this.db.$client.open) this.db.$client.pragma("wal_autocheckpoint = 1000");
  }
}
