#!/usr/bin/env node
// `npm run build`: the bot as plain JavaScript in dist/, so production runs
// `node dist/main.mjs` (no TypeScript compiler at run time: tsx is for
// development). `npm start` runs this with --if-needed first.
//
//   node scripts/build.mjs [--outdir DIR] [--if-needed]
//
// esbuild bundles with code splitting (ESM): the platform SDKs (@slack/*,
// matrix-bot-sdk) stay outside the bundle and their adapters in chunks of
// their own, loaded only when `--adapter` asks for one (a one-file bundle
// would load Bolt at every start: STACK.md). matrix-bot-sdk must never be
// bundled anyway: it is loaded through a loader that stubs its native
// crypto module (adapters/matrix/sdk.ts). better-sqlite3 is native, so it
// stays outside too. Everything is resolved at run time from dist/'s parent
// (node_modules, examples/), so dist/ must sit in the package's root, and
// the migrations are copied beside the chunks (db/connection.ts finds them
// next to its own code).
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const SOURCES = ["bot", "commands", "db", "adapters", "ops"];
// Native packages (better-sqlite3, resvg) load their compiled binding at run time: never bundled.
const EXTERNAL = ["better-sqlite3", "@resvg/*", "@slack/*", "matrix-bot-sdk", "@matrix-org/*"];
const ENTRY = "main.mjs";

/** The newest modification time under the sources (directories too: a deleted file changes its directory). */
function newestSource() {
  let newest = Math.max(statSync(join(ROOT, "package.json")).mtimeMs, statSync(join(ROOT, "scripts/build.mjs")).mtimeMs);
  const walk = (dir) => {
    newest = Math.max(newest, statSync(dir).mtimeMs);
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else newest = Math.max(newest, statSync(path).mtimeMs);
    }
  };
  for (const dir of SOURCES) walk(join(ROOT, dir));
  return newest;
}

export function isFresh(outdir) {
  const entry = join(outdir, ENTRY);
  return existsSync(entry) && statSync(entry).mtimeMs >= newestSource();
}

export async function build(outdir) {
  // Imported here: a production install (no dev dependencies) with a fresh dist/ never needs esbuild.
  const esbuild = await import("esbuild");
  rmSync(outdir, { recursive: true, force: true });
  mkdirSync(outdir, { recursive: true });
  const started = performance.now();
  try {
    await buildWith(esbuild, outdir);
  } finally {
    // esbuild runs as a child process; end it now rather than when this one exits, so a
    // service manager watching `npm start`'s process group sees nothing left of the build.
    await esbuild.stop();
  }
  cpSync(join(ROOT, "db/migrations"), join(outdir, "migrations"), { recursive: true });
  writeFileSync(join(outdir, "README.txt"), "Built by `npm run build` (scripts/build.mjs): do not edit; rebuild instead.\n");
  return performance.now() - started;
}

function buildWith(esbuild, outdir) {
  return esbuild.build({
    absWorkingDir: ROOT,
    entryPoints: { main: "bot/main.ts" },
    outdir,
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20.11",
    external: EXTERNAL,
    // Whitespace and syntax only: names stay, so stacks in the log still say which function failed.
    minifyWhitespace: true,
    minifySyntax: true,
    sourcemap: "linked",
    // CommonJS dependencies call require(); an ES module has none of its own.
    banner: { js: 'import { createRequire as __coopbotRequire } from "node:module"; const require = __coopbotRequire(import.meta.url);' },
    logLevel: "warning",
    plugins: [onlyEnglishZodLocale],
  });
}

/**
 * zod's `z` namespace (and `z.core`) re-exports every one of its ~60 locales
 * (about a fifth of the bundle's source), and a namespace can't be
 * tree-shaken. coopbot
 * speaks English and never reads `z.locales`: the namespace is given only
 * English, the locale zod itself configures by default.
 */
const onlyEnglishZodLocale = {
  name: "only-english-zod-locale",
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, (args) =>
      /[\\/]zod[\\/]v4[\\/](classic|core|mini)[\\/]/.test(args.importer) ? { path: join(dirname(args.importer), "../locales/en.js"), namespace: "zod-locales" } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: "zod-locales" }, (args) => ({ contents: `export { default as en } from ${JSON.stringify(args.path)};`, resolveDir: dirname(args.path) }));
  },
};

const isMain = process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
if (isMain) {
  const args = process.argv.slice(2);
  const at = args.indexOf("--outdir");
  const outdir = resolve(at >= 0 ? args[at + 1] : join(ROOT, "dist"));
  if (args.includes("--if-needed") && isFresh(outdir)) process.exit(0);
  try {
    const ms = await build(outdir);
    process.stderr.write(`coopbot built into ${outdir} in ${Math.round(ms)} ms\n`);
  } catch (err) {
    if (err?.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("esbuild")) {
      process.stderr.write("coopbot: can't build: esbuild is missing (it is a dev dependency): run `npm ci` (without --omit=dev), then `npm run build`\n");
      process.exit(2);
    }
    throw err;
  }
}
