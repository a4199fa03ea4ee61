// The config file: one YAML (or JSON) document, validated before the bot
// starts. Secrets never live here; they come from environment variables.
import { readFileSync } from "node:fs";
import { IANAZone } from "luxon";
import { z } from "zod";
import type { Capability } from "./capability.ts";
import { cacheDocument, cachedDocument } from "./config-cache.ts";
import { type ConfigIssue, type SourceMap, describeIssue, readSource } from "./config-errors.ts";
import { PLATFORMS, type Platform } from "./events.ts";
import { limitsSchema } from "./limits.ts";
import { backupsSchema, httpSchema, shutdownSchema } from "./ops-config.ts";

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
    http: httpSchema,
    /** Optional: email (needs `http.publicUrl`, for the links it carries). */
    email: emailSchema.optional(),
    storage: storageSchema,
    /**
     * Membership follows into rooms: joining a group (or being approved or
     * added) invites the member to the group's linked rooms where the bot
     * may invite; leaving takes them out again only if `removeOnLeave`.
     */
    rooms: z
      .object({ inviteOnJoin: z.boolean().default(true), removeOnLeave: z.boolean().default(false) })
      .strict()
      .prefault({}),
    backups: backupsSchema,
    shutdown: shutdownSchema,
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

/**
 * Validates a parsed document against the core schema plus each
 * capability's section. `map`: where each value is in the file, so a
 * problem names its line and column (loadConfig gives it).
 */
export function buildConfig(doc: unknown, capabilities: readonly Capability[], source = "(inline)", map?: SourceMap): Config {
  const sections = Object.fromEntries(capabilities.filter((c) => c.config).map((c) => [c.config!.key, c.config!.schema]));
  const schema = coreSchema.extend(sections);
  const parsed = schema.safeParse(doc ?? {});
  if (!parsed.success) {
    throw new ConfigError(source, parsed.error.issues.flatMap((i) => describeIssue(i as ConfigIssue, schema, map)));
  }
  const data = parsed.data as Record<string, unknown>;
  // Across sections, so not a refinement (a refined schema can't be extended with the capabilities' sections).
  if (data.email && !(data.http as CoreConfig["http"])?.publicUrl) {
    throw new ConfigError(source, ["email: needs http.publicUrl, the address people reach the bot's pages at (every email carries a link to one)"]);
  }
  const core = Object.fromEntries(Object.keys(coreSchema.shape).map((k) => [k, data[k]])) as CoreConfig;
  return { ...core, sections: Object.fromEntries(Object.keys(sections).map((k) => [k, data[k]])), source };
}

/**
 * Reads and validates the config file. `cacheDir`: where the parsed
 * document may be kept for the next start (bot/config-cache.ts). JSON is
 * read with JSON.parse; YAML through the cache when it has this text. A
 * document that fails validation is read again in full, so each problem
 * names its line and column.
 */
export function loadConfig(path: string, capabilities: readonly Capability[], opts: { cacheDir?: string } = {}): Config {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (err) {
    throw new ConfigError(path, [`cannot read the file: ${(err as Error).message}`]);
  }
  const kind = path.endsWith(".json") ? "JSON" : "YAML";
  const quick = kind === "JSON" ? parseJson(text) : opts.cacheDir ? cachedDocument(opts.cacheDir, path, text) : undefined;
  if (quick !== undefined) {
    try {
      return buildConfig(quick, capabilities, path);
    } catch (err) {
      if (!(err instanceof ConfigError)) throw err; // a problem: said again below, with its position
    }
  }
  const source = readSource(text, kind);
  if ("problem" in source) throw new ConfigError(path, [source.problem]);
  const config = buildConfig(source.doc, capabilities, path, source.map);
  if (kind === "YAML" && opts.cacheDir) cacheDocument(opts.cacheDir, path, text, source.doc);
  return config;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined; // readSource says where
  }
}

/** A capability's validated section (its own schema's output type). */
export function section<T>(config: Config, key: string): T {
  return config.sections[key] as T;
}
