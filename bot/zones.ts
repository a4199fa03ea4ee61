// Time zones as people type them. Abbreviations like EST are accepted by the
// time zone database (as fixed offsets, or as legacy aliases) but rarely
// mean what the typer means: "EST" never moves to summer time, so a New York
// meeting set in EST would be an hour out for half the year. They are
// accepted with a warning that names the IANA zone people usually mean.
import { IANAZone } from "luxon";
import { esc, unesc } from "./markup.ts";

/** What an abbreviation usually means, as an IANA zone and in words. */
const USUAL: Record<string, { zone: string; words: string }> = {
  EST: { zone: "America/New_York", words: "US Eastern time" },
  EDT: { zone: "America/New_York", words: "US Eastern time" },
  CST: { zone: "America/Chicago", words: "US Central time" },
  CDT: { zone: "America/Chicago", words: "US Central time" },
  MST: { zone: "America/Denver", words: "US Mountain time" },
  MDT: { zone: "America/Denver", words: "US Mountain time" },
  PST: { zone: "America/Los_Angeles", words: "US Pacific time" },
  PDT: { zone: "America/Los_Angeles", words: "US Pacific time" },
  HST: { zone: "Pacific/Honolulu", words: "Hawaii time" },
  GMT: { zone: "Europe/London", words: "UK time" },
  BST: { zone: "Europe/London", words: "UK time" },
  GB: { zone: "Europe/London", words: "UK time" },
  WET: { zone: "Europe/Lisbon", words: "Western European time" },
  WEST: { zone: "Europe/Lisbon", words: "Western European time" },
  CET: { zone: "Europe/Paris", words: "Central European time" },
  CEST: { zone: "Europe/Paris", words: "Central European time" },
  MET: { zone: "Europe/Paris", words: "Central European time" },
  EET: { zone: "Europe/Athens", words: "Eastern European time" },
  EEST: { zone: "Europe/Athens", words: "Eastern European time" },
  EIRE: { zone: "Europe/Dublin", words: "Irish time" },
  AEST: { zone: "Australia/Sydney", words: "Australian Eastern time" },
  AEDT: { zone: "Australia/Sydney", words: "Australian Eastern time" },
};

/** Zones without a region that are nonetheless what they say. */
const PLAIN = new Set(["UTC", "ETC/UTC", "ETC/GMT"]);

export type ZoneCheck = { ok: true; zone: string; warning?: string } | { ok: false; error: string };

/**
 * Checks a typed zone. A valid region name passes quietly; an abbreviation
 * the database accepts passes with a warning and the usual IANA name; one it
 * does not know is refused with that name.
 */
export function checkZone(text: string): ZoneCheck {
  const zone = text.trim();
  const usual = USUAL[zone.toUpperCase()];
  if (!IANAZone.isValidZone(zone)) {
    const hint = usual ? ` For ${usual.words}, use ${usual.zone}.` : "";
    return { ok: false, error: `\`${esc(zone)}\` is not a time zone; use a name like Europe/London or America/Toronto.${hint}` };
  }
  if (zone.includes("/") || PLAIN.has(zone.toUpperCase())) return { ok: true, zone };
  const meant = usual ? ` If you mean ${usual.words} (with its clock changes), use ${usual.zone}.` : " A region name like Europe/London or America/New_York follows its clock changes.";
  return { ok: true, zone, warning: `⚠️ ${esc(zone)} is an abbreviation: it may be a fixed offset that never changes for summer time.${meant}` };
}

/**
 * Every `timezone` in a config (the federation's, each group's) that is an
 * abbreviation, with where it is: the same warning a chat edit gets, for the
 * file nobody is watching when it is read. Walks the whole config, so a
 * capability's section needs no hook of its own.
 */
export function configZoneWarnings(config: unknown, path = ""): string[] {
  if (Array.isArray(config)) return config.flatMap((item, i) => configZoneWarnings(item, `${path}[${i}]${slugOf(item)}`));
  if (!config || typeof config !== "object") return [];
  return Object.entries(config).flatMap(([key, value]) => {
    const here = path ? `${path}.${key}` : key;
    if (key === "timezone" && typeof value === "string") {
      const check = checkZone(value);
      return check.ok && check.warning ? [`${here}: ${unesc(check.warning.replace(/^⚠️ /, ""))}`] : [];
    }
    return configZoneWarnings(value, here);
  });
}

const slugOf = (item: unknown) => (item && typeof item === "object" && typeof (item as { slug?: unknown }).slug === "string" ? ` (${(item as { slug: string }).slug})` : "");

/** The zone warnings of a loaded config, named as the file names them (`timezone`, `groups[3] (finance).timezone`). */
export function zoneWarningsOf(config: { timezone: string; sections: Record<string, unknown> }): string[] {
  return configZoneWarnings({ timezone: config.timezone, ...config.sections });
}
