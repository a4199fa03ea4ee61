import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // The Matrix end-to-end suite needs a live Synapse; it runs via `npm run test:matrix`.
    exclude: ["tests/matrix-e2e/**", "node_modules/**"],
    // Generous: tests wait on observable state, never on the clock, so a slow machine only makes them slower.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
