// Where the tour ends: working groups and peer networks that fit what the
// newcomer told it (as Join buttons), and the first jobs of the catalogue's
// starting journey.
import type { BaseContext } from "../../bot/context.ts";
import type { Button, OutboundMessage } from "../../bot/events.ts";
import { cmd, esc } from "../../bot/markup.ts";
import { listJobs } from "../../db/actions.ts";
import { isMember, listGroups, type Group } from "../../db/groups.ts";
import { getProfile } from "../../db/profiles.ts";
import { AUTOMATIC } from "../actions/config.ts";
import { journeyLabel } from "../actions/shared.ts";
import { tagsOf } from "../groups/lookup.ts";
import { welcomeConfig } from "./config.ts";

const PER_KIND = 3;
const AUTOMATIC_SLUGS: string[] = Object.values(AUTOMATIC);

/** Lower-case words of what someone wrote, with a plural's `s` dropped ("graphics" finds "graphic"). */
function wordsOf(...texts: (string | null | undefined)[]): Set<string> {
  const words = texts.join(" ").toLowerCase().split(/[^\p{L}\p{N}-]+/u).filter(Boolean);
  return new Set(words.flatMap((w) => (w.length > 3 && w.endsWith("s") ? [w, w.slice(0, -1)] : [w])));
}

const fits = (group: Group, words: Set<string>) => tagsOf(group).some((t) => words.has(t)) || words.has(group.slug);

/** Groups someone could join now: active, not closed, not theirs already. */
function joinable(ctx: BaseContext, memberId: number, kind: "working" | "network"): Group[] {
  return listGroups(ctx.db).filter((g) => g.kind === kind && g.status === "active" && g.policy !== "closed" && !isMember(ctx.db, g.id, memberId));
}

/**
 * Working groups whose tags meet their skills or interests (or, when none
 * does, the working groups open to them, so there is always somewhere to
 * start); peer networks whose tags meet their place or industry.
 */
export function suggestedGroups(ctx: BaseContext, memberId: number): { working: Group[]; networks: Group[]; matched: boolean } {
  const p = getProfile(ctx.db, memberId);
  const skills = wordsOf(p?.skills, p?.interests);
  const place = wordsOf(p?.location, p?.industry);
  const working = joinable(ctx, memberId, "working");
  const fitting = working.filter((g) => fits(g, skills));
  return {
    working: (fitting.length ? fitting : working).slice(0, PER_KIND),
    networks: joinable(ctx, memberId, "network").filter((g) => fits(g, place)).slice(0, PER_KIND),
    matched: fitting.length > 0,
  };
}

/** The first sentence of a purpose: a line each, not a page. */
const firstSentence = (text: string) => /^.*?[.!?](?=\s|$)/s.exec(text)?.[0] ?? text;

const groupLine = (g: Group) => `• *${esc(g.name)}*${g.purpose ? `: ${esc(firstSentence(g.purpose))}` : ""}`;

/** The groups, as Join buttons (and the typed `join` on each line). */
export function suggestionMessage(ctx: BaseContext, memberId: number): OutboundMessage {
  const { working, networks, matched } = suggestedGroups(ctx, memberId);
  const lines = ["🤝 *Where you could start*"];
  if (working.length) lines.push(matched ? "Working groups that could use what you do:" : "Working groups (they run the federation):", ...working.map(groupLine));
  if (networks.length) lines.push("Peer networks near you or in your field:", ...networks.map(groupLine));
  if (!working.length && !networks.length) lines.push("You're in every group I'd have suggested already.");
  lines.push(`Join one with its button or ${cmd("join <group>")}; ${cmd("groups")} lists every group and network.`);
  const buttons: Button[] = [...working, ...networks].map((g) => ({ label: `Join ${g.name}`, command: `join ${g.slug}` }));
  return { text: lines.join("\n"), buttons };
}

/** The first jobs of the starting journey, in catalogue order, and the tour's last words. */
export function firstJobsMessage(ctx: BaseContext): string {
  const { startingJourney, firstJobs, done } = welcomeConfig(ctx.config).onboarding;
  const jobs = listJobs(ctx.db, { journey: startingJourney })
    .filter((j) => !AUTOMATIC_SLUGS.includes(j.slug))
    .sort((a, b) => a.id - b.id)
    .slice(0, firstJobs);
  const lines: string[] = [];
  if (jobs.length) {
    lines.push(`🧭 *First jobs you could pick up* (the ${journeyLabel(startingJourney)} journey):`);
    lines.push(...jobs.map((j) => `• ${esc(j.title)}${j.effort ? ` (${esc(j.effort)})` : ""}: ${cmd(`job ${j.slug}`)}`));
    lines.push(`Done one? ${cmd("log <job> <what you did>")} records it, and a driver verifies it. ${cmd("jobs")} lists them all.`);
  }
  lines.push(`${esc(done)} Ask me anything with ${cmd("help")}; ${cmd("profile")} shows what you told me.`);
  return lines.join("\n");
}
