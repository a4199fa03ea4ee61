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
    "group.joined": {
      memberId: number;
      groupId: number;
      via: "open" | "approval";
      by: number | null;
      note: string | null;
      /** What the joiner must hear besides the welcome (who approved them, the rooms they're being added to): the welcome opens with it. */
      intro?: string;
      /** Set by whoever sent the joiner a welcome; otherwise the emitter tells them itself. */
      welcomed: boolean;
    };
  }
}

/**
 * Announces a join, after the deciders have had their answers. True when a
 * capability welcomed the joiner (with `intro` at the top of the welcome): one
 * message to them, not an approval and then a welcome.
 */
export function announceJoin(ctx: BaseContext, joined: { memberId: number; groupId: number; via: "open" | "approval"; by: number | null; note: string | null; intro?: string }): boolean {
  const event = { ...joined, welcomed: false };
  ctx.emit("group.joined", event);
  return event.welcomed;
}
