// `export csv <table>`: the same records as the CiviCRM export, plainly,
// one table at a time: snake_case columns, ids as they are in the bot,
// times in ISO 8601 UTC. Members who asked to be forgotten are left out
// where they would be named; counts elsewhere keep them, unnamed.
import type { BaseContext } from "../../bot/context.ts";
import { getGroup } from "../../db/groups.ts";
import { getMeeting } from "../../db/meetings.ts";
import { refOf } from "../../db/clinic.ts";
import { allMemberships, attendanceBetween, groupsWithCounts, thanksRows, transactionRows, verifiedActions } from "../../db/reports.ts";
import { ref as actionRef } from "../actions/shared.ts";
import { count, type CsvFile } from "./csv.ts";
import { exportablePeople, isoUtc, listOf } from "./people.ts";

export const TABLES = ["members", "groups", "memberships", "actions", "attendance", "thanks", "clinic"] as const;
export type TableName = (typeof TABLES)[number];

type Builder = (ctx: BaseContext) => CsvFile;

/** `3 members`: the noun singular, `after` said after it. */
const rowsAbout = (n: number, noun: string, after = "") => `${count(n, noun)}${after}`;

const BUILDERS: Record<TableName, Builder> = {
  members(ctx) {
    const header = ["member_id", "external_id", "display_name", "accounts", "preferred_platform", "timezone", "location", "skills", "interests", "industry", "created_at"];
    const rows = [...exportablePeople(ctx).values()].map((p) => [p.id, p.externalId, p.displayName, p.accounts.join(" "), p.preferredPlatform ?? "", p.timezone ?? "", p.location ?? "", listOf(p.skills), listOf(p.interests), listOf(p.industry), isoUtc(p.createdAt)]);
    return { name: "members.csv", header, rows, about: rowsAbout(rows.length, "member") };
  },
  groups(ctx) {
    const header = ["group_id", "slug", "name", "kind", "policy", "status", "tags", "members", "created_at"];
    const rows = groupsWithCounts(ctx.db).map((g) => [g.id, g.slug, g.name, g.kind, g.policy, g.status, g.tags, g.members, isoUtc(g.createdAt)]);
    return { name: "groups.csv", header, rows, about: rowsAbout(rows.length, "group") };
  },
  memberships(ctx) {
    const people = exportablePeople(ctx);
    const header = ["group_slug", "member_id", "external_id", "joined_at"];
    const rows = allMemberships(ctx.db).flatMap((m) => (people.has(m.memberId) ? [[m.slug, m.memberId, people.get(m.memberId)!.externalId, isoUtc(m.joinedAt)]] : []));
    return { name: "memberships.csv", header, rows, about: rowsAbout(rows.length, "membership") };
  },
  actions(ctx) {
    const people = exportablePeople(ctx);
    const header = ["action", "member_id", "external_id", "job", "job_title", "journey", "group_slug", "hours", "done_at", "verified_at", "recorded"];
    const recorded = (source: string | null) => (source === null ? "logged" : source.split(":")[0]!);
    const rows = verifiedActions(ctx.db).flatMap((a) =>
      people.has(a.memberId) ? [[actionRef(a.id), a.memberId, people.get(a.memberId)!.externalId, a.jobSlug ?? "", a.jobTitle ?? "", a.journey ?? "", a.groupId ? (getGroup(ctx.db, a.groupId)?.slug ?? "") : "", a.hours ?? "", isoUtc(a.doneAt), isoUtc(a.decidedAt), recorded(a.source)]] : [],
    );
    return { name: "actions.csv", header, rows, about: rowsAbout(rows.length, "verified action") };
  },
  attendance(ctx) {
    const people = exportablePeople(ctx);
    const header = ["meeting_id", "meeting_title", "kind", "group_slug", "occurrence", "starts_at", "member_id", "external_id", "recorded_at"];
    const rows = attendanceBetween(ctx.db, undefined, Number.MAX_SAFE_INTEGER).flatMap((a) => {
      if (!people.has(a.memberId)) return [];
      const meeting = getMeeting(ctx.db, a.meetingId);
      return [[a.meetingId, meeting?.title ?? "", meeting?.kind ?? "", getGroup(ctx.db, a.groupId)?.slug ?? "", a.occurrence, isoUtc(a.occurrenceAt), a.memberId, people.get(a.memberId)!.externalId, isoUtc(a.recordedAt)]];
    });
    return { name: "attendance.csv", header, rows, about: rowsAbout(rows.length, "attendance") };
  },
  thanks(ctx) {
    const people = exportablePeople(ctx);
    const header = ["thanks_id", "giver_external_id", "recipient_external_id", "value", "public", "given_at"];
    const rows = thanksRows(ctx.db).flatMap((t) => (people.has(t.recipientId) ? [[t.thanksId, people.get(t.giverId)?.externalId ?? "", people.get(t.recipientId)!.externalId, t.value ?? "", t.public ? "yes" : "no", isoUtc(t.createdAt)]] : []));
    return { name: "thanks.csv", header, rows, about: `${rows.length} thanks (one row per person thanked)` };
  },
  clinic(ctx) {
    const people = exportablePeople(ctx);
    const header = ["transaction_id", "enquiry", "category", "adviser_external_id", "triager_external_id", "started_at", "resolved_at"];
    const rows = transactionRows(ctx.db).map((t) => [t.id, refOf(t.enquiryId), t.category ?? "", people.get(t.adviserId)?.externalId ?? "", t.triagerId === null ? "" : (people.get(t.triagerId)?.externalId ?? ""), isoUtc(t.startedAt), isoUtc(t.resolvedAt)]);
    return { name: "clinic.csv", header, rows, about: rowsAbout(rows.length, "clinic transaction", " (no enquiry's words, nor who asked)") };
  },
};

export const plainTable = (ctx: BaseContext, table: TableName): CsvFile => BUILDERS[table](ctx);
