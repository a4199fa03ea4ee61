// The CiviCRM export: two CSV files in the shape CiviCRM's import wizards
// take. Contacts first (Contacts → Import Contacts, as Individuals), then
// activities (Activities → Import Activities), matched to their contact by
// External Identifier. Column names are CiviCRM's field labels where a
// field exists (so the wizard pre-selects them) and the custom fields the
// README asks an admin to create otherwise. No free text people wrote in
// chat goes in: no enquiry, note, evidence or thanks message; subjects are
// the catalogue's job titles and the meetings' titles.
import type { BaseContext } from "../../bot/context.ts";
import { getGroup } from "../../db/groups.ts";
import { getMeeting, type Meeting } from "../../db/meetings.ts";
import { refOf } from "../../db/clinic.ts";
import { allMemberships, allRoleGrants, attendanceBetween, thanksRows, transactionRows, verifiedActions } from "../../db/reports.ts";
import { ref as actionRef } from "../actions/shared.ts";
import { count, type CsvFile } from "./csv.ts";
import { crmDate, crmDateTime, exportablePeople, listOf, type Person, splitName } from "./people.ts";

export const CONTACT_COLUMNS = [
  "External Identifier", "First Name", "Last Name", "Nick Name", "City",
  "Skills", "Interests", "Industry", "Groups and Networks", "Roles", "Chat Accounts", "Member Since",
] as const;

export const ACTIVITY_COLUMNS = [
  "External Identifier", "Activity Type", "Subject", "Activity Date", "Duration", "Activity Status",
  "Group", "Category", "Source External Identifier", "coopbot Reference",
] as const;

/** The activity types to create in CiviCRM before importing (README). */
export const ACTIVITY_TYPES = { action: "Federation action", attended: "Meeting attended", transaction: "Clinic transaction", thanks: "Thanks received" } as const;

const GROUP_SCOPE = /^group:(\d+)$/;

function rolesByMember(ctx: BaseContext): Map<number, string[]> {
  const out = new Map<number, string[]>();
  for (const g of allRoleGrants(ctx.db)) {
    const group = GROUP_SCOPE.exec(g.scope);
    const label = group ? `${g.role} of ${getGroup(ctx.db, Number(group[1]))?.name ?? g.scope}` : g.role;
    out.set(g.memberId, [...(out.get(g.memberId) ?? []), label]);
  }
  return out;
}

export function civicrmContacts(ctx: BaseContext, people = exportablePeople(ctx)): CsvFile {
  const groups = new Map<number, string[]>();
  for (const m of allMemberships(ctx.db)) groups.set(m.memberId, [...(groups.get(m.memberId) ?? []), m.name]);
  const roles = rolesByMember(ctx);
  const row = (p: Person) => {
    const { first, last } = splitName(p.displayName);
    return [p.externalId, first, last, p.displayName, p.location ?? "", listOf(p.skills), listOf(p.interests), listOf(p.industry), (groups.get(p.id) ?? []).join(", "), (roles.get(p.id) ?? []).join(", "), p.accounts.join(", "), crmDate(ctx, p.createdAt)];
  };
  const rows = [...people.values()].map(row);
  return { name: "civicrm-contacts.csv", header: [...CONTACT_COLUMNS], rows, about: `${count(rows.length, "contact")} (import these first)` };
}

export interface ActivityCounts {
  actions: number;
  attended: number;
  transactions: number;
  thanks: number;
}

export function civicrmActivities(ctx: BaseContext, people = exportablePeople(ctx)): CsvFile & { counts: ActivityCounts } {
  const rows: (string | number)[][] = [];
  const ext = (id: number | null) => (id === null ? undefined : people.get(id)?.externalId);
  const groupName = (id: number | null) => (id === null ? "" : (getGroup(ctx.db, id)?.name ?? ""));
  const counts: ActivityCounts = { actions: 0, attended: 0, transactions: 0, thanks: 0 };
  for (const a of verifiedActions(ctx.db)) {
    const who = ext(a.memberId);
    // Attendance has its own activity (with the meeting) below; the action it made would count it twice.
    if (!who || a.source?.startsWith("meeting:")) continue;
    counts.actions++;
    rows.push([who, ACTIVITY_TYPES.action, a.jobTitle ?? "Action in their own words", crmDateTime(ctx, a.doneAt), a.hours === null ? "" : Math.round(a.hours * 60), "Completed", groupName(a.groupId), a.journey ?? "", "", actionRef(a.id)]);
  }
  const meetings = new Map<number, Meeting | undefined>();
  for (const a of attendanceBetween(ctx.db, undefined, Number.MAX_SAFE_INTEGER)) {
    const who = ext(a.memberId);
    if (!who) continue;
    if (!meetings.has(a.meetingId)) meetings.set(a.meetingId, getMeeting(ctx.db, a.meetingId));
    const meeting = meetings.get(a.meetingId);
    counts.attended++;
    rows.push([who, ACTIVITY_TYPES.attended, meeting?.title ?? "A meeting", crmDateTime(ctx, a.occurrenceAt), meeting?.durationMinutes ?? "", "Completed", groupName(a.groupId), meeting?.kind ?? "meeting", "", `attendance:${a.meetingId}:${a.occurrence}:${a.memberId}`]);
  }
  for (const t of transactionRows(ctx.db)) {
    const who = ext(t.adviserId);
    if (!who) continue;
    counts.transactions++;
    rows.push([who, ACTIVITY_TYPES.transaction, `Clinic advice${t.category ? `: ${t.category}` : ""}`, crmDateTime(ctx, t.startedAt), "", t.resolvedAt === null ? "Scheduled" : "Completed", "", t.category ?? "", ext(t.triagerId) ?? "", `${refOf(t.enquiryId)}/${t.id}`]);
  }
  for (const t of thanksRows(ctx.db)) {
    const who = ext(t.recipientId);
    if (!who) continue;
    counts.thanks++;
    rows.push([who, ACTIVITY_TYPES.thanks, `Thanks${t.value ? ` (#${t.value})` : ""}`, crmDateTime(ctx, t.createdAt), "", "Completed", "", t.value ?? "", ext(t.giverId) ?? "", `thanks:${t.thanksId}:${t.recipientId}`]);
  }
  const about = `${count(rows.length, "activity", "activities")}: ${count(counts.actions, "action")}, ${count(counts.attended, "meeting")} attended, ${count(counts.transactions, "clinic transaction")}, ${counts.thanks} thanks (import after the contacts)`;
  return { name: "civicrm-activities.csv", header: [...ACTIVITY_COLUMNS], rows, about, counts };
}
