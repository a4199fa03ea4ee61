// Starting the Matrix adapter without a homeserver to talk to: an
// unreachable one is retried in the background (the bot keeps running, its
// Matrix messages wait in the outbox); a refused token fails the start with
// a message naming the variable.
import { createServer, type Server } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { pino } from "pino";
import type { CorePort } from "../../bot/adapter.ts";
import { MatrixAdapter } from "../../adapters/matrix/adapter.ts";
import { readMatrixSettings } from "../../adapters/matrix/settings.ts";

const core: CorePort = { receive: () => ({ outcome: "ignored" }), receiveMany: (a) => a.map(() => ({ outcome: "ignored" })), messageByRef: () => undefined, inbox: { accept: async () => undefined, done: () => undefined, leftovers: () => [] }, renamed: () => undefined };
const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0)) await fn();
});

function adapter(homeserver: string, lines: Record<string, unknown>[]): MatrixAdapter {
  const dir = mkdtempSync(path.join(tmpdir(), "coopbot-matrix-start-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const log = pino({ level: "debug" }, { write: (l: string) => void lines.push(JSON.parse(l) as Record<string, unknown>) });
  const settings = readMatrixSettings({ MATRIX_HOMESERVER_URL: homeserver, MATRIX_ACCESS_TOKEN: "syt_test" });
  const a = new MatrixAdapter({ settings, dataDir: dir, log });
  cleanup.push(() => a.stop());
  return a;
}

async function listen(handler: Parameters<typeof createServer>[1]): Promise<{ url: string; server: Server }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, server };
}

describe("starting the Matrix adapter", () => {
  it("keeps trying in the background when the homeserver is unreachable", async () => {
    // A port that was just free: connection refused.
    const { url, server } = await listen(() => undefined);
    await new Promise<void>((r) => server.close(() => r()));
    const lines: Record<string, unknown>[] = [];
    const a = adapter(url, lines);
    await a.start(core);
    expect(a.userId).toBeUndefined();
    expect(lines.some((l) => l.msg === "matrix: homeserver unreachable; retrying in the background")).toBe(true);
    await expect(a.deliver({ id: 1, uid: "db1.1", maybeDelivered: false, queuedAt: 0, kind: "post", target: { kind: "room", platform: "matrix", roomId: "!r" }, message: { text: "x" }, mentions: {} })).rejects.toThrow(/not connected/);
    await a.stop();
  });

  it("fails the start, naming the variable, when the homeserver refuses the token", async () => {
    const { url } = await listen((_req, res) => {
      res.writeHead(401, { "content-type": "application/json" });
      res.end(JSON.stringify({ errcode: "M_UNKNOWN_TOKEN", error: "Invalid access token passed." }));
    });
    const a = adapter(url, []);
    await expect(a.start(core)).rejects.toThrow(/refused MATRIX_ACCESS_TOKEN/);
  });
});
