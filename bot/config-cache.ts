// The config file's parsed document, kept as JSON beside the database, so a
// restart need not run the YAML parser: on a cold process that parse is the
// largest single cost of a start (bench/RESULTS.md, "Start"). The copy is
// used only for the same file with the very same text (a SHA-256 of it), and
// only for a document that JSON carries whole; it is then validated as
// usual. A problem found in it is reported from a full parse, with lines and
// columns. Nothing here is secret (secrets never live in the config), and
// the file is the bot's user's alone all the same.
import { createHash } from "node:crypto";
import { readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";

const FILE = ".config-cache.json";

interface Cached {
  source: string;
  sha256: string;
  doc: unknown;
}

const digest = (text: string) => createHash("sha256").update(text).digest("hex");

/** The document cached in `dir` for the config at `path` with this `text`, or undefined. */
export function cachedDocument(dir: string, path: string, text: string): unknown {
  try {
    const cached = JSON.parse(readFileSync(join(dir, FILE), "utf8")) as Cached;
    return cached.source === resolve(path) && cached.sha256 === digest(text) ? cached.doc : undefined;
  } catch {
    return undefined; // none yet, or unreadable: parse the file
  }
}

/**
 * Keeps `doc` for the next start, when JSON holds it exactly (YAML can say
 * things JSON can't: `.inf`, dates with a tag). Best effort: a data
 * directory that can't be written to only costs the next start the parse.
 */
export function cacheDocument(dir: string, path: string, text: string, doc: unknown): void {
  const json = JSON.stringify({ source: resolve(path), sha256: digest(text), doc } satisfies Cached);
  if (!isDeepStrictEqual((JSON.parse(json) as Cached).doc, doc)) return;
  const file = join(dir, FILE);
  const partial = `${file}.partial`;
  try {
    writeFileSync(partial, json, { mode: 0o600 });
    renameSync(partial, file);
  } catch {
    rmSync(partial, { force: true });
  }
}
