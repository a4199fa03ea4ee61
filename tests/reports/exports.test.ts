// `export civicrm` and `export csv <table>`: files in the admin's DM, read
// back with a real CSV parser. Their rows are exactly what the database
// holds (counted here with SQL of the test's own), every activity's
// contact is in the contacts file, and nothing anyone wrote in chat or to
// the clinic is in any of them.
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ConsoleLine } from "../../adapters/console/render.ts";
import { ACTIVITY_COLUMNS, CONTACT_COLUMNS } from "../../commands/reports/civicrm.ts";
import { csvField, toCsv } from "../../commands/reports/csv.ts";
import { TABLES } from "../../commands/reports/tables.ts";
import { TestBot } from "../helpers/bot.ts";
import { buildFederation, CONFIG, SECRET_ENQUIRY, SECRET_NOTE, SECRET_THANKS, START } from "./federation.ts";

let t: TestBot;

beforeAll(async () => {
  t = new TestBot({ start: START, config: CONFIG });
  await buildFederation(t);
}, 120_000);

afterAll(async () => {
  await t?.close();
});

type Row = Record<string, string>;

/** What `member` typing `text` got back: the lines, and every CSV file among them, parsed. */
async function ask(member: string, text: string, room = "general"): Promise<{ lines: ConsoleLine[]; files: Map<string, { text: string; rows: Row[] }> }> {
  t.lines.splice(0);
  await t.say(member, text, room);
  const lines = t.lines.splice(0);
  const files = new Map<string, { text: string; rows: Row[] }>();
  for (const l of lines) {
    if (!l.file) continue;
    const csv = Buffer.from(l.file.data, "base64").toString("utf8");
    files.set(l.file.name, { text: csv, rows: parse(csv, { columns: true, skip_empty_lines: true }) as Row[] });
  }
  return { lines, files };
}

const count = (sql: string): number => (t.db.$client.prepare(sql).get() as { n: number }).n;

/** Members an export may name: themselves, not forgotten, with an account. */
const EXPORTABLE = `select id from members m where merged_into is null and forgotten_at is null and exists (select 1 from identities i where i.member_id = m.id)`;

/** Every text people wrote that the database holds: none of it may be in an export. */
function writtenTexts(): string[] {
  const rows = t.db.$client
    .prepare(
      `select text as t from clinic_enquiries where text is not null union all select text from clinic_notes where text is not null
       union all select outcome from clinic_enquiries where outcome is not null union all select note from actions where note != ''
       union all select reason from thanks union all select text from meeting_notes`,
    )
    .all() as { t: string }[];
  return rows.map((r) => r.t).filter((x) => x.length > 8);
}

