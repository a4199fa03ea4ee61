// Automatic actions: the meetings and clinic capabilities announce facts;
// actions records them as verified actions with their source, once.
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { defineCapability } from "../../bot/capability.ts";
import { defineCommand } from "../../bot/command.ts";
import { findGroupBySlug } from "../../db/groups.ts";
import { capabilities } from "../../commands/index.ts";
import type { TestBot } from "../helpers/bot.ts";
import { actionRows, actionsBot, emit, meet, memberId } from "./helpers.ts";

let t: TestBot;
afterEach(async () => t?.close());

const jobSlug = (id: number | null) => (t.db.$client.prepare("select slug from action_jobs where id = ?").get(id) as { slug: string }).slug;

describe("meeting.attended", () => {
  it("records one verified 'attend a meeting' action for the member, with the group and the source", async () => {
    t = actionsBot({ start: "2026-08-17T12:00" });
    await meet(t, "alice", "sam");
    const comms = findGroupBySlug(t.db, "comms")!.id;
    const attended = { memberId: memberId(t, "alice"), groupId: comms, meetingId: 7, occurrence: "2026-08-17T11:00", recordedBy: memberId(t, "sam") };
    emit(t, "meeting.attended", attended);
    emit(t, "meeting.attended", attended);

    const rows = actionRows(t);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ member_id: attended.memberId, state: "verified", source: "meeting:7:2026-08-17T11:00", group_id: comms, decided_by: attended.recordedBy });
    expect(jobSlug(rows[0]!.job_id)).toBe("attend-meeting");

    await t.say("alice", "/contributions");
    expect(t.texts()[0]).toContain("*Attend a meeting* (Organise): weight 1 → 1");
  });

  it("records each attendee and each occurrence separately", async () => {
    t = actionsBot();
    await meet(t, "alice", "bea", "sam");
    const base = { groupId: findGroupBySlug(t.db, "comms")!.id, meetingId: 7, recordedBy: memberId(t, "sam") };
    emit(t, "meeting.attended", { ...base, memberId: memberId(t, "alice"), occurrence: "2026-08-10T11:00" });
    emit(t, "meeting.attended", { ...base, memberId: memberId(t, "bea"), occurrence: "2026-08-10T11:00" });
    emit(t, "meeting.attended", { ...base, memberId: memberId(t, "alice"), occurrence: "2026-08-17T11:00" });
    expect(actionRows(t).map((r) => r.source)).toEqual(["meeting:7:2026-08-10T11:00", "meeting:7:2026-08-10T11:00", "meeting:7:2026-08-17T11:00"]);
  });

  it("records nothing when the emitting command is refused after emitting (same transaction)", async () => {
    const flaky = defineCapability({
      name: "flaky-meetings",
      commands: [
        defineCommand({
          name: "attend",
          summary: "test: record attendance, then refuse",
          args: z.object({}),
          allow: "everyone",
          run(ctx) {
            ctx.emit("meeting.attended", { memberId: ctx.actor.memberId, groupId: 1, meetingId: 1, occurrence: "2026-08-17T09:00", recordedBy: ctx.actor.memberId });
            ctx.fail("Refused after emitting.");
          },
        }),
      ],
    });
    t = actionsBot({ capabilities: [...capabilities, flaky] });
    await t.say("alice", "/attend");
    expect(t.texts()).toEqual(["Refused after emitting."]);
    expect(actionRows(t)).toEqual([]);
  });
});

describe("clinic.handoff-resolved", () => {
  it("records the adviser's and the triager's work once, however often it is announced", async () => {
    t = actionsBot();
    await meet(t, "ada", "tim");
    const resolved = { adviserId: memberId(t, "ada"), triagerId: memberId(t, "tim"), enquiryRef: "C-12", category: "finance", hours: 2 };
    emit(t, "clinic.handoff-resolved", resolved);
    emit(t, "clinic.handoff-resolved", resolved);

    const rows = actionRows(t);
    expect(rows.map((r) => [r.member_id, jobSlug(r.job_id), r.state, r.source])).toEqual([
      [resolved.adviserId, "clinic-advice", "verified", "clinic:C-12"],
      [resolved.triagerId, "clinic-triage", "verified", "clinic:C-12"],
    ]);
    expect(t.db.$client.prepare("select hours from actions where member_id = ?").get(resolved.adviserId)).toEqual({ hours: 2 });
  });

  it("records both jobs when the adviser also triaged, and only the adviser's when nobody triaged", async () => {
    t = actionsBot();
    await meet(t, "ada");
    const ada = memberId(t, "ada");
    emit(t, "clinic.handoff-resolved", { adviserId: ada, triagerId: ada, enquiryRef: "C-1", category: null });
    emit(t, "clinic.handoff-resolved", { adviserId: ada, triagerId: null, enquiryRef: "C-2", category: null });
    expect(actionRows(t).map((r) => [r.source, jobSlug(r.job_id)])).toEqual([
      ["clinic:C-1", "clinic-advice"],
      ["clinic:C-1", "clinic-triage"],
      ["clinic:C-2", "clinic-advice"],
    ]);
  });

  it("counts automatic actions in the activists figure, and they can't be undone by their member", async () => {
    t = actionsBot();
    await meet(t, "ada");
    emit(t, "clinic.handoff-resolved", { adviserId: memberId(t, "ada"), triagerId: null, enquiryRef: "C-3", category: null });
    await t.say("ada", "/progress");
    expect(t.texts()[0]).toContain("Activists carrying out actions (members with verified actions): 1 in August 2026 · 1 since the start, of 50 (2%)");
    await t.say("ada", "/undo A-1");
    expect(t.texts()).toEqual(["A-1 was recorded automatically; if it's wrong, ask an admin to /void A-1 <reason>."]);
  });
});
