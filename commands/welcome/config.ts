// The `welcome` section of the config file: each group's welcome line and
// whether its drivers hear about open joins, and the onboarding tour's
// texts. Every key has a default, so the section can be left out.
import { z } from "zod";
import { parseDuration } from "../../bot/clock.ts";
import { section, type Config } from "../../bot/config.ts";
import { JOURNEYS } from "../actions/config.ts";
import { SLUG } from "../groups/lookup.ts";

const duration = z.string().refine((s) => parseDuration(s) !== undefined, { message: "a duration like 2d, 12h or 30m" });

/** The profile fields a tour question can fill (each one `profile set <field>` changes later). */
export const QUESTION_FIELDS = ["skills", "location", "industry", "interests"] as const;
export type QuestionField = (typeof QUESTION_FIELDS)[number];

const question = z
  .object({
    field: z.enum(QUESTION_FIELDS),
    /** The question as the tour asks it. */
    ask: z.string().min(1).max(500),
  })
  .strict();

export const DEFAULT_QUESTIONS: z.infer<typeof question>[] = [
  { field: "skills", ask: "What are you good at, or happy to help with? (e.g. graphic design, bookkeeping, writing, running events)" },
  { field: "location", ask: "Where are you based? (a town or region)" },
  { field: "industry", ask: "What does your co-op do, or what field do you work in? (e.g. software, food, printing)" },
];

const groupWelcome = z
  .object({
    /** Said to everyone who joins, after the greeting: "you don't need to attend to start helping". */
    line: z.string().min(1).max(500).optional(),
    /** Overrides `tellDrivers` for this group. */
    tellDrivers: z.boolean().optional(),
  })
  .strict();

const onboardingSchema = z
  .object({
    /** What the federation is, in a few sentences (default: one made from `federation.name`). */
    intro: z.string().min(1).max(1500).optional(),
    questions: z
      .array(question)
      .max(5)
      .default(DEFAULT_QUESTIONS)
      .refine((qs) => new Set(qs.map((q) => q.field)).size === qs.length, { message: "two questions fill the same field" }),
    /** The catalogue journey whose first jobs end the tour. */
    startingJourney: z.enum(JOURNEYS).default("motivate"),
    /** How many of its jobs to show. */
    firstJobs: z.number().int().min(1).max(5).default(3),
    /** The one follow-up, if someone stops half-way, comes this long after the last question. */
    followUpAfter: duration.default("2d"),
    /** What the follow-up says before repeating the question. */
    followUp: z.string().min(1).max(500).default("Just checking in: we stopped half-way through your welcome. Carry on whenever you like, or skip the rest. I won't remind you again."),
    /** The last words of the tour, under the suggestions and jobs. */
    done: z.string().min(1).max(1000).default("That's the tour done: welcome aboard!"),
  })
  .strict()
  .prefault({});

export const welcomeConfigSchema = z
  .object({
    /** A quiet note to an open group's drivers when someone joins it (an approval's driver always gets one). */
    tellDrivers: z.boolean().default(true),
    /** Ways to help shown in a group welcome (open `#action` items with no owner, then the group's jobs). */
    waysToHelp: z.number().int().min(0).max(3).default(3),
    /** Per group, by slug. */
    groups: z.record(z.string().regex(SLUG, "a group's slug"), groupWelcome).default({}),
    onboarding: onboardingSchema,
  })
  .strict()
  .prefault({});

export type WelcomeConfig = z.infer<typeof welcomeConfigSchema>;

export const welcomeConfig = (config: Config): WelcomeConfig => section<WelcomeConfig | undefined>(config, "welcome") ?? welcomeConfigSchema.parse(undefined);

export const followUpAfterMs = (config: Config): number => parseDuration(welcomeConfig(config).onboarding.followUpAfter)!;

/** The tour's opening words about the federation. */
export function introText(config: Config): string {
  return (
    welcomeConfig(config).onboarding.intro ??
    `${config.federation.name} is a federation of worker co-operatives. Working groups run it; peer networks bring together people who share an industry, a place or an identity; and anyone can take on small, defined jobs for the movement.`
  );
}
