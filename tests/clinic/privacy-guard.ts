// The clinic's privacy rule as a check on everything the bot queued: no
// outbox row addressed to a room that isn't private (a post, an edit, a
// removal note, or an ephemeral reply there: we count those too, since the
// rule is "enquiry text only in DMs and private rooms") may contain an
// enquiry's text, a note, or any six-word stretch of either.
import type { Db } from "../../db/connection.ts";
import type { RoomKind, Target } from "../../bot/events.ts";
import { unesc } from "../../bot/markup.ts";

export type RoomKindOf = (platform: string, roomId: string) => RoomKind;

const normalise = (text: string) => unesc(text).toLowerCase().replace(/\s+/g, " ").trim();
const WINDOW = 6;

/** The personal text the clinic holds now: enquiries, notes and conversations (erased ones are gone, so tests pass extra secrets). */
export function clinicSecrets(db: Db): string[] {
  const rows = db.$client.prepare("select text from clinic_enquiries where text is not null union all select text from clinic_notes where text is not null union all select text from clinic_messages where text is not null").all() as { text: string }[];
  return rows.map((r) => r.text);
}

/** The full text, and every run of six words in it: a quote or a preview leaks as surely as the whole. */
function fragments(secret: string): string[] {
  const text = normalise(secret);
  const words = text.split(" ");
  if (words.length < 3 && text.length < 15) return [];
  const out = [text];
  for (let i = 0; i + WINDOW <= words.length; i++) out.push(words.slice(i, i + WINDOW).join(" "));
  return out;
}

/** Outbox rows that show clinic text where the wrong people can read it, described for a failure message. */
export function publicLeaks(db: Db, roomKind: RoomKindOf, extraSecrets: readonly string[] = []): string[] {
  const pieces = [...clinicSecrets(db), ...extraSecrets].flatMap(fragments);
  const rows = db.$client.prepare("select id, kind, target, message, msg_key as msgKey from outbox order by id").all() as { id: number; kind: string; target: string; message: string; msgKey: string | null }[];
  const leaks: string[] = [];
  for (const row of rows) {
    const target = JSON.parse(row.target) as Target;
    if (target.kind === "member") continue;
    if (target.platform === "email") {
      leaks.push(...emailLeaks(db, row, target.roomId));
      continue;
    }
    const kind = roomKind(target.platform, target.roomId);
    if (kind !== "public") continue;
    const text = normalise((JSON.parse(row.message) as { text: string }).text);
    const hit = pieces.find((p) => text.includes(p));
    if (hit) leaks.push(`outbox ${row.id} (${row.kind}, ${target.kind} in ${target.platform}:${target.roomId}) contains "${hit}"`);
  }
  return leaks;
}

export function assertNoEnquiryTextInPublic(db: Db, roomKind: RoomKindOf, extraSecrets: readonly string[] = []): void {
  const leaks = publicLeaks(db, roomKind, extraSecrets);
  if (leaks.length > 0) throw new Error(`clinic text reached a room that isn't private:\n${leaks.join("\n")}`);
}

/** Console room kinds as the example config and a transcript's @room lines declare them. */
export function consoleRoomKinds(declared: Record<string, "public" | "private">): RoomKindOf {
  return (_platform, roomId) => (roomId.startsWith("dm:") ? "dm" : declared[roomId] ?? "public");
}

/**
 * An email may carry one enquiry's conversation, to that enquiry's own
 * address only, and never a word of another enquiry.
 */
function emailLeaks(db: Db, row: { id: number; message: string; msgKey: string | null }, to: string): string[] {
  const id = Number(/^clinic:mail:(\d+)$/.exec(row.msgKey ?? "")?.[1]);
  if (!id) return [`outbox ${row.id} is an email that isn't about a clinic enquiry`];
  const own = db.$client.prepare("select contact_email as email from clinic_enquiries where id = ?").get(id) as { email: string | null } | undefined;
  if (to !== "(erased)" && to !== own?.email) return [`outbox ${row.id} emails enquiry ${id}'s conversation to an address that isn't its enquirer's`];
  const others = db.$client
    .prepare(
      `select text from clinic_enquiries where text is not null and id != @id
       union all select text from clinic_notes where text is not null
       union all select text from clinic_messages where text is not null and enquiry_id != @id`,
    )
    .all({ id }) as { text: string }[];
  const text = normalise((JSON.parse(row.message) as { text: string }).text);
  const hit = others.map((r) => r.text).flatMap(fragments).find((p) => text.includes(p));
  return hit ? [`outbox ${row.id} (an email about enquiry ${id}) contains "${hit}", from another enquiry or an internal note`] : [];
}
