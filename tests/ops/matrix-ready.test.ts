// Readiness on Matrix: matrix-bot-sdk keeps syncing through an outage and
// tells no one, so the adapter watches each /sync's outcome. Against a
// small fake homeserver that can be taken down and brought back.
import { createServer } from "node:http";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, expect, it } from "vitest";
import type { CorePort } from "../../bot/adapter.ts";
import { silentLogger } from "../../bot/log.ts";
import { MatrixAdapter } from "../../adapters/matrix/adapter.ts";
import { readMatrixSettings } from "../../adapters/matrix/settings.ts";

const core: CorePort = { receive: () => ({ outcome: "ignored" }), receiveMany: (a) => a.map(() => ({ outcome: "ignored" })), messageByRef: () => undefined, inbox: { accept: async () => undefined, done: () => undefined, leftovers: () => [] }, renamed: () => undefined };
const cleanup: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn();
});

/** Enough of a homeserver for the adapter to connect and sync; `down` makes every /sync fail as a proxy would with the homeserver gone. */
async function fakeHomeserver() {
  const state = { down: false, syncs: 0 };
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://x");
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    if (url.pathname.endsWith("/account/whoami")) return json(200, { user_id: "@coopbot:fake.test" });
    if (url.pathname.endsWith("/joined_rooms")) return json(200, { joined_rooms: [] });
    if (url.pathname.endsWith("/filter")) return json(200, { filter_id: "1" });
    if (url.pathname.endsWith("/sync")) {
      if (state.down) return json(502, { errcode: "M_UNKNOWN", error: "bad gateway" });
      state.syncs++;
      // A long poll that ends quickly: nothing new.
      return void setTimeout(() => json(200, { next_batch: `s${state.syncs}`, rooms: {}, account_data: { events: [] }, presence: { events: [] } }), 20);
    }
    return json(200, {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  cleanup.push(() => new Promise<void>((r) => server.close(() => r())));
  server.keepAliveTimeout = 1;
  const { port } = server.address() as { port: number };
  return { url: `http://127.0.0.1:${port}`, state };
}

it("connected while /sync answers; not while it fails; connected again once it answers", async () => {
  const hs = await fakeHomeserver();
  const dir = mkdtempSync(path.join(tmpdir(), "coopbot-matrix-ready-"));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  const adapter = new MatrixAdapter({ settings: readMatrixSettings({ MATRIX_HOMESERVER_URL: hs.url, MATRIX_ACCESS_TOKEN: "syt_test" }), dataDir: dir, log: silentLogger, syncTimeoutMs: 50 });
  cleanup.push(() => adapter.stop());

  expect(adapter.connected()).toBe(false);
  await adapter.start(core);
  await expect.poll(() => hs.state.syncs, { timeout: 20_000, interval: 20 }).toBeGreaterThan(1);
  expect(adapter.connected()).toBe(true);

  hs.state.down = true;
  await expect.poll(() => adapter.connected(), { timeout: 30_000, interval: 20 }).toBe(false);

  hs.state.down = false;
  const before = hs.state.syncs;
  await expect.poll(() => hs.state.syncs, { timeout: 60_000, interval: 50 }).toBeGreaterThan(before);
  await expect.poll(() => adapter.connected(), { timeout: 10_000, interval: 20 }).toBe(true);

  await adapter.stopIntake();
  expect(adapter.connected()).toBe(false);
}, 120_000);
