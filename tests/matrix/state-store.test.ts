import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MatrixStateStore } from "../../adapters/matrix/state-store.ts";

let dir = "";
afterEach(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function open(): MatrixStateStore {
  dir ||= mkdtempSync(path.join(tmpdir(), "coopbot-matrix-state-"));
  return new MatrixStateStore(path.join(dir, "matrix-state.sqlite"));
}

describe("the Matrix state store (matrix-bot-sdk IStorageProvider on SQLite)", () => {
  it("keeps the sync token, filter and values across a reopen", () => {
    const a = open();
    expect(a.getSyncToken()).toBeNull();
    expect(a.tokenAtStart).toBeNull();
    expect(a.getFilter()).toBeFalsy();
    a.setSyncToken("s72594_4483_1934");
    a.setFilter({ id: 7, filter: { room: { timeline: { limit: 50 } } } });
    a.storeValue("k", "v");
    a.close();

    const b = open();
    expect(b.getSyncToken()).toBe("s72594_4483_1934");
    expect(b.tokenAtStart).toBe("s72594_4483_1934");
    expect(b.getFilter()).toEqual({ id: 7, filter: { room: { timeline: { limit: 50 } } } });
    expect(b.readValue("k")).toBe("v");
    expect(b.readValue("missing")).toBeUndefined();
    b.setSyncToken(null);
    expect(b.getSyncToken()).toBeNull();
    b.close();
    expect(statSync(path.join(dir, "matrix-state.sqlite")).mode & 0o777).toBe(0o600);
  });

  it("after close, writes are no-ops: a stopped client's late sync can't move the token", () => {
    const a = open();
    a.setSyncToken("t1");
    a.close();
    a.setSyncToken("t2");
    expect(a.enqueue("event", "!r", {}, 1)).toBeUndefined();
    expect(a.getSyncToken()).toBeNull();
    const b = open();
    expect(b.getSyncToken()).toBe("t1");
    b.close();
  });

  it("keeps inbox events in order until done", () => {
    const a = open();
    a.enqueue("event", "!a", { event_id: "$1" }, 10);
    a.enqueue("invite", "!b", { event_id: "$2" }, 11);
    a.close();
    const b = open();
    const rows = b.pending();
    expect(rows.map((r) => [r.kind, r.roomId, r.event.event_id])).toEqual([["event", "!a", "$1"], ["invite", "!b", "$2"]]);
    b.done(rows[0]!.id);
    expect(b.pending().map((r) => r.event.event_id)).toEqual(["$2"]);
    b.close();
  });

  it("remembers DM rooms, one-time notices, sent messages and the login", () => {
    const a = open();
    a.setDmRoom("@alice:hs", "!dm1", 1);
    a.setDmRoom("@alice:hs", "!dm2", 2);
    expect(a.dmRoom("@alice:hs")).toBe("!dm2");
    expect(a.dmPartner("!dm2")).toBe("@alice:hs");
    a.forgetDmRoom("@alice:hs", "!dm1");
    expect(a.dmRoom("@alice:hs")).toBe("!dm2");
    a.forgetRoom("!dm2");
    expect(a.dmRoom("@alice:hs")).toBeUndefined();

    expect(a.noticed("!secret", "encrypted")).toBe(false);
    a.markNoticed("!secret", "encrypted", 5);
    a.recordSent("$e1", "!room", 100);
    a.recordSent("$e2", "!room", 200);
    expect(a.pruneSent(150)).toBe(1);
    a.storeLogin({ homeserverUrl: "https://hs", user: "coopbot", accessToken: "syt_x", deviceId: "D" });
    a.close();

    const b = open();
    expect(b.noticed("!secret", "encrypted")).toBe(true);
    expect(b.roomOfSent("$e1")).toBeUndefined();
    expect(b.roomOfSent("$e2")).toBe("!room");
    expect(b.storedLogin()).toEqual({ homeserverUrl: "https://hs", user: "coopbot", accessToken: "syt_x", deviceId: "D" });
    b.close();
  });
});
