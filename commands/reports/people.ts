// The members an export may name, each with the external id a CRM knows
// them by: their oldest account on a chat platform, as `platform:id`
// (`slack:U0123ABC`, `matrix:@bea:example.org`). Members merged into
// another (linked accounts) are that other member; members who asked to be
// forgotten are not exported at all.
import { DateTime } from "luxon";
import type { BaseContext } from "../../bot/context.ts";
import { allIdentities, exportableMembers } from "../../db/reports.ts";

export interface Person {
  id: number;
  externalId: string;
  displayName: string;
  accounts: string[];
  preferredPlatform: string | null;
  timezone: string | null;
  createdAt: number;
  skills: string | null;
  location: string | null;
  industry: string | null;
  interests: string | null;
}

export function exportablePeople(ctx: BaseContext): Map<number, Person> {
  const accounts = new Map<number, string[]>();
  for (const i of allIdentities(ctx.db)) accounts.set(i.memberId, [...(accounts.get(i.memberId) ?? []), `${i.platform}:${i.platformId}`]);
  const people = new Map<number, Person>();
  for (const m of exportableMembers(ctx.db)) {
    const own = accounts.get(m.id);
    if (own?.length) people.set(m.id, { ...m, externalId: own[0]!, accounts: own });
  }
  return people;
}

/** `2026-08-17 11:00` in the federation's zone: CiviCRM's "yyyy-mm-dd" import format, with a time. */
export const crmDateTime = (ctx: BaseContext, at: number): string => DateTime.fromMillis(at, { zone: ctx.config.timezone }).toFormat("yyyy-LL-dd HH:mm");
export const crmDate = (ctx: BaseContext, at: number): string => DateTime.fromMillis(at, { zone: ctx.config.timezone }).toFormat("yyyy-LL-dd");
/** ISO 8601 in UTC, for the plain tables: `2026-08-17T08:00:00Z`. */
export const isoUtc = (at: number | null): string => (at === null ? "" : DateTime.fromMillis(at, { zone: "utc" }).toFormat("yyyy-LL-dd'T'HH:mm:ss'Z'"));

/** `Sam Example` → `Sam` + `Example`; one word is a first name alone. */
export function splitName(name: string): { first: string; last: string } {
  const words = name.trim().split(/\s+/);
  return words.length < 2 ? { first: words[0] ?? "", last: "" } : { first: words.slice(0, -1).join(" "), last: words.at(-1)! };
}

/** A profile's comma-separated list, tidied: `design,  print ,web` → `design, print, web`. */
export const listOf = (text: string | null): string => (text ?? "").split(",").map((s) => s.trim()).filter(Boolean).join(", ");
