#!/usr/bin/env node
// The `coopbot` command (package.json `bin`): the built bot in dist/, run in
// this same process, so signals reach it directly. `npm run build` makes
// dist/ (`npm start` builds it when needed).
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const main = new URL("../dist/main.mjs", import.meta.url);
if (!existsSync(main)) {
  const root = fileURLToPath(new URL("..", import.meta.url));
  process.stderr.write(`coopbot: not built yet: run \`npm run build\` in ${root}\n`);
  process.exit(2);
}
await import(main.href);
