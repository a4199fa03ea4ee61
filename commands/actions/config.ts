// The `actions` section of the config file: the job catalogue, the thanks
// allowance, the weekly digest, the leaderboard switch, what "completing a
// journey" means, and the strategy's targets. The seed brings the catalogue
// in line with it at every start without clobbering chat edits.
import { z } from "zod";
import type { BaseContext } from "../../bot/context.ts";
import { platformIdentity, section, type Config } from "../../bot/config.ts";
import { findJobBySlug, insertActionJob, updateActionJob, type NewActionJob } from "../../db/actions.ts";
import { SLUG } from "../groups/lookup.ts";

export const JOURNEYS = ["motivate", "educate", "organise"] as const;
export type Journey = (typeof JOURNEYS)[number];
export const WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"] as const;

/** Words that follow `job` as sub-commands, so they can't be slugs. */
export const RESERVED_SLUGS = ["add", "edit", "retire"];

/** The jobs other capabilities' events record automatically (meetings, clinic). */
export const AUTOMATIC = { attendMeeting: "attend-meeting", clinicAdvice: "clinic-advice", clinicTriage: "clinic-triage" } as const;

const jobSeed = z
  .object({
    slug: z
      .string()
      .regex(SLUG, "lowercase letters, digits and dashes, e.g. share-campaign")
      .refine((s) => !RESERVED_SLUGS.includes(s), { message: `add, edit and retire can't be job slugs` }),
    title: z.string().min(1).max(120),
    journey: z.enum(JOURNEYS),
    effort: z.string().max(120).default(""),
    weight: z.number().min(0).max(20).default(1),
    description: z.string().max(2000).default(""),
    /** Groups (by slug) this job helps: a newcomer to one of them is offered it. */
    groups: z.array(z.string().regex(SLUG, "a group's slug")).max(20).default([]),
  })
  .strict();

export type JobSeed = z.infer<typeof jobSeed>;

/** Always in the catalogue (the config may restate them to change title or weight). */
export const AUTOMATIC_JOBS: JobSeed[] = [
  { slug: AUTOMATIC.attendMeeting, title: "Attend a meeting", journey: "organise", effort: "an hour", weight: 1, description: "Recorded for you when a driver takes attendance at a group or network meeting.", groups: [] },
  { slug: AUTOMATIC.clinicAdvice, title: "Advise through the clinic", journey: "educate", effort: "an hour or two", weight: 3, description: "Recorded for you when a clinic handoff you took is resolved.", groups: [] },
  { slug: AUTOMATIC.clinicTriage, title: "Triage a clinic enquiry", journey: "organise", effort: "30 minutes", weight: 2, description: "Recorded for you when an enquiry you triaged is resolved.", groups: [] },
];

/** The strategy's targets; a config's `targets` adds to or changes these. */
export const DEFAULT_TARGETS: Record<string, number> = {
  "meetings.networks-active": 12,
  "meetings.network-participants": 150,
  "actions.activists": 50,
  "actions.supporters": 50,
  "meetings.webinars": 10,
  "clinic.triagers": 5,
  "clinic.advisers": 20,
  "clinic.transactions": 30,
  "clinic.website-enquiries": 100,
};

export const actionsConfigSchema = z
  .object({
    jobs: z
      .array(jobSeed)
      .default([])
      .refine((jobs) => new Set(jobs.map((j) => j.slug)).size === jobs.length, { message: "two jobs have the same slug" }),
    /** Thanks each member can give per calendar month (each person named uses one). */
    allowance: z.number().int().min(1).max(1000).default(20),
    /** Verified actions of this many distinct jobs of one journey complete it. */
    journeyCompletion: z.number().int().min(1).max(20).default(3),
    /** Adds a `leaderboard` command. Off by default: recognition here is not a race. */
    leaderboard: z.boolean().default(false),
    /** Points for an action in the member's own words, not filed under a job. */
    freeTextWeight: z.number().min(0).max(20).default(1),
    /** The weekly digest: where (platform:room-id) and when (in the federation's time zone). */
    digest: z
      .object({
        room: platformIdentity,
        weekday: z.enum(WEEKDAYS),
        time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "HH:MM, 24-hour, e.g. 16:00"),
        /** Also post the progress chart (a PNG) after the digest. */
        chart: z.boolean().default(false),
      })
      .strict()
      .optional(),
    targets: z
      .record(z.string().regex(/^[a-z][a-z0-9-]*\.[a-z0-9-]+$/, "metric keys look like actions.activists"), z.number().int().positive())
      .default({})
      .transform((t) => ({ ...DEFAULT_TARGETS, ...t })),
  })
  .strict()
  .prefault({});

export type ActionsConfig = z.infer<typeof actionsConfigSchema>;

export const actionsConfig = (config: Config): ActionsConfig => section<ActionsConfig>(config, "actions");

/** The catalogue the config asks for: the automatic jobs, then the config's own (which win on a clash). */
export function catalogueFromConfig(cfg: ActionsConfig): JobSeed[] {
  const listed = new Set(cfg.jobs.map((j) => j.slug));
  return [...AUTOMATIC_JOBS.filter((j) => !listed.has(j.slug)), ...cfg.jobs];
}

const definition = (seed: JobSeed): Omit<NewActionJob, "origin" | "createdAt"> => ({
  slug: seed.slug,
  title: seed.title,
  journey: seed.journey,
  effort: seed.effort,
  weight: seed.weight,
  description: seed.description,
  groups: seed.groups.join(","),
});

/**
 * New jobs are created; jobs the config created and nobody has changed in
 * chat follow the config; a job added or changed in chat is left alone.
 * Jobs dropped from the config stay (their history matters).
 */
export function seedCatalogue(ctx: BaseContext): void {
  for (const seed of catalogueFromConfig(actionsConfig(ctx.config))) {
    const existing = findJobBySlug(ctx.db, seed.slug);
    if (!existing) insertActionJob(ctx.db, { ...definition(seed), origin: "config", createdAt: ctx.now });
    else if (existing.origin === "config" && existing.editedInChatAt === null) updateActionJob(ctx.db, existing.id, definition(seed));
  }
}
