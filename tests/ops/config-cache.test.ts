// A restart reads the config's parsed document from the copy beside the
// database instead of running the YAML parser again: only for the same file
// with the same text, and a mistake is still named by line and column.
import { mkdtempSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { expect, it } from "vitest";
import { ConfigError, loadConfig } from "../../bot/config.ts";
import { cacheDocument, cachedDocument } from "../../bot/config-cache.ts";
import { capabilities } from "../../commands/index.ts";

const setup = (text: string) => {
  const dir = mkdtempSync(join(tmpdir(), "coopbot-config-cache-"));
  const path = join(dir, "coopbot.yaml");
  writeFileSync(path, text);
  return { dir, path, cache: join(dir, ".config-cache.json") };
};

it("keeps the parsed document (0600) and reads it at the next start, for the same text only", () => {
  const { dir, path, cache } = setup("admins: [console:admin]\nstorage: { retentionDays: 30 }\n");
  expect(loadConfig(path, capabilities, { cacheDir: dir }).storage.retentionDays).toBe(30);
  expect(statSync(cache).mode & 0o777).toBe(0o600);

  // Shown to be read: the copy says 40 for the same text (no one edits it; this test does, to see it used).
  const kept = JSON.parse(readFileSync(cache, "utf8")) as { doc: { storage: { retentionDays: number } } };
  kept.doc.storage.retentionDays = 40;
  writeFileSync(cache, JSON.stringify(kept));
  expect(loadConfig(path, capabilities, { cacheDir: dir }).storage.retentionDays).toBe(40);

  // The file changed: the copy is not used, and is replaced.
  writeFileSync(path, "admins: [console:admin]\nstorage: { retentionDays: 31 }\n");
  expect(loadConfig(path, capabilities, { cacheDir: dir }).storage.retentionDays).toBe(31);
  expect(loadConfig(path, capabilities, { cacheDir: dir }).storage.retentionDays).toBe(31);
});

it("a document the copy holds that no longer validates (an upgrade changed the schema) is reported from the file, with its line", () => {
  const { dir, path, cache } = setup("admins: [console:admin]\nstorage: { retentionDays: 30 }\n");
  loadConfig(path, capabilities, { cacheDir: dir });
  const kept = JSON.parse(readFileSync(cache, "utf8")) as { doc: Record<string, unknown> };
  kept.doc.storage = { retentionDays: 1 };
  writeFileSync(cache, JSON.stringify(kept));
  // The file itself is valid, so the full read accepts it.
  expect(loadConfig(path, capabilities, { cacheDir: dir }).storage.retentionDays).toBe(30);

  writeFileSync(path, "admins: [console:admin]\nstorage: { retentionDays: 1 }\n");
  expect(() => loadConfig(path, capabilities, { cacheDir: dir })).toThrow(ConfigError);
  try {
    loadConfig(path, capabilities, { cacheDir: dir });
  } catch (err) {
    expect((err as ConfigError).problems).toEqual(["line 2, column 27: storage.retentionDays: Too small: expected number to be >=2 (got 1)"]);
  }
});

it("a document JSON can't carry whole (YAML's .inf) is not kept", () => {
  const { dir, path, cache } = setup("admins: [console:admin]\n");
  cacheDocument(dir, path, "x: .inf\n", { x: Infinity });
  expect(() => readFileSync(cache)).toThrow(/ENOENT/);
  cacheDocument(dir, path, "x: 1\n", { x: 1 });
  expect(cachedDocument(dir, path, "x: 1\n")).toEqual({ x: 1 });
  expect(cachedDocument(dir, path, "x: 2\n")).toBeUndefined();
});
