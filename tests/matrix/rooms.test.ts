import { describe, expect, it } from "vitest";
import { classifyRoom } from "../../adapters/matrix/rooms.ts";

describe("Matrix room kinds", () => {
  it("DM when marked direct, or just the bot and one person in an unnamed room", () => {
    expect(classifyRoom({ direct: true, joinRule: "invite", name: "Chat" })).toBe("dm");
    expect(classifyRoom({ direct: false, joinRule: "invite", memberCount: 2 })).toBe("dm");
    // A named room of two is a group room that is still small.
    expect(classifyRoom({ direct: false, joinRule: "invite", name: "Comms", memberCount: 2 })).toBe("private");
    expect(classifyRoom({ direct: false, joinRule: "invite", alias: "#comms:hs", memberCount: 2 })).toBe("private");
  });

  it("public when anyone can join, else private", () => {
    expect(classifyRoom({ direct: false, joinRule: "public", name: "Lobby", memberCount: 2 })).toBe("public");
    expect(classifyRoom({ direct: false, joinRule: "knock", name: "Council" })).toBe("private");
    expect(classifyRoom({ direct: false, memberCount: 5 })).toBe("private");
  });
});
