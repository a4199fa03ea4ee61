// Two bot processes on one database decide the same join requests at the
// same moment: each request gets exactly one decision.
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { MANY_AT_ONCE, TestBot } from "../helpers/bot.ts";
import { consoleEvent, startChild } from "./processes.ts";

const REQUESTS = 40;
const config = {
  admins: ["console:admin"],
  groups: [{ slug: "comms", name: "Communications Group", kind: "working", drivers: ["console:sam"] }],
  // sam and the admin each decide 40 requests in a tenth of a second.
  limits: MANY_AT_ONCE,
};

describe("races between processes", () => {
  it("gives each join request exactly one decision when a driver approves and an admin declines at once", async () => {
    const dir = mkdtempSync(join(tmpdir(), "coopbot-race-"));
    const setup = new TestBot({ dir, config });
    for (let i = 0; i < REQUESTS; i++) await setup.say(`applicant${i}`, "/join comms I can help");
    await setup.close({ keep: true });

    const env = { DB: setup.dbPath, SENT_LOG: join(dir, "sent.log"), CONFIG_JSON: JSON.stringify(config) };
    const a = startChild(env);
    const b = startChild(env);
    await Promise.all([a.ready, b.ready]);
    const ids = Array.from({ length: REQUESTS }, (_, i) => i + 1);
    // Both clicks for a request arrive together; alternate who hears first.
    for (const id of ids) {
      const approve = () => a.send([consoleEvent(`approve-${id}`, "sam", `approve ${id}`, "dm:sam")]);
      const decline = () => b.send([consoleEvent(`decline-${id}`, "admin", `decline ${id} sorry`, "dm:admin")]);
      if (id % 2) (approve(), decline());
      else (decline(), approve());
      await new Promise((r) => setTimeout(r, 3));
    }
    await Promise.all([a.waitForAcks(ids.map((id) => `approve-${id}`)), b.waitForAcks(ids.map((id) => `decline-${id}`))]);
    // They raced: each process was deciding while the other was.
    const window = (times: number[]) => [Math.min(...times), Math.max(...times)] as const;
    const [a0, a1] = window(a.ackTimes);
    const [b0, b1] = window(b.ackTimes);
    expect(a0 < b1 && b0 < a1, "the two processes' decisions didn't overlap in time").toBe(true);
    a.proc.stdin.end();
    b.proc.stdin.end();
    await Promise.all([a.exited, b.exited]);

    const db = new Database(setup.dbPath, { readonly: true });
    const requests = db.prepare("select id, member_id as memberId, state from join_requests order by id").all() as { id: number; memberId: number; state: string }[];
    const members = new Set((db.prepare("select member_id as id from group_members").all() as { id: number }[]).map((r) => r.id));
    db.close();

    for (const r of requests) {
      const approvedBySam = a.acks.get(`approve-${r.id}`) === "ok";
      const declinedByAdmin = b.acks.get(`decline-${r.id}`) === "ok";
      // Exactly one of the two commands decided it; the other was told it was already decided.
      expect([approvedBySam, declinedByAdmin].filter(Boolean)).toHaveLength(1);
      expect(r.state).toBe(approvedBySam ? "approved" : "declined");
      expect(members.has(r.memberId)).toBe(approvedBySam);
    }
    expect(requests).toHaveLength(REQUESTS);
  }, 120_000);
});
