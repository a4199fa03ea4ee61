// The `clinic` section of the config file, and the start-up check that the
// triage room is private (enquiry cards and the work around them go there).
import { z } from "zod";
import type { BaseContext } from "../../bot/context.ts";
import { type Config, ConfigError, platformIdentity, section } from "../../bot/config.ts";
import type { Platform } from "../../bot/events.ts";
import type { BusinessHours } from "./business-hours.ts";

const DAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "a 24-hour time like 09:00");
const minutesOf = (time: string) => Number(time.slice(0, 2)) * 60 + Number(time.slice(3, 5));

const businessHoursSchema = z
  .object({
    days: z.array(z.enum(DAYS)).min(1).default(["mon", "tue", "wed", "thu", "fri"]),
    start: hhmm.default("09:00"),
    end: hhmm.default("17:30"),
  })
  .strict()
  .refine((h) => minutesOf(h.end) > minutesOf(h.start), { message: "end must be after start" });

export const clinicConfigSchema = z
  .object({
    /** Where new enquiry cards go: `console:triage`, `slack:C0123ABC`, `matrix:!abc:example.org`. Without one, triagers get them by DM. */
    triageRoom: platformIdentity.optional(),
    /** The clinic's clock: escalations count only these hours, in the config's time zone. */
    businessHours: businessHoursSchema.prefault({}),
    /** Business hours an enquiry may wait unclaimed before the triage room is pinged. */
    escalateToRoomAfterHours: z.number().positive().default(4),
    /** ... and before the triage leads (or admins) are. */
    escalateToLeadsAfterHours: z.number().positive().default(24),
    /** Days of silence from an adviser before the bot checks in with them. */
    checkInAfterDays: z.number().positive().default(7),
    /** How long the link in an email to a website enquirer opens their reply page (each email brings a fresh one). */
    replyLinkDays: z.number().int().min(1).max(365).default(30),
  })
  .strict()
  .refine((c) => c.escalateToLeadsAfterHours > c.escalateToRoomAfterHours, { message: "escalateToLeadsAfterHours must be more than escalateToRoomAfterHours" })
  .prefault({});

type Section = z.infer<typeof clinicConfigSchema>;

export interface ClinicSettings {
  triageRoom?: { platform: Platform; id: string };
  hours: BusinessHours;
  roomAfterMs: number;
  leadsAfterMs: number;
  checkInAfterMs: number;
  replyLinkMs: number;
}

const HOUR = 3600_000;

export function clinicSettings(config: Config): ClinicSettings {
  const s = section<Section>(config, "clinic");
  return {
    triageRoom: s.triageRoom ? { platform: s.triageRoom.platform, id: s.triageRoom.platformId } : undefined,
    hours: {
      zone: config.timezone,
      days: s.businessHours.days.map((d) => DAYS.indexOf(d) + 1),
      startMinute: minutesOf(s.businessHours.start),
      endMinute: minutesOf(s.businessHours.end),
    },
    roomAfterMs: s.escalateToRoomAfterHours * HOUR,
    leadsAfterMs: s.escalateToLeadsAfterHours * HOUR,
    checkInAfterMs: s.checkInAfterDays * 24 * HOUR,
    replyLinkMs: s.replyLinkDays * 24 * HOUR,
  };
}

/**
 * Refuses to start with a console triage room that isn't declared private.
 * (Slack and Matrix rooms can't be checked from the config; the cards never
 * carry an enquiry's text anyway, only its reference and category.)
 */
/** Website enquirers are written to by email: the config has an `email` section (which needs `http.publicUrl`). */
export function emailOn(config: Config): boolean {
  return config.email !== undefined && config.http?.publicUrl !== undefined;
}

export function checkTriageRoom(ctx: BaseContext): void {
  const room = clinicSettings(ctx.config).triageRoom;
  if (room?.platform === "console" && ctx.config.console.rooms[room.id] !== "private") {
    throw new ConfigError(ctx.config.source, [
      `clinic.triageRoom: console:${room.id} is not a private room; enquiries may only be worked on in a private room (add \`${room.id}: private\` under console.rooms)`,
    ]);
  }
}
