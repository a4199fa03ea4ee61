import { describe, expect, it } from "vitest";
import { canRedactOthers, canSend } from "../../adapters/matrix/power.ts";

const BOT = "@coopbot:hs";
const create = (version: string, sender: string, extra: Record<string, unknown> = {}) => ({ type: "m.room.create", sender, state_key: "", content: { room_version: version, ...extra } });
const pl = (content: Record<string, unknown>) => ({ type: "m.room.power_levels", state_key: "", content });

describe("power levels", () => {
  it("lets a user post when their level reaches the message level", () => {
    expect(canSend({ userId: BOT, eventType: "m.room.message", powerLevels: pl({ users: { "@alice:hs": 100 }, events_default: 0 }) })).toBe(true);
    expect(canSend({ userId: BOT, eventType: "m.room.message", powerLevels: pl({ users: {}, events_default: 50 }) })).toBe(false);
    expect(canSend({ userId: BOT, eventType: "m.room.message", powerLevels: pl({ users: { [BOT]: 50 }, events_default: 50 }) })).toBe(true);
    expect(canSend({ userId: BOT, eventType: "m.room.message", powerLevels: pl({ users_default: 0, events: { "m.room.message": 10 } }) })).toBe(false);
    expect(canSend({ userId: BOT, eventType: "m.room.message" })).toBe(true);
  });

  it("treats room v12 creators as all-powerful even when power_levels doesn't list them", () => {
    const levels = pl({ users: {}, events_default: 100 });
    expect(canSend({ userId: BOT, eventType: "m.room.message", create: create("12", BOT), powerLevels: levels })).toBe(true);
    expect(canSend({ userId: BOT, eventType: "m.room.message", create: create("12", "@alice:hs", { additional_creators: [BOT] }), powerLevels: levels })).toBe(true);
    expect(canSend({ userId: BOT, eventType: "m.room.message", create: create("11", BOT), powerLevels: levels })).toBe(false);
    expect(canRedactOthers({ userId: BOT, create: create("12", BOT), powerLevels: levels })).toBe(true);
    expect(canRedactOthers({ userId: BOT, create: create("10", "@alice:hs"), powerLevels: pl({ users: { [BOT]: 50 } }) })).toBe(true);
    expect(canRedactOthers({ userId: BOT, create: create("10", "@alice:hs"), powerLevels: pl({ users: {} }) })).toBe(false);
  });
});
