// The catalogue of defined jobs: `jobs`, `job <slug>` for everyone;
// `job add|edit|retire` for admins. A chat edit marks the job so the config
// seed never overwrites it.
import { z } from "zod";
import { defineCommand, optionFlag } from "../../bot/command.ts";
import type { CommandContext } from "../../bot/context.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { nearest } from "../../bot/suggest.ts";
import { findGroupBySlug } from "../../db/groups.ts";
import { findJobBySlug, insertActionJob, listJobs, updateActionJob, type ActionJob, type NewActionJob } from "../../db/actions.ts";
import { SLUG } from "../groups/lookup.ts";
import { AUTOMATIC, JOURNEYS, RESERVED_SLUGS } from "./config.ts";
import { formatPoints } from "./points.ts";
import { journeyLabel } from "./shared.ts";

const AUTOMATIC_SLUGS: string[] = Object.values(AUTOMATIC);

/** A job by slug, or a refusal that suggests the nearest one. */
export function resolveJob(ctx: CommandContext, slug: string): ActionJob {
  const job = findJobBySlug(ctx.db, slug);
  if (job) return job;
  const guess = nearest(slug, listJobs(ctx.db, { includeRetired: true }).map((j) => j.slug));
  return ctx.fail(`There's no job \`${esc(slug)}\`.${guess ? ` Did you mean \`${guess}\`?` : ""} ${cmd("jobs")} lists them.`);
}

function jobLine(job: ActionJob): string {
  const effort = job.effort ? ` · ${esc(job.effort)}` : "";
  const auto = AUTOMATIC_SLUGS.includes(job.slug) ? " · recorded for you" : "";
  return `• \`${job.slug}\` — ${esc(job.title)}${effort} · weight ${formatPoints(job.weight)}${auto}`;
}

export const jobsList = defineCommand({
  name: "jobs",
  summary: "List the jobs you can do for the federation, by journey",
  examples: ["jobs", "jobs educate"],
  args: z.object({ journey: z.enum(JOURNEYS).optional().describe("only one journey: motivate, educate or organise") }),
  positional: ["journey"],
  allow: "everyone",
  readOnly: true,
  run(ctx, args) {
    const jobs = listJobs(ctx.db, { journey: args.journey });
    if (jobs.length === 0) return ctx.reply("There are no jobs in the catalogue yet.");
    const lines = [`*Jobs you can do for the federation* (${cmd("job <job>")} explains one; ${cmd("log <job> ...")} records it)`];
    for (const journey of JOURNEYS) {
      const inJourney = jobs.filter((j) => j.journey === journey);
      if (inJourney.length === 0) continue;
      lines.push(`*${journeyLabel(journey)}*`, ...inJourney.map(jobLine));
    }
    lines.push("Done something that isn't listed? Log it in your own words: it counts too.");
    ctx.reply(lines.join("\n"));
  },
});

export const jobShow = defineCommand({
  name: "job",
  summary: "Explain one job: what it involves, its effort and weight",
  examples: ["job contact-coop"],
  args: z.object({ job: z.string().describe("the job's slug (see `jobs`)") }),
  positional: ["job"],
  allow: "everyone",
  run(ctx, args) {
    const job = resolveJob(ctx, args.job);
    const lines = [`*${esc(job.title)}* (\`${job.slug}\`) — ${journeyLabel(job.journey)} journey`];
    if (job.description) lines.push(esc(job.description));
    if (job.effort) lines.push(`Suggested effort: ${esc(job.effort)}`);
    const helps = jobGroups(job);
    if (helps.length) lines.push(`Helps: ${helps.map((slug) => esc(findGroupBySlug(ctx.db, slug)?.name ?? slug)).join(", ")}`);
    lines.push(`Weight: ${formatPoints(job.weight)} (points for a verified action; ${cmd("help contributions")} explains the counting)`);
    if (job.status === "retired") lines.push("_Retired: it can't be logged any more; past actions still count._");
    else if (AUTOMATIC_SLUGS.includes(job.slug)) lines.push("Recorded for you automatically, already verified.");
    else lines.push(`Log it with ${cmd(`log ${job.slug} <what you did> [--group <group>] [--hours <hours>]`)}`);
    ctx.reply(lines.join("\n"));
  },
});

const jobOptions = {
  journey: z.enum(JOURNEYS).optional().describe("motivate, educate or organise"),
  effort: z.string().max(120).optional().describe('suggested effort, in words ("about an hour")'),
  weight: z.coerce.number().min(0).max(20).optional().describe("points a verified action is worth (default 1)"),
  description: z.string().max(2000).optional().describe("what the job involves"),
  groups: z.string().max(400).optional().describe('the groups it helps, by slug, comma-separated ("comms,digital"; "" for none)'),
};

