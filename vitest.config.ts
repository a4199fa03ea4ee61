import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // The Matrix end-to-end suite needs a live Synapse; it runs via `npm run test:matrix`.
    exclude: ["tests/matrix-e2e/**", "node_modules/**"],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
