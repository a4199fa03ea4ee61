// What the adapter knows about rooms and people, cached and kept fresh from
// the state events the sync loop sees: a room's kind (dm/public/private) and
// name, people's display names, the bot's DM room with each person, and
// whether the bot may post in a room.
import type { Clock } from "../../bot/clock.ts";
import type { RoomKind } from "../../bot/events.ts";
import type { Logger } from "../../bot/log.ts";
import type { MatrixApi } from "./client.ts";
import { localpart, type RoomContext } from "./inbound.ts";
import { canSend } from "./power.ts";
import type { MatrixStateStore } from "./state-store.ts";

type Json = Record<string, any>;

export interface RoomFacts {
  /** Marked as a DM: the bot's m.direct, an is_direct invite, or our own DM table. */
  direct: boolean;
  joinRule?: string;
  name?: string;
  alias?: string;
  /** Joined members, when it was needed to tell a DM from a small room. */
  memberCount?: number;
  encrypted?: boolean;
}

/**
 * DM: marked as direct, or exactly the bot and one person in a room with no
 * name or alias (a named room of two is a group room that is still small).
 * Public: anyone can join (join rule `public`). Everything else is private.
 */
export function classifyRoom(facts: RoomFacts): RoomKind {
  if (facts.direct) return "dm";
  if (facts.joinRule === "public") return "public";
  if (!facts.name && !facts.alias && facts.memberCount === 2) return "dm";
  return "private";
}

/** State event types whose change invalidates what we cached about a room. */
const ROOM_STATE = new Set(["m.room.join_rules", "m.room.name", "m.room.canonical_alias", "m.room.encryption", "m.room.member"]);
const POWER_STATE = new Set(["m.room.power_levels", "m.room.create"]);

export class RoomDirectory {
  /** Rooms the bot is in (kept up to date from join/leave). */
  readonly joined = new Set<string>();
  private readonly facts = new Map<string, Promise<Omit<RoomFacts, "direct">>>();
  private readonly labels = new Map<string, string>();
  private readonly names = new Map<string, string>();
  private readonly postable = new Map<string, Promise<boolean | undefined>>();
  private readonly opening = new Map<string, Promise<string>>();

  constructor(
    private readonly api: MatrixApi,
    private readonly store: MatrixStateStore,
    private readonly clock: Clock,
    private readonly log: Logger,
  ) {}

  async load(): Promise<void> {
    for (const roomId of await this.api.joinedRooms()) this.joined.add(roomId);
  }

  /** A state event seen in a room's timeline (synchronous: called from the sync listener). */
  /** Told when someone known here takes a new display name (the adapter passes it to the core). */
  onRename: ((userId: string, name: string) => void) | undefined;

  onStateEvent(roomId: string, event: Json): void {
    if (ROOM_STATE.has(event.type)) this.facts.delete(roomId);
    if (POWER_STATE.has(event.type)) this.postable.delete(roomId);
    if (event.type === "m.room.member" && typeof event.state_key === "string") {
      const membership = event.content?.membership;
      const name = event.content?.displayname;
      if (membership === "join" && typeof name === "string" && name.trim()) {
        const before = this.names.get(event.state_key);
        this.names.set(event.state_key, name.trim());
        if (before !== undefined && before !== name.trim()) this.onRename?.(event.state_key, name.trim());
      }
      if (event.state_key === this.api.userId) {
        if (membership === "join") this.joined.add(roomId);
        else if (membership === "leave" || membership === "ban") this.forget(roomId);
      } else if ((membership === "leave" || membership === "ban") && this.store.dmRoom(event.state_key) === roomId) {
        // They left our DM: the next private message opens a new one.
        this.store.forgetDmRoom(event.state_key, roomId);
      }
    }
  }

  /** The bot left or was removed. */
  forget(roomId: string): void {
    this.joined.delete(roomId);
    this.facts.delete(roomId);
    this.postable.delete(roomId);
    this.store.forgetRoom(roomId);
  }

  private async state(roomId: string, type: string, key = ""): Promise<Json | undefined> {
    try {
      return await this.api.stateEvent(roomId, type, key);
    } catch (err) {
      this.log.debug({ err, roomId, type }, "matrix: could not read room state");
      return undefined;
    }
  }

  private factsOf(roomId: string): Promise<Omit<RoomFacts, "direct">> {
    let found = this.facts.get(roomId);
    if (!found) {
      found = (async () => {
        const [rules, name, alias, encryption] = await Promise.all([
          this.state(roomId, "m.room.join_rules"),
          this.state(roomId, "m.room.name"),
          this.state(roomId, "m.room.canonical_alias"),
          this.state(roomId, "m.room.encryption"),
        ]);
        const facts: Omit<RoomFacts, "direct"> = {
          joinRule: rules?.content?.join_rule,
          name: typeof name?.content?.name === "string" && name.content.name.trim() ? name.content.name.trim() : undefined,
          alias: typeof alias?.content?.alias === "string" ? alias.content.alias : undefined,
          encrypted: Boolean(encryption?.content?.algorithm),
        };
        if (!facts.name && !facts.alias && facts.joinRule !== "public") {
          facts.memberCount = await this.api.joinedMembers(roomId).then((m) => m.length).catch(() => undefined);
        }
        this.labels.set(roomId, facts.name ?? facts.alias ?? roomId);
        return facts;
      })();
      this.facts.set(roomId, found);
    }
    return found;
  }

