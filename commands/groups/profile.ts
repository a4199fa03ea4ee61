// Member profiles: what people can offer and where they are. Drivers search
// them for volunteers; a place or industry suggests matching peer networks.
import { z } from "zod";
import { defineCommand } from "../../bot/command.ts";
import type { CommandContext } from "../../bot/context.ts";
import type { Button } from "../../bot/events.ts";
import { PLATFORMS } from "../../bot/events.ts";
import { cmd, esc, mention } from "../../bot/markup.ts";
import { checkZone } from "../../bot/zones.ts";
import { groupsOf, isMember, listGroups, type Group } from "../../db/groups.ts";
import { identitiesOf, setMemberPreference } from "../../db/members.ts";
import { allProfiles, getProfile, setProfile, type ProfileField } from "../../db/profiles.ts";
import { tagsOf } from "./lookup.ts";

const FIELDS = ["skills", "location", "industry", "interests", "timezone", "platform", "suggestions"] as const;

export const profileShow = defineCommand({
  name: "profile",
  summary: "Show your profile (or another member's)",
  examples: ["profile", "profile @sam"],
  args: z.object({ member: z.string().optional().describe("whose profile (default: yours)") }),
  positional: ["member"],
  allow: "everyone",
  run(ctx, args) {
    const member = args.member ? ctx.resolveMember(args.member) : ctx.member(ctx.actor.memberId);
    const own = member.id === ctx.actor.memberId;
    const p = getProfile(ctx.db, member.id);
    const groups = groupsOf(ctx.db, member.id).map((g) => g.slug);
    const lines = [
      `*${esc(member.displayName)}*`,
      `Skills: ${esc(p?.skills ?? "—")}`,
      `Location: ${esc(p?.location ?? "—")}`,
      `Industry: ${esc(p?.industry ?? "—")}`,
      `Interests: ${esc(p?.interests ?? "—")}`,
      `Groups: ${groups.length ? groups.join(", ") : "none yet"}`,
    ];
    if (own) {
      lines.push(`Time zone: ${member.timezone ?? `${ctx.config.timezone} (the federation's)`}`, `Private messages on: ${member.preferredPlatform ?? "wherever you last asked"}`);
      lines.push(`Change with ${cmd('profile set skills "graphic design, motion graphics"')} (also location, industry, interests, timezone, platform, suggestions on|off).`);
    }
    ctx.reply(lines.join("\n"));
  },
});

export const profileSet = defineCommand({
  name: "profile set",
  summary: "Set part of your profile: skills, location, industry, interests, timezone, platform",
  examples: ['profile set skills "graphic design, motion graphics"', "profile set location Glasgow", "profile set timezone Europe/Madrid", "profile set suggestions off"],
  args: z.object({ field: z.enum(FIELDS).describe(FIELDS.join(", ")), value: z.string().min(1).max(500).describe("the new value") }),
  positional: ["field", "value..."],
  allow: "everyone",
  run(ctx, { field, value }) {
    const me = ctx.actor.memberId;
    if (field === "timezone") {
      const checked = checkZone(value);
      if (!checked.ok) return ctx.fail(checked.error);
      setMemberPreference(ctx.db, me, { timezone: checked.zone });
      return ctx.reply([`Times will be shown to you in ${checked.zone}.`, checked.warning].filter(Boolean).join("\n"));
    }
    if (field === "platform") {
      const platform = value.toLowerCase();
      if (!(PLATFORMS as readonly string[]).includes(platform)) return ctx.fail(`Choose one of ${PLATFORMS.join(", ")}.`);
      if (!identitiesOf(ctx.db, me).some((i) => i.platform === platform)) return ctx.fail(`You haven't used me on ${platform} yet.`);
      setMemberPreference(ctx.db, me, { preferredPlatform: platform });
      return ctx.reply(`Private messages will reach you on ${platform} unless you're talking to me elsewhere.`);
    }
    if (field === "suggestions") {
      if (!/^(on|off)$/i.test(value)) return ctx.fail("Say `on` or `off`.");
      setProfile(ctx.db, me, { suggestNetworks: value.toLowerCase() === "on" }, ctx.now);
      return ctx.reply(`Peer network suggestions are ${value.toLowerCase()}.`);
    }
    setProfile(ctx.db, me, { [field as ProfileField]: value }, ctx.now);
    ctx.reply(`Your ${field}: ${esc(value)}.`);
    if (field === "location" || field === "industry") suggestNetworks(ctx);
  },
});

/** Peer networks whose tags match a member's location or industry, that they're not in yet. */
export function matchingNetworks(ctx: CommandContext, memberId: number): Group[] {
  const p = getProfile(ctx.db, memberId);
  const words = new Set(`${p?.location ?? ""} ${p?.industry ?? ""}`.toLowerCase().split(/[^\p{L}\p{N}+-]+/u).filter(Boolean));
  return listGroups(ctx.db).filter(
    (g) => g.kind === "network" && g.status === "active" && g.policy !== "closed" && !isMember(ctx.db, g.id, memberId) && tagsOf(g).some((t) => words.has(t) || [...words].join(" ").includes(t)),
  );
}

/** Offers, never joins: the member decides with a button or a typed `join`. */
function suggestNetworks(ctx: CommandContext): void {
  if (getProfile(ctx.db, ctx.actor.memberId)?.suggestNetworks === false) return;
  const networks = matchingNetworks(ctx, ctx.actor.memberId);
  if (networks.length === 0) return;
  const buttons: Button[] = networks.slice(0, 5).map((g) => ({ label: `Join ${g.name}`, command: `join ${g.slug}` }));
  ctx.reply({
    text: `You might like ${networks.map((g) => `*${esc(g.name)}*`).join(", ")} — ${networks.map((g) => cmd(`join ${g.slug}`)).join(" or ")}. (${cmd("profile set suggestions off")} stops these.)`,
    buttons,
  });
}

export const volunteers = defineCommand({
  name: "volunteers",
  summary: "Find members whose skills or interests match (for drivers)",
  examples: ["volunteers design", "volunteers bookkeeping finance"],
  args: z.object({ skills: z.array(z.string().min(2)).min(1).describe("words to look for in skills and interests") }),
  positional: ["skills..."],
  allow: ["driver", "admin"],
  run(ctx, { skills }) {
    const words = skills.map((s) => s.toLowerCase());
    const found = allProfiles(ctx.db).filter((p) => words.some((w) => `${p.skills ?? ""} ${p.interests ?? ""}`.toLowerCase().includes(w)));
    if (found.length === 0) return ctx.reply(`Nobody has listed ${words.join(" or ")} yet. Members add skills with ${cmd('profile set skills "..."')}.`);
    const lines = found
      .sort((a, b) => a.displayName.localeCompare(b.displayName))
      .map((p) => `• ${mention(p.memberId)} — ${esc(p.skills ?? "")}${p.location ? ` · ${esc(p.location)}` : ""}${p.interests ? ` · interested in ${esc(p.interests)}` : ""}`);
    ctx.reply([`*Volunteers matching ${esc(words.join(", "))}*`, ...lines].join("\n"));
  },
});
