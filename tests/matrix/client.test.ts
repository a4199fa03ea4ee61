// The SDK client as the adapter builds it: a listener that throws (or
// rejects) never cuts a sync batch short, and the token is stored after the
// batch. No server: the batch is fed to the SDK's own processSync.
import { describe, expect, it } from "vitest";
import { createSdkClient } from "../../adapters/matrix/client.ts";
import { loadMatrixSdk, redirectMatrixSdkLogs } from "../../adapters/matrix/sdk.ts";
import { MatrixStateStore } from "../../adapters/matrix/state-store.ts";
import { fixture } from "./fixtures.ts";

describe("the adapter's matrix-bot-sdk client", () => {
  it("keeps emitting a batch when a listener throws or rejects, and reports each failure", async () => {
    const { sdk } = loadMatrixSdk();
    redirectMatrixSdkLogs(null);
    const failures: string[] = [];
    const client = createSdkClient(sdk, {
      homeserverUrl: "http://127.0.0.1:9",
      accessToken: "t",
      storage: new MatrixStateStore(":memory:"),
      syncTimeoutMs: 1000,
      onListenerError: (err, event) => failures.push(`${event}: ${(err as Error).message}`),
    });
    const seen: string[] = [];
    client.on("room.event", (_roomId: string, event: { event_id: string }) => {
      if (event.event_id === "$cmd-join:example.org") throw new Error("boom");
    });
    client.on("room.event", async (_roomId: string, event: { event_id: string }) => {
      if (event.event_id === "$cmd-pill:example.org") throw new Error("async boom");
    });
    client.on("room.event", (_roomId: string, event: { event_id: string }) => seen.push(event.event_id));
    const events = [fixture("message-command"), fixture("message-pill"), fixture("reaction")];
    await (client as unknown as { processSync(raw: unknown): Promise<void> }).processSync({ rooms: { join: { "!comms:example.org": { timeline: { events } } } } });
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(["$cmd-join:example.org", "$cmd-pill:example.org", "$react-approve:example.org"]);
    expect(failures).toEqual(["room.event: boom", "room.event: async boom"]);
    expect((client as unknown as { persistTokenAfterSync: boolean }).persistTokenAfterSync).toBe(true);
    expect(client.syncingTimeout).toBe(1000);
  });
});
