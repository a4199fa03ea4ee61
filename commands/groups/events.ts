// The facts the groups capability announces beyond those in bot/domain.ts,
// declared here by the capability that emits them.
import type { BaseContext } from "../../bot/context.ts";

declare module "../../bot/domain.ts" {
  interface DomainEvents {
    /**
     * A member became a member of a group by joining it: an open group, or
     * their request approved (`by`: the driver or admin who approved).
     * `note`: what they offered when they asked. Not emitted when a driver
     * adds someone (`group add`) or when the config seeds a driver.
     */
    "group.joined": { memberId: number; groupId: number; via: "open" | "approval"; by: number | null; note: string | null };
  }
}

/** Announces a join, after the joiner and the deciders have had their answers. */
export function announceJoin(ctx: BaseContext, joined: { memberId: number; groupId: number; via: "open" | "approval"; by: number | null; note: string | null }): void {
  ctx.emit("group.joined", joined);
}
