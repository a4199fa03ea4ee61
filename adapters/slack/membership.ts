// Membership deliveries on Slack: `conversations.invite` lets a member into
// a group's channel, `conversations.kick` takes them out (both need the
// bot's `channels:manage` / `groups:write` scopes and the bot in the
// channel). "Already there" is success. Every refusal is final and says
// what to fix: retrying a missing scope would only hold the invite forever.
import type { webApi } from "@slack/bolt";
import { DeliveryError } from "../../bot/adapter.ts";
import type { Delivery } from "../../bot/events.ts";
import { platformErrorCode, toDeliveryError } from "./errors.ts";

const DONE_ALREADY = new Set(["already_in_channel", "not_in_channel_for_kick", "user_not_in_channel"]);

/** In words, for the member and the driver: what Slack said and who can fix it. */
function refusal(code: string, channel: string, botMention: string, needed?: string): string | undefined {
  switch (code) {
    case "missing_scope":
      return `the Slack app isn't allowed to add people to channels (it needs the ${needed ?? "channels:manage and groups:write"} scope: an admin adds it from the manifest and reinstalls the app)`;
    case "not_in_channel":
    case "channel_not_found":
      return `I'm not in ${channel}, so I can't add anyone to it (invite me with \`/invite ${botMention}\`)`;
    case "is_archived":
      return `${channel} is archived`;
    case "cant_invite":
    case "cant_invite_self":
    case "user_is_restricted":
    case "ura_max_channels":
    case "user_is_ultra_restricted":
      return `Slack doesn't let me add this account to ${channel} (${code}: a guest account, perhaps)`;
    case "restricted_action":
      return `only some members may add people to ${channel}, and I'm not one of them`;
    case "cant_kick_self":
    case "cant_kick_from_general":
    case "not_allowed":
      return `Slack doesn't let me take anyone out of ${channel} (${code})`;
    default:
      return undefined;
  }
}

export async function changeMembership(client: webApi.WebClient, d: Delivery, ctx: { channelName?: string; botMention: string }): Promise<{ ref?: string }> {
  const who = d.message.membership;
  if (!who || d.target.kind !== "room") throw new DeliveryError("a membership change needs a room and a member", { permanent: true });
  const channel = d.target.roomId;
  try {
    if (d.kind === "invite") await client.conversations.invite({ channel, users: who.platformId });
    else await client.conversations.kick({ channel, user: who.platformId });
    return {};
  } catch (err) {
    const code = platformErrorCode(err);
    if (code && DONE_ALREADY.has(code)) return {};
    const needed = (err as { data?: { needed?: string } }).data?.needed;
    const words = code ? refusal(code, ctx.channelName ? `#${ctx.channelName}` : who.room, ctx.botMention, needed) : undefined;
    if (words) throw new DeliveryError(words, { permanent: true });
    throw toDeliveryError(err, { channel, channelName: ctx.channelName, botMention: ctx.botMention });
  }
}