  isDirect(roomId: string): boolean {
    return this.store.dmPartner(roomId) !== undefined || this.api.isDirect(roomId);
  }

  async room(roomId: string): Promise<RoomContext & { encrypted: boolean }> {
    const facts = await this.factsOf(roomId);
    const kind = classifyRoom({ ...facts, direct: this.isDirect(roomId) });
    const name = facts.name ?? facts.alias;
    return { id: roomId, kind, ...(name ? { name } : {}), encrypted: facts.encrypted ?? false };
  }

  /** How to name a room to people: its name, else alias, else id. */
  async label(roomId: string): Promise<string> {
    if (!this.labels.has(roomId)) await this.factsOf(roomId);
    return this.labels.get(roomId) ?? roomId;
  }

  async senderName(roomId: string, userId: string): Promise<string> {
    const cached = this.names.get(userId);
    if (cached) return cached;
    const member = await this.state(roomId, "m.room.member", userId);
    let name: string | undefined = typeof member?.content?.displayname === "string" ? member.content.displayname.trim() : undefined;
    if (!name) name = await this.api.displayName(userId).catch(() => undefined);
    const resolved = name || localpart(userId);
    this.names.set(userId, resolved);
    return resolved;
  }

  /**
   * A person's name if the homeserver knows them (a member of this room, or
   * a profile it can show); undefined for an id it doesn't know.
   */
  async knownName(roomId: string, userId: string): Promise<string | undefined> {
    const cached = this.names.get(userId);
    if (cached) return cached;
    const member = await this.state(roomId, "m.room.member", userId).catch(() => undefined);
    let name: string | undefined = typeof member?.content?.displayname === "string" ? member.content.displayname.trim() : undefined;
    if (!name) {
      const profile = await this.api.profile(userId).catch(() => undefined);
      if (!profile && !member) return undefined;
      name = profile?.displayname;
    }
    const resolved = name || localpart(userId);
    this.names.set(userId, resolved);
    return resolved;
  }

  /**
   * The bot's DM room with a person: the one remembered, else one listed in
   * the bot's m.direct that both are still in, else a new one (is_direct
   * invite, added to m.direct). Concurrent callers share one lookup.
   */
  dmRoomFor(userId: string): Promise<string> {
    const known = this.store.dmRoom(userId);
    if (known && this.joined.has(known)) return Promise.resolve(known);
    let pending = this.opening.get(userId);
    if (!pending) {
      pending = this.openDm(userId).finally(() => this.opening.delete(userId));
      this.opening.set(userId, pending);
    }
    return pending;
  }

  private async openDm(userId: string): Promise<string> {
    const direct = await this.api.directRooms();
    for (const roomId of direct[userId] ?? []) {
      if (!this.joined.has(roomId)) continue;
      const member = await this.state(roomId, "m.room.member", userId);
      if (member?.content?.membership === "join" || member?.content?.membership === "invite") {
        this.store.setDmRoom(userId, roomId, this.clock.now());
        return roomId;
      }
    }
    const roomId = await this.api.createDirectRoom(userId);
    this.joined.add(roomId);
    this.store.setDmRoom(userId, roomId, this.clock.now());
    this.log.info({ userId, roomId }, "matrix: opened a direct-message room");
    try {
      await this.api.setDirectRooms({ ...direct, [userId]: [roomId, ...(direct[userId] ?? []).filter((r) => r !== roomId)] });
    } catch (err) {
      this.log.warn({ err, userId, roomId }, "matrix: could not record the new DM in m.direct (it is remembered locally)");
    }
    return roomId;
  }

  /**
   * Whether the bot may post messages in a room, from its power levels
   * (room v12 creators count as all-powerful). Undefined when it couldn't be
   * read: then just try.
   */
  canPost(roomId: string): Promise<boolean | undefined> {
    let found = this.postable.get(roomId);
    if (!found) {
      found = (async () => {
        try {
          const [create, powerLevels] = await Promise.all([
            this.api.stateEvent(roomId, "m.room.create"),
            this.api.stateEvent(roomId, "m.room.power_levels"),
          ]);
          return canSend({ userId: this.api.userId, eventType: "m.room.message", create, powerLevels });
        } catch (err) {
          this.postable.delete(roomId);
          this.log.debug({ err, roomId }, "matrix: could not read power levels");
          return undefined;
        }
      })();
      this.postable.set(roomId, found);
    }
    return found;
  }
}
