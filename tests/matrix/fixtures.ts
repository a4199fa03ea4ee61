// Loads the recorded-shape Matrix events in tests/fixtures/matrix/.
import { readFileSync } from "node:fs";

export type Json = Record<string, any>;

export function fixture(name: string): Json {
  return JSON.parse(readFileSync(new URL(`../fixtures/matrix/${name}.json`, import.meta.url), "utf8")) as Json;
}

export const BOT = "@coopbot:example.org";
