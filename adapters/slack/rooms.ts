// What kind of room a channel is (public, private, DM) and its name, from
// conversations.info, cached. Slash commands tell us without asking; mentions
// and button clicks in `C…` channels need the lookup, because new private
// channels have `C…` ids too. Unknown stays public: the kind that shows least.
import type { webApi } from "@slack/bolt";
import type { RoomKind } from "../../bot/events.ts";
import { Directory } from "./directory.ts";
import { roomKindOf, usableChannelName } from "./inbound.ts";

export const ROOM_TTL_MS = 10 * 60_000;

export interface RoomInfo {
  kind: RoomKind;
  name?: string;
}

interface SlackChannel {
  name?: string;
  is_private?: boolean;
  is_im?: boolean;
  is_mpim?: boolean;
}

export function roomInfoOf(channelId: string, channel: SlackChannel): RoomInfo {
  const kind = roomKindOf(channelId, { isPrivate: channel.is_private, isIm: channel.is_im, isMpim: channel.is_mpim });
  const name = kind === "dm" || channel.is_mpim ? undefined : usableChannelName(channel.name);
  return name ? { kind, name } : { kind };
}

export function createRoomDirectory(client: webApi.WebClient, opts: { now?: () => number; timeoutMs?: number } = {}): Directory<RoomInfo> {
  return new Directory<RoomInfo>(
    async (channelId) => {
      // DMs and G… rooms need no lookup to know their kind.
      if (!channelId.startsWith("C")) return { kind: roomKindOf(channelId) };
      const result = await client.conversations.info({ channel: channelId });
      return roomInfoOf(channelId, (result.channel ?? {}) as SlackChannel);
    },
    { ttlMs: ROOM_TTL_MS, timeoutMs: opts.timeoutMs ?? 2000, now: opts.now },
  );
}
