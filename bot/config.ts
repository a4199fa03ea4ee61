// The config file: one YAML (or JSON) document, validated before the bot
// starts. Secrets never live here; they come from environment variables.
import { readFileSync } from "node:fs";
import { IANAZone } from "luxon";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { Capability } from "./capability.ts";
import { PLATFORMS, type Platform } from "./events.ts";
import { limitsSchema } from "./limits.ts";

export const ianaZone = z.string().refine((zone) => IANAZone.isValidZone(zone), { message: "not an IANA time zone (e.g. Europe/London)" });

/** `console:alice`, `slack:U0123ABC`, `matrix:@alice:example.org` */
export const platformIdentity = z
  .string()
  .regex(/^[a-z]+:.+$/, "expected platform:id, e.g. slack:U0123ABC")
  .refine((s) => (PLATFORMS as readonly string[]).includes(s.split(":")[0]!), { message: `platform must be one of ${PLATFORMS.join(", ")}` })
  .transform((s) => {
    const at = s.indexOf(":");
    return { platform: s.slice(0, at) as Platform, platformId: s.slice(at + 1) };
  });

/**
 * How long the bot keeps what it only needs for a while (the daily pruning,
 * commands/core/prune.ts). Audit trails are never pruned. At least 2 days:
 * the inbound ledger must outlive every platform's redelivery window
 * (Slack retries within minutes; Matrix replays up to 24 h after a restart).
 */
const storageSchema = z
  .object({
    /** Delivered messages, the inbound dedupe ledger, finished jobs, link codes, website intake deliveries. */
    retentionDays: z.number().int().min(2).max(3650).default(30),
    /** Posts a later decision may still edit (a message key) or whose buttons may still be pressed. */
    editableMessageDays: z.number().int().min(2).max(3650).default(180),
    /**
     * `normal`: a commit is safe from a crash of the bot, not from a power cut
     * (the last commits before it can be lost). `full`: safe from both, at an
     * fsync per commit (README, "What a power cut can lose").
     */
    synchronous: z.enum(["normal", "full"]).default("normal"),
  })
  .strict()
  .refine((s) => s.editableMessageDays >= s.retentionDays, { message: "must be at least retentionDays", path: ["editableMessageDays"] })
  .prefault({});

/**
 * Email, one more delivery channel of the outbox (clinic enquirers from the
 * website). Any of it may come from the environment instead (SMTP_HOST,
 * SMTP_PORT, SMTP_TLS, SMTP_USER, SMTP_FROM), which wins; the password only
 * ever does (SMTP_PASSWORD). The section's presence switches email on; the
 * adapter (adapters/email) says at start what is missing.
 */
const emailSchema = z
  .object({
    /** Who the mail comes from: `Co-op Clinic <clinic@workers.coop>`. */
    from: z.string().min(3).optional(),
    smtp: z
      .object({
        host: z.string().min(1).optional(),
        port: z.number().int().min(1).max(65535).optional(),
        /** `starttls` (the default; port 587): upgrade, and refuse to send if the server can't; `tls`: TLS from the first byte (port 465); `none`: plain, for a relay on the same machine only. */
        tls: z.enum(["starttls", "tls", "none"]).optional(),
        user: z.string().min(1).optional(),
      })
      .strict()
      .prefault({}),
  })
  .strict();

const coreSchema = z
  .object({
    federation: z.object({ name: z.string().min(1).default("our federation") }).strict().default({ name: "our federation" }),
    timezone: ianaZone.default("Europe/London"),
    admins: z.array(platformIdentity).default([]),
    console: z
      .object({
        /** Console room kinds (the console has no real rooms): `triage: private`. */
        rooms: z.record(z.string(), z.enum(["public", "private"])).default({}),
      })
      .strict()
      .default({ rooms: {} }),
    http: z
      .object({ port: z.number().int().min(0).max(65535), host: z.string().default("127.0.0.1"), publicUrl: z.string().url().optional() })
      .strict()
      .optional(),
    /** Optional: email (needs `http.publicUrl`, for the links it carries). */
    email: emailSchema.optional(),
    storage: storageSchema,
    /** What one member may ask of the bot (bot/limits.ts). */
    limits: limitsSchema,
  })
  .strict();

export type CoreConfig = z.infer<typeof coreSchema>;
export type Config = CoreConfig & { sections: Record<string, unknown>; source: string };

export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`config error in ${source}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** Validates a parsed document against the core schema plus each capability's section. */
export function buildConfig(doc: unknown, capabilities: readonly Capability[], source = "(inline)"): Config {
  const sections = Object.fromEntries(capabilities.filter((c) => c.config).map((c) => [c.config!.key, c.config!.schema]));
  const schema = coreSchema.extend(sections);
  const parsed = schema.safeParse(doc ?? {});
  if (!parsed.success) {
    throw new ConfigError(
      source,
      parsed.error.issues.map((i) => `${i.path.length ? i.path.join(".") : "(top level)"}: ${i.message}`),
    );
  }
  const data = parsed.data as Record<string, unknown>;
  // Across sections, so not a refinement (a refined schema can't be extended with the capabilities' sections).
  if (data.email && !(data.http as CoreConfig["http"])?.publicUrl) {
    throw new ConfigError(source, ["email: needs http.publicUrl, the address people reach the bot's pages at (every email carries a link to one)"]);
  }
  const core = Object.fromEntries(Object.keys(coreSchema.shape).map((k) => [k, data[k]])) as CoreConfig;
  return { ...core, sections: Object.fromEntries(Object.keys(sections).map((k) => [k, data[k]])), source };
}

export function loadConfig(path: string, capabilities: readonly Capability[]): Config {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(path, [`cannot read the file: ${(err as Error).message}`]);
  }
  let doc: unknown;
  try {
    doc = path.endsWith(".json") ? JSON.parse(text) : parseYaml(text);
  } catch (err) {
    throw new ConfigError(path, [`not valid ${path.endsWith(".json") ? "JSON" : "YAML"}: ${(err as Error).message.split("\n")[0]}`]);
  }
  return buildConfig(doc, capabilities, path);
}

/** A capability's validated section (its own schema's output type). */
export function section<T>(config: Config, key: string): T {
  return config.sections[key] as T;
}
