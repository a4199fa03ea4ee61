// A member's part in the groups: what `export me` shows of it and what
// `forget me` erases (their profile, memberships and requests' words). A
// pending request is withdrawn and its card redrawn for the drivers; the
// cards of decided ones were already edited, so only the copies we kept of
// them (which still quote the note) are replaced.
import type { BaseContext } from "../../bot/context.ts";
import { esc } from "../../bot/markup.ts";
import { iso } from "../../db/forget.ts";
import { forgetGroupMember, getGroup, joinRequestsOf, membershipsOf, type JoinRequest } from "../../db/groups.ts";
import { replaceMessagesWithKey } from "../../db/outbox.ts";
import { getProfile } from "../../db/profiles.ts";
import { requestKey } from "./join.ts";

const present = (values: (string | null)[]): string[] => values.filter((v): v is string => !!v);

/** Redraws a request's card (and what we kept of it) without the words of the member who left. */
function redrawRequestCard(ctx: BaseContext, request: JoinRequest): void {
  const key = requestKey(request.id);
  const group = esc(getGroup(ctx.db, request.groupId)?.name ?? "a group");
  if (request.state !== "pending") {
    replaceMessagesWithKey(ctx.db, key, { text: `A request to join *${group}*: ${request.state} (request ${request.id}).` });
    return;
  }
  ctx.cancelJobs(`${key}:`);
  const text = `↩️ A request to join *${group}* was withdrawn: the member asked to be forgotten (request ${request.id}).`;
  replaceMessagesWithKey(ctx.db, key, { text });
  ctx.update(key, text);
}

export function forgetGroupsMember(ctx: BaseContext, memberId: number): string[] {
  const requests = joinRequestsOf(ctx.db, memberId);
  const profile = getProfile(ctx.db, memberId);
  const texts = [...requests.flatMap((r) => present([r.note, r.reason])), ...present([profile?.skills ?? null, profile?.location ?? null, profile?.industry ?? null, profile?.interests ?? null])];
  for (const request of requests) redrawRequestCard(ctx, request);
  forgetGroupMember(ctx.db, memberId, ctx.now);
  return texts;
}

export function exportGroupsMember(ctx: BaseContext, memberId: number): Record<string, unknown> {
  const p = getProfile(ctx.db, memberId);
  return {
    profile: p ? { skills: p.skills, location: p.location, industry: p.industry, interests: p.interests, suggestNetworks: p.suggestNetworks, updated: iso(p.updatedAt) } : null,
    groups: membershipsOf(ctx.db, memberId).map((m) => ({ group: m.slug, name: m.name, joined: iso(m.joinedAt) })),
    joinRequests: joinRequestsOf(ctx.db, memberId).map((r) => ({
      request: r.id,
      group: getGroup(ctx.db, r.groupId)?.slug ?? null,
      note: r.note,
      state: r.state,
      made: iso(r.createdAt),
      decided: iso(r.decidedAt),
      reason: r.reason,
    })),
  };
}
