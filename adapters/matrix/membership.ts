// Membership deliveries on Matrix: an invite lets a member into a group's
// room (the room's `invite` power level, 0 by default, is enough), a kick
// takes them out (needs the `kick` level, Moderator by default). Someone
// already in (or already out) is success. A refusal is final and names the
// setting to change.
import { DeliveryError } from "../../bot/adapter.ts";
import type { Delivery } from "../../bot/events.ts";
import type { MatrixApi } from "./client.ts";
import { describe, isForbidden, isNotInRoom, matrixErrorOf, toDeliveryError } from "./errors.ts";

const ALREADY = /already (in|joined|invited to|a member of) the room|is already (joined|invited)/i;

export async function changeMembership(api: MatrixApi, d: Delivery, roomLabel: (roomId: string) => Promise<string>): Promise<{ ref?: string }> {
  const who = d.message.membership;
  if (!who || d.target.kind !== "room") throw new DeliveryError("a membership change needs a room and a member", { permanent: true });
  const roomId = d.target.roomId;
  try {
    if (d.kind === "invite") await api.inviteUser(roomId, who.platformId);
    else await api.kickUser(roomId, who.platformId, `left ${who.group}`);
    return {};
  } catch (err) {
    if (ALREADY.test(matrixErrorOf(err)?.error ?? "")) return {};
    if (d.kind === "uninvite" && /not (in|a member of|joined to) the room|isn't in the room/i.test(matrixErrorOf(err)?.error ?? "")) return {};
    const room = await roomLabel(roomId);
    if (isForbidden(err) && !isNotInRoom(err)) {
      const level = d.kind === "invite" ? "Invite users" : "Remove users";
      throw new DeliveryError(`I'm not allowed to ${d.kind === "invite" ? "invite people to" : "remove people from"} ${room} (${describe(err)}): a room admin can give me "${level}" in Room settings → Roles & Permissions`, { permanent: true });
    }
    throw toDeliveryError(err, { botUserId: api.userId, room, action: d.kind === "invite" ? `invite ${who.platformId}` : `remove ${who.platformId}` });
  }
}