describe("export civicrm", () => {
  let contacts: Row[];
  let activities: Row[];
  let texts: string[];

  beforeAll(async () => {
    const { lines, files } = await ask("admin", "/export civicrm");
    expect(lines.filter((l) => l.room === "general").map((l) => l.text)).toEqual(["I've sent the files to you in a direct message: they name people, so they stay out of rooms."]);
    expect(lines.filter((l) => l.file).every((l) => l.room === "dm:admin")).toBe(true);
    expect([...files.keys()]).toEqual(["civicrm-contacts-2026-08-17.csv", "civicrm-activities-2026-08-17.csv"]);
    contacts = files.get("civicrm-contacts-2026-08-17.csv")!.rows;
    activities = files.get("civicrm-activities-2026-08-17.csv")!.rows;
    texts = [...files.values()].map((f) => f.text);
  });

  it("has CiviCRM's column labels, in CRLF lines", () => {
    expect(Object.keys(contacts[0]!)).toEqual([...CONTACT_COLUMNS]);
    expect(Object.keys(activities[0]!)).toEqual([...ACTIVITY_COLUMNS]);
    expect(texts[0]!.split("\r\n")[0]).toBe(CONTACT_COLUMNS.join(","));
  });

  it("has one contact per member who can be named, each with their oldest account as External Identifier", () => {
    expect(contacts).toHaveLength(count(`select count(*) as n from (${EXPORTABLE})`));
    const ids = contacts.map((c) => c["External Identifier"]);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => /^console:[\w.-]+$/.test(id!))).toBe(true);
    const alice = contacts.find((c) => c["External Identifier"] === "console:alice")!;
    expect(alice).toMatchObject({ "First Name": "alice", "Last Name": "", "Nick Name": "alice", City: "Glasgow", Skills: "graphic design, print", "Chat Accounts": "console:alice", "Member Since": "2026-05-04" });
    expect(alice["Groups and Networks"]!.split(", ").sort()).toEqual(["Glasgow network", "Tech network"]);
    expect(contacts.find((c) => c["External Identifier"] === "console:sam")!.Roles).toBe("driver of Communications Group");
    expect(contacts.find((c) => c["External Identifier"] === "console:tara")!.Roles).toBe("triager");
  });

  it("leaves out the member who asked to be forgotten", () => {
    expect(count("select count(*) as n from members where forgotten_at is not null")).toBe(1);
    expect(texts.join("\n")).not.toMatch(/zed/);
  });

  it("has every verified action (attendance apart), every attendance, clinic transaction and thanks, each once, for a contact in the file", () => {
    const byType = (type: string) => activities.filter((a) => a["Activity Type"] === type);
    const forNamed = `member_id in (${EXPORTABLE})`;
    expect(byType("Federation action")).toHaveLength(count(`select count(*) as n from actions where state = 'verified' and (source is null or source not like 'meeting:%') and ${forNamed}`));
    expect(byType("Meeting attended")).toHaveLength(count(`select count(*) as n from meeting_attendance where ${forNamed}`));
    expect(byType("Clinic transaction")).toHaveLength(count(`select count(*) as n from clinic_transactions where adviser_id in (${EXPORTABLE})`));
    expect(byType("Thanks received")).toHaveLength(count(`select count(*) as n from thanks_recipients where recipient_id in (${EXPORTABLE})`));
    expect(activities).toHaveLength(byType("Federation action").length + byType("Meeting attended").length + byType("Clinic transaction").length + byType("Thanks received").length);
    expect(byType("Meeting attended").length).toBeGreaterThan(10);
    const known = new Set(contacts.map((c) => c["External Identifier"]));
    expect(activities.filter((a) => !known.has(a["External Identifier"]!))).toEqual([]);
    const refs = activities.map((a) => a["coopbot Reference"]);
    expect(new Set(refs).size).toBe(refs.length);
  });

  it("dates activities yyyy-mm-dd HH:MM in the federation's zone, and durations in minutes", () => {
    expect(activities.every((a) => /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/.test(a["Activity Date"]!))).toBe(true);
    const meetUp = activities.find((a) => a["Activity Type"] === "Meeting attended" && a["External Identifier"] === "console:bob")!;
    expect(meetUp).toMatchObject({ Subject: "Glasgow meet-up", "Activity Date": "2026-05-12 18:30", Duration: "60", Group: "Glasgow network", "Activity Status": "Completed" });
    const clinic = activities.find((a) => a["Activity Type"] === "Clinic transaction")!;
    expect(clinic).toMatchObject({ "External Identifier": "console:bea", Subject: "Clinic advice: finance", Category: "finance", "Source External Identifier": "console:tara", "coopbot Reference": "CL-0001/1" });
    const thanks = activities.find((a) => a["Activity Type"] === "Thanks received")!;
    expect(thanks).toMatchObject({ "External Identifier": "console:gus", Subject: "Thanks (#solidarity)", "Source External Identifier": "console:alice" });
  });

  it("holds no enquiry, note, outcome or thanks message: nothing anyone wrote in chat", () => {
    const all = texts.join("\n");
    for (const secret of [SECRET_ENQUIRY, SECRET_NOTE, SECRET_THANKS, "SECRET"]) expect(all).not.toContain(secret);
    const written = writtenTexts();
    expect(written.length).toBeGreaterThan(3);
    for (const text of written) expect(all).not.toContain(text);
  });

  it("lets the files' bytes go from the outbox once they are sent, keeping what they were", async () => {
    const stored = () => t.db.$client.prepare("select message from outbox where message like '%\"file\"%' and message like '%civicrm-%'").all() as { message: string }[];
    expect(stored().map((r) => JSON.parse(r.message).file.data.length > 0)).toEqual([true, true]);
    await t.advance(5 * 60_000);
    expect(stored().map((r) => JSON.parse(r.message).file)).toEqual([
      expect.objectContaining({ name: "civicrm-contacts-2026-08-17.csv", data: "" }),
      expect.objectContaining({ name: "civicrm-activities-2026-08-17.csv", data: "" }),
    ]);
  });
});

describe("export csv <table>", () => {
  it.each(TABLES)("gives the %s table with as many rows as the database", async (table) => {
    const { files } = await ask("admin", `export csv ${table}`, "dm:admin");
    const [file] = [...files.values()];
    const expected: Record<string, string> = {
      members: `select count(*) as n from (${EXPORTABLE})`,
      groups: "select count(*) as n from groups",
      memberships: `select count(*) as n from group_members where member_id in (${EXPORTABLE})`,
      actions: `select count(*) as n from actions where state = 'verified' and member_id in (${EXPORTABLE})`,
      attendance: `select count(*) as n from meeting_attendance where member_id in (${EXPORTABLE})`,
      thanks: `select count(*) as n from thanks_recipients where recipient_id in (${EXPORTABLE})`,
      clinic: "select count(*) as n from clinic_transactions",
    };
    expect(file!.rows.length).toBe(count(expected[table]!));
    expect(file!.rows.length).toBeGreaterThan(0);
    for (const text of writtenTexts()) expect(file!.text).not.toContain(text);
  });

  it("is for admins: a driver and a member are refused, and nothing is sent", async () => {
    for (const who of ["sam", "alice"]) {
      const { lines, files } = await ask(who, "/export csv members");
      expect(files.size).toBe(0);
      expect(lines.map((l) => l.text).join("\n")).toMatch(/admin/);
      expect((await ask(who, "/export civicrm")).files.size).toBe(0);
    }
  });

  it("names the tables it has when asked for another", async () => {
    const { lines } = await ask("admin", "/export csv enquiries");
    expect(lines[0]!.text).toContain("members|groups|memberships|actions|attendance|thanks|clinic");
  });
});

describe("CSV fields", () => {
  it("are quoted when they hold a comma, a quote or a line break, and can't start a spreadsheet formula", () => {
    expect(csvField('Sam "the van" Example')).toBe('"Sam ""the van"" Example"');
    expect(csvField("design, print")).toBe('"design, print"');
    expect(csvField("=HYPERLINK(\"http://x\")")).toBe("\"'=HYPERLINK(\"\"http://x\"\")\"");
    expect(csvField("+44 1234")).toBe("'+44 1234");
    expect(csvField(-3)).toBe("-3");
    expect(toCsv(["a", "b"], [["1", null], ["x\ny", 2]])).toBe('a,b\r\n1,\r\n"x\ny",2\r\n');
    expect(parse(toCsv(["a"], [["line one\r\nline two"]]), { columns: true })).toEqual([{ a: "line one\r\nline two" }]);
  });
});