/** The slugs of the groups a job helps. */
export const jobGroups = (job: Pick<ActionJob, "groups">): string[] => job.groups.split(",").filter(Boolean);

/** `--groups comms,digital` as stored, or a refusal naming a group that doesn't exist. */
function groupsValue(ctx: CommandContext, typed: string): string {
  const slugs = [...new Set(typed.split(",").map((s) => s.trim().replace(/^#/, "").toLowerCase()).filter(Boolean))];
  for (const slug of slugs) if (!findGroupBySlug(ctx.db, slug)) return ctx.fail(`There's no group \`${esc(slug)}\` (${cmd("groups")} lists them).`);
  return slugs.join(",");
}

function jobValues(ctx: CommandContext, args: { journey?: string; effort?: string; weight?: number; description?: string; groups?: string }): Partial<NewActionJob> {
  const values: Partial<NewActionJob> = {};
  if (args.groups !== undefined) values.groups = groupsValue(ctx, args.groups);
  if (args.journey) values.journey = args.journey;
  if (args.effort !== undefined) values.effort = args.effort;
  if (args.weight !== undefined) values.weight = args.weight;
  if (args.description !== undefined) values.description = args.description;
  return values;
}

export const jobAdd = defineCommand({
  name: "job add",
  summary: "Add a job to the catalogue",
  examples: ['job add stall "Run a stall at a fair" --journey motivate --effort "half a day" --weight 3'],
  args: z.object({
    slug: z.string().regex(SLUG, "use lowercase letters, digits and dashes, e.g. run-stall").describe("short name people type"),
    title: z.string().min(1).max(120).describe("what the job is, in quotes"),
    ...jobOptions,
  }),
  positional: ["slug", "title"],
  allow: ["admin"],
  run(ctx, args) {
    if (RESERVED_SLUGS.includes(args.slug)) return ctx.fail(`\`${args.slug}\` can't be a job's slug (it's a sub-command of ${cmd("job")}).`);
    if (findJobBySlug(ctx.db, args.slug)) return ctx.fail(`There is already a job \`${args.slug}\`; change it with ${cmd(`job edit ${args.slug}`)}.`);
    if (!args.journey) return ctx.fail("Say which journey it belongs to: `--journey motivate`, `educate` or `organise`.", { showUsage: true });
    const job = insertActionJob(ctx.db, { slug: args.slug, title: args.title, journey: args.journey, effort: "", weight: 1, description: "", ...jobValues(ctx, args), origin: "chat", createdAt: ctx.now });
    ctx.reply(`Added \`${job.slug}\` — ${esc(job.title)} (${journeyLabel(job.journey)}, weight ${formatPoints(job.weight)}). Members can now ${cmd(`log ${job.slug} ...`)}.`);
  },
});

export const jobEdit = defineCommand({
  name: "job edit",
  summary: "Change a job's title, journey, effort, weight or description",
  examples: ['job edit share-campaign --weight 2', 'job edit contact-coop --effort "an hour or two"', "job edit write-case-study --groups comms"],
  args: z.object({ job: z.string().describe("the job's slug"), title: z.string().min(1).max(120).optional().describe("the new title"), ...jobOptions }),
  positional: ["job"],
  allow: ["admin"],
  run(ctx, args) {
    const job = resolveJob(ctx, args.job);
    const values = { ...jobValues(ctx, args), ...(args.title ? { title: args.title } : {}) };
    const changed = Object.keys(values);
    if (changed.length === 0) return ctx.fail("Say what to change, e.g. `--weight 2` or `--effort \"an hour\"`.", { showUsage: true });
    updateActionJob(ctx.db, job.id, { ...values, editedInChatAt: ctx.now });
    const note = values.weight !== undefined ? " The new weight applies to every report from now on, including past actions." : "";
    ctx.reply(`Updated \`${job.slug}\`: ${changed.map(optionFlag).join(", ")}.${note}`);
  },
});

export const jobRetire = defineCommand({
  name: "job retire",
  summary: "Retire a job: it can't be logged any more, but past actions still count",
  examples: ["job retire share-campaign"],
  args: z.object({ job: z.string().describe("the job's slug") }),
  positional: ["job"],
  allow: ["admin"],
  run(ctx, args) {
    const job = resolveJob(ctx, args.job);
    if (AUTOMATIC_SLUGS.includes(job.slug)) return ctx.fail(`\`${job.slug}\` is recorded automatically (meetings and the clinic); change its weight instead of retiring it.`);
    if (job.status === "retired") return ctx.fail(`\`${job.slug}\` is already retired.`);
    updateActionJob(ctx.db, job.id, { status: "retired", editedInChatAt: ctx.now });
    ctx.reply(`Retired \`${job.slug}\`. Past actions of it keep counting.`);
  },
});
