// Whether a user may send an event in a room, from the room's create and
// power-levels state (pure). matrix-bot-sdk 0.7.1 predates room version 12,
// where the room's creators (the create event's sender and
// `additional_creators`) have unlimited power and are *not* listed in
// `m.room.power_levels`; its own checks answer "no" for them, so this is ours.

type Json = Record<string, any>;

export function roomVersionAtLeast12(create: Json | undefined): boolean {
  const version = String(create?.content?.room_version ?? create?.room_version ?? "1");
  const n = Number(version);
  return Number.isFinite(n) && n >= 12;
}

/** The creators who are all-powerful (room v12+), else none. */
export function privilegedCreators(create: Json | undefined): string[] {
  if (!create || !roomVersionAtLeast12(create)) return [];
  const content = create.content ?? create;
  const extra = Array.isArray(content.additional_creators) ? content.additional_creators.filter((u: unknown) => typeof u === "string") : [];
  return [create.sender, ...extra].filter((u): u is string => typeof u === "string");
}

const num = (v: unknown, fallback: number): number => (typeof v === "number" && Number.isFinite(v) ? v : typeof v === "string" && /^-?\d+$/.test(v) ? Number(v) : fallback);

/**
 * `create` and `powerLevels` are the state events (or their `content`,
 * for power levels); undefined when the room has none.
 */
export function canSend(opts: { userId: string; eventType: string; isState?: boolean; create?: Json; powerLevels?: Json }): boolean {
  const { userId, eventType, isState = false, create } = opts;
  if (privilegedCreators(create).includes(userId)) return true;
  const pl = opts.powerLevels?.content ?? opts.powerLevels;
  if (!pl) {
    // No power levels yet: the creator has 100, everyone else 0, and events need 0 (state: 0 too).
    return true;
  }
  const users = (pl.users ?? {}) as Record<string, unknown>;
  const level = num(users[userId], num(pl.users_default, 0));
  const events = (pl.events ?? {}) as Record<string, unknown>;
  const needed = num(events[eventType], isState ? num(pl.state_default, 50) : num(pl.events_default, 0));
  return level >= needed;
}

/** Whether the user may redact other people's events. */
export function canRedactOthers(opts: { userId: string; create?: Json; powerLevels?: Json }): boolean {
  if (privilegedCreators(opts.create).includes(opts.userId)) return true;
  const pl = opts.powerLevels?.content ?? opts.powerLevels;
  if (!pl) return false;
  const users = (pl.users ?? {}) as Record<string, unknown>;
  return num(users[opts.userId], num(pl.users_default, 0)) >= num(pl.redact, 50);
}
