// Ways a newcomer can help a group now: `#action` items from its meetings
// that nobody has taken (newest first), then catalogue jobs tied to the
// group. Each line says how to take it up.
import { DateTime } from "luxon";
import type { BaseContext } from "../../bot/context.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { listJobs } from "../../db/actions.ts";
import type { Group } from "../../db/groups.ts";
import { unownedOpenActions } from "../../db/meeting-records.ts";
import { jobGroups } from "../actions/catalogue.ts";
import { AUTOMATIC } from "../actions/config.ts";

const AUTOMATIC_SLUGS: string[] = Object.values(AUTOMATIC);

/** Up to `limit` lines, actions first. */
export function waysToHelp(ctx: BaseContext, group: Group, limit: number): string[] {
  if (limit <= 0) return [];
  const actions = unownedOpenActions(ctx.db, group.id, limit).map(
    (n) => `• ${esc(n.text)} (action ${n.id}, from *${esc(n.title)}* on ${DateTime.fromISO(n.occurrence).setLocale("en-GB").toFormat("d LLL")}): ${cmd(`meeting action take ${n.id}`)}`,
  );
  const jobs = listJobs(ctx.db)
    .filter((j) => jobGroups(j).includes(group.slug) && !AUTOMATIC_SLUGS.includes(j.slug))
    .map((j) => `• ${esc(j.title)}${j.effort ? ` (${esc(j.effort)})` : ""}: ${cmd(`job ${j.slug}`)}`);
  return [...actions, ...jobs].slice(0, limit);
}
