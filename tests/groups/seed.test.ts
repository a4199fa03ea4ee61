import { afterEach, describe, expect, it } from "vitest";
import { findGroupBySlug, driversOf } from "../../db/groups.ts";
import { TestBot } from "../helpers/bot.ts";

const group = (slug: string, purpose: string, extra: Record<string, unknown> = {}) => ({ slug, name: slug.toUpperCase(), kind: "working", purpose, ...extra });

let t: TestBot;
afterEach(async () => t?.close());

describe("seeding groups from the config", () => {
  it("follows config changes for untouched groups but never overwrites chat edits", async () => {
    t = new TestBot({ config: { groups: [group("comms", "config v1"), group("policy", "config v1", { drivers: ["console:jo"] })] } });
    await t.say("admin", '/group edit comms --purpose "edited in chat"');
    await t.close({ keep: true });

    t = new TestBot({ dir: t.dir, config: { groups: [group("comms", "config v2"), group("policy", "config v2", { drivers: ["console:jo"] }), group("new", "brand new")] } });
    expect(findGroupBySlug(t.db, "comms")?.purpose).toBe("edited in chat");
    expect(findGroupBySlug(t.db, "policy")?.purpose).toBe("config v2");
    expect(findGroupBySlug(t.db, "new")?.purpose).toBe("brand new");
  });

  it("is idempotent: starting twice on the same config changes nothing", async () => {
    const config = { groups: [group("comms", "p", { drivers: ["console:sam"], rooms: ["console:comms"] })] };
    t = new TestBot({ config });
    const before = t.snapshot();
    await t.close({ keep: true });
    t = new TestBot({ dir: t.dir, config });
    expect(t.snapshot()).toEqual(before);
  });

  it("does not give back a driver role removed in chat", async () => {
    const config = { groups: [group("comms", "p", { drivers: ["console:sam"] })] };
    t = new TestBot({ config });
    await t.say("admin", "/group driver remove comms @sam");
    expect(t.texts()).toEqual(["@sam no longer drives COMMS. It has no driver now; join requests will come to the admins."]);
    await t.close({ keep: true });
    t = new TestBot({ dir: t.dir, config });
    expect(driversOf(t.db, findGroupBySlug(t.db, "comms")!.id)).toEqual([]);
  });

  it("keeps groups removed from the config (with their history)", async () => {
    t = new TestBot({ config: { groups: [group("comms", "p")] } });
    await t.close({ keep: true });
    t = new TestBot({ dir: t.dir, config: { groups: [] } });
    expect(findGroupBySlug(t.db, "comms")).toBeDefined();
  });

  it("refuses a config with a bad slug or two groups with one slug", () => {
    expect(() => new TestBot({ config: { groups: [group("Comms Group", "p")] } })).toThrow(/groups\.0\.slug: lowercase letters/);
    expect(() => new TestBot({ config: { groups: [group("comms", "a"), group("comms", "b")] } })).toThrow(/two groups have the same slug/);
  });
});
