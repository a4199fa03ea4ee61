import { defineConfig } from "vitest/config";

// The Matrix end-to-end suite: needs a live Synapse (see scripts/test-matrix.sh,
// run it with `npm run test:matrix`). Files run one at a time against one server.
//
// Only tests/matrix-e2e/**/*.test.ts: vitest matches `include` relative to
// `dir`, so the folder is set as `dir` here and `include` is relative to it.
// That way `vitest run --dir tests/matrix-e2e --config vitest.matrix.config.ts`
// and the same command without --dir select the same files.
export default defineConfig({
  test: {
    dir: "tests/matrix-e2e",
    include: ["**/*.test.ts"],
    exclude: ["node_modules/**"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    fileParallelism: false,
  },
});
